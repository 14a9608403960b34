import type { LucideIcon } from 'lucide-react';

/**
 * An in-call control: icon above a label that does not change, and the state in aria-pressed
 * (a toggle: mute, hold, camera, share) or aria-expanded (a panel: keypad, devices), drawn as a
 * filled button when on (finding 6).
 */
export function ToggleButton(props: {
  icon: LucideIcon;
  /** Shown instead of `icon` while pressed (a crossed-out microphone while muted). */
  pressedIcon?: LucideIcon;
  label: string;
  pressed?: boolean;
  expanded?: boolean;
  controls?: string;
  disabled?: boolean;
  /** Its keys (aria-keyshortcuts), also in the tooltip. */
  keys?: string;
  onClick: () => void;
}) {
  const on = props.pressed ?? props.expanded ?? false;
  const Icon = on && props.pressedIcon ? props.pressedIcon : props.icon;
  return (
    <button
      type="button"
      className="control"
      aria-pressed={props.pressed}
      aria-expanded={props.expanded}
      aria-controls={props.controls}
      disabled={props.disabled}
      aria-keyshortcuts={props.keys}
      title={props.keys && `${props.label} (${props.keys})`}
      onClick={props.onClick}
    >
      <span className="control-icon">
        <Icon size={22} />
      </span>
      <span className="control-label">{props.label}</span>
    </button>
  );
}

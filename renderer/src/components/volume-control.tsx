import { Volume1, Volume2, VolumeX } from 'lucide-react';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppState, useServices } from '../state/app-context';

/** Saved once the slider rests this long (a drag would otherwise write the settings on every step). */
const SAVE_AFTER_MS = 400;

/** The other side's volume in calls (finding 6): applies at once, kept in the settings. */
export function useCallVolume(): [number, (value: number) => void] {
  const { bridge } = useServices();
  const { settings } = useAppState();
  const saved = settings?.callVolume ?? 100;
  const [value, setValue] = useState(saved);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => setValue(saved), [saved]);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
  const change = (next: number) => {
    setValue(next);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void bridge.invoke('settings.update', { callVolume: next }), SAVE_AFTER_MS);
  };
  return [value, change];
}

export function VolumeControl({ value, onChange }: { value: number; onChange: (value: number) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const Icon = value === 0 ? VolumeX : value < 50 ? Volume1 : Volume2;
  return (
    <div className="volume">
      <label htmlFor={id}>
        <Icon size={20} />
        <span className="visually-hidden">{t('call.volume')}</span>
      </label>
      <input
        id={id}
        type="range"
        min={0}
        max={100}
        step={5}
        value={value}
        aria-valuetext={t('call.volumeValue', { value })}
        onChange={(event) => onChange(Number(event.target.value))}
      />
    </div>
  );
}

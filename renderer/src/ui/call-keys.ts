import { useEffect, useRef } from 'react';

/**
 * The in-window keys of the call screen, in one table: the transfer keys (issue 15) and the wrap-up's Done (issue
 * 14). Global shortcuts (answer, hang up, mute, available) are a different thing: chosen by the user in settings
 * and registered with the system (shared/host/shortcuts.ts). These work while the window has focus, like the
 * incoming dialog's Enter and Escape.
 *
 * Alt + a letter, matched by the physical key (`code`), so the layout and macOS's Option characters do not change
 * them; "finish this" is Control+Enter (Command+Enter on macOS), as the wrap-up's Done already was.
 */
export type CallKeyAction = 'consult' | 'blind' | 'swap' | 'merge' | 'complete' | 'wrapUpDone';

interface CallKey {
  code: string;
  alt: boolean;
  /** Control, or Command on macOS. */
  primary: boolean;
  /** For aria-keyshortcuts and the tooltips. */
  aria: string;
}

const alt = (letter: string): CallKey => ({ code: `Key${letter}`, alt: true, primary: false, aria: `Alt+${letter}` });
const primaryEnter: CallKey = { code: 'Enter', alt: false, primary: true, aria: 'Control+Enter' };

export const CALL_KEYS: Record<CallKeyAction, CallKey> = {
  /** In a call: open Transfer, Enter consults the first match. */
  consult: alt('C'),
  /** In a call: open Transfer, Enter transfers to the first match at once (blind). */
  blind: alt('B'),
  /** Consult panel: talk to the other leg. */
  swap: alt('S'),
  /** Consult panel: merge into a three-way call; in one, split it. */
  merge: alt('M'),
  /** Consult panel: complete (Leave in a three-way call; "transfer when answered" while the expert rings). */
  complete: primaryEnter,
  /** Wrap-up panel: Done. */
  wrapUpDone: primaryEnter,
};

type KeyEventLike = Pick<KeyboardEvent, 'key' | 'code' | 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey'>;

export function matchesCallKey(action: CallKeyAction, event: KeyEventLike): boolean {
  const key = CALL_KEYS[action];
  const primary = event.ctrlKey || event.metaKey;
  // Enter by its meaning (the keypad's Enter too); letters by their place on the keyboard.
  const sameKey = key.code === 'Enter' ? event.key === 'Enter' : event.code === key.code;
  return sameKey && event.altKey === key.alt && primary === key.primary && !event.shiftKey;
}

/** "Swap (Alt+S)": a button's tooltip with its key. */
export const withKey = (label: string, action: CallKeyAction) => `${label} (${CALL_KEYS[action].aria})`;

/**
 * Listens on the window for the given actions while mounted. A key another handler already took (the wrap-up's
 * Control+Enter while its notes have focus) is left alone.
 */
export function useCallKeys(handlers: Partial<Record<CallKeyAction, (() => void) | null>>): void {
  const current = useRef(handlers);
  current.current = handlers;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.repeat) return;
      for (const [action, handler] of Object.entries(current.current) as [CallKeyAction, (() => void) | null | undefined][]) {
        if (handler && matchesCallKey(action, event)) {
          event.preventDefault();
          handler();
          return;
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/** Why the app is asked to quit. Closing windows is never one: the app lives in the tray. */
export type QuitSource = 'tray' | 'menu' | 'shortcut' | 'os';

export type QuitDecision = 'quit' | 'confirm';

/** Quitting during an active call asks first (unless the OS is shutting down, which cannot wait). */
export function quitDecision(source: QuitSource, inActiveCall: boolean): QuitDecision {
  return inActiveCall && source !== 'os' ? 'confirm' : 'quit';
}

/**
 * What a second launch hands over: focus the running instance, and pass a link if it carries one.
 */
export function secondInstanceAction(argv: readonly string[], findLink: (argv: readonly string[]) => string | null): { focus: true; link: string | null } {
  return { focus: true, link: findLink(argv) };
}

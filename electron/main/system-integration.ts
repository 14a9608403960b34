import { BridgeError } from '../../shared/bridge';
import type { ShortcutAction } from '../../shared/host';
import type { Settings } from '../../shared/settings';
import { FLAGS } from './config';

export interface SystemIntegrationDeps {
  platform: string;
  /** macOS and Windows: app.setLoginItemSettings. */
  setLoginItem: (openAtLogin: boolean, args: string[]) => void;
  /** Linux: writes or removes the XDG autostart entry. */
  setLinuxAutostart: (desktopEntry: string | null) => void;
  /** How the OS starts this app (config.ts selfLaunch). */
  launch: { exe: string; args: string[] };
  register: (accelerator: string, run: () => void) => boolean;
  unregister: (accelerator: string) => void;
  setProtocolClient: (scheme: 'tel' | 'callto', on: boolean) => void;
  runShortcut: (action: ShortcutAction) => void;
}

/** One Exec argument, quoted per the desktop entry spec when it needs it. */
function execArg(arg: string): string {
  return /[\s"'\\]/.test(arg) ? `"${arg.replace(/(["\\`$])/g, '\\$1')}"` : arg;
}

/** XDG autostart entry that starts the app hidden in the tray. */
export function linuxAutostartEntry(launch: { exe: string; args: string[] }): string {
  const exec = [launch.exe, ...launch.args, FLAGS.hidden].map(execArg).join(' ');
  return ['[Desktop Entry]', 'Type=Application', 'Name=Softphone', `Exec=${exec}`, 'X-GNOME-Autostart-enabled=true', 'NoDisplay=true', ''].join('\n');
}

const SHORTCUT_ACTIONS: ShortcutAction[] = ['answer', 'declineOrHangup', 'toggleMute', 'toggleAvailable'];

/**
 * Applies the settings the OS must know about: start at login, global shortcuts, tel:/callto:
 * handlers. Only what changed is touched. A shortcut another app owns fails with a clear error
 * (the host core then restores the previous settings).
 */
export function systemIntegration(deps: SystemIntegrationDeps) {
  return function apply(next: Settings, previous: Settings | null): void {
    if (!previous || previous.startAtLogin !== next.startAtLogin) {
      if (deps.platform === 'linux') deps.setLinuxAutostart(next.startAtLogin ? linuxAutostartEntry(deps.launch) : null);
      else deps.setLoginItem(next.startAtLogin, [...deps.launch.args, FLAGS.hidden]);
    }
    for (const scheme of ['tel', 'callto'] as const) {
      if (!previous || previous.deepLinks[scheme] !== next.deepLinks[scheme]) deps.setProtocolClient(scheme, next.deepLinks[scheme]);
    }
    const changed = SHORTCUT_ACTIONS.filter((action) => !previous || previous.shortcuts[action] !== next.shortcuts[action]);
    for (const action of changed) {
      const old = previous?.shortcuts[action];
      if (old) deps.unregister(old);
    }
    const failed: string[] = [];
    for (const action of changed) {
      const accelerator = next.shortcuts[action];
      if (accelerator && !deps.register(accelerator, () => deps.runShortcut(action))) failed.push(accelerator);
    }
    if (failed.length) {
      for (const action of changed) {
        const accelerator = next.shortcuts[action];
        if (accelerator && !failed.includes(accelerator)) deps.unregister(accelerator);
      }
      throw new BridgeError('VALIDATION_FAILED', `The shortcut ${failed.join(', ')} is already used by another app. Choose another one.`);
    }
  };
}

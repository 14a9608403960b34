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
  execPath: string;
  register: (accelerator: string, run: () => void) => boolean;
  unregister: (accelerator: string) => void;
  setProtocolClient: (scheme: 'tel' | 'callto', on: boolean) => void;
  runShortcut: (action: ShortcutAction) => void;
}

/** XDG autostart entry that starts the app hidden in the tray. */
export function linuxAutostartEntry(execPath: string): string {
  const quoted = /[\s"'\\]/.test(execPath) ? `"${execPath.replace(/(["\\`$])/g, '\\$1')}"` : execPath;
  return ['[Desktop Entry]', 'Type=Application', 'Name=Softphone', `Exec=${quoted} ${FLAGS.hidden}`, 'X-GNOME-Autostart-enabled=true', 'NoDisplay=true', ''].join('\n');
}

const SHORTCUT_ACTIONS: ShortcutAction[] = ['answer', 'declineOrHangup', 'toggleMute'];

/**
 * Applies the settings the OS must know about: start at login, global shortcuts, tel:/callto:
 * handlers. Only what changed is touched. A shortcut another app owns fails with a clear error
 * (the host core then restores the previous settings).
 */
export function systemIntegration(deps: SystemIntegrationDeps) {
  return function apply(next: Settings, previous: Settings | null): void {
    if (!previous || previous.startAtLogin !== next.startAtLogin) {
      if (deps.platform === 'linux') deps.setLinuxAutostart(next.startAtLogin ? linuxAutostartEntry(deps.execPath) : null);
      else deps.setLoginItem(next.startAtLogin, [FLAGS.hidden]);
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

import { execFile } from 'node:child_process';

type Run = (file: string, args: string[], options: { timeout: number }, done: (error: Error | null, stdout: string) => void) => unknown;

/**
 * Whether the Linux desktop shows tray icons. Electron's Linux tray is a StatusNotifierItem on
 * the session bus; it appears only where a StatusNotifierWatcher runs (KDE, Cinnamon, XFCE,
 * Ubuntu's GNOME; not stock GNOME). Electron has no API for this, so ask the bus. Any failure
 * (no dbus-send, no session bus) counts as "no tray": the safe answer, since the app then
 * minimizes its window instead of hiding it where nothing could bring it back.
 */
export function probeLinuxTrayHost(run: Run = execFile as unknown as Run): Promise<boolean> {
  return new Promise((resolve) => {
    run(
      'dbus-send',
      ['--session', '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', 'string:org.kde.StatusNotifierWatcher'],
      { timeout: 2_000 },
      (error, stdout) => resolve(!error && /boolean true/.test(String(stdout))),
    );
  });
}

import type { MenuItemConstructorOptions } from 'electron';
import type { HostStrings } from '../../shared/host';

export interface AppMenuActions {
  open(): void;
  quit(): void;
}

/**
 * The application menu. Electron's default menu ships View › Reload and Toggle Developer Tools:
 * Ctrl+R / Cmd+R would reload the renderer in the middle of a call and drop its media. This
 * menu has no reload at all; Quit goes through the app's own quit decision (never role 'quit',
 * which calls app.quit() directly); the Edit menu keeps copy and paste working in text fields
 * (on macOS those shortcuts exist only through the menu). Developer tools only when unpackaged.
 */
export function appMenuTemplate(platform: string, strings: HostStrings, packaged: boolean, actions: AppMenuActions): MenuItemConstructorOptions[] {
  const quit: MenuItemConstructorOptions = { label: strings.menuQuit, accelerator: 'CommandOrControl+Q', click: () => actions.quit() };
  const open: MenuItemConstructorOptions = { label: strings.menuOpen, click: () => actions.open() };
  const devTools: MenuItemConstructorOptions[] = packaged ? [] : [{ label: 'Develop', submenu: [{ role: 'toggleDevTools' }] }];
  if (platform === 'darwin') {
    return [
      {
        label: strings.appName,
        submenu: [{ role: 'about' }, { type: 'separator' }, open, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, quit],
      },
      { role: 'editMenu' },
      ...devTools,
      { role: 'windowMenu' },
    ];
  }
  return [{ label: strings.appName, submenu: [open, { type: 'separator' }, quit] }, { role: 'editMenu' }, ...devTools];
}

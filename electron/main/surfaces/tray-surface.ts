import type { MenuItemConstructorOptions } from 'electron';
import type { HostStrings, RingSurface, TrayView } from '../../../shared/host';

export type TrayIconName = TrayView['status'] | 'ringing';

export type TrayCommand = 'open' | 'toggle-dnd' | 'quit';

/** The tray menu: status line, open, DND toggle, quit. */
export function trayMenuTemplate(view: TrayView, dndOn: boolean, strings: HostStrings, run: (command: TrayCommand) => void): MenuItemConstructorOptions[] {
  return [
    { label: view.tooltip.split('\n')[0] ?? strings.appName, enabled: false },
    { type: 'separator' },
    { label: strings.menuOpen, click: () => run('open') },
    { label: dndOn ? strings.menuDndOff : strings.menuDndOn, type: 'checkbox', checked: dndOn, click: () => run('toggle-dnd') },
    { type: 'separator' },
    { label: strings.menuQuit, click: () => run('quit') },
  ];
}

export interface TraySurfaceDeps {
  setImage: (icon: TrayIconName) => void;
  setToolTip: (text: string) => void;
  setMenu: (template: MenuItemConstructorOptions[]) => void;
  /** app.setBadgeCount where supported. */
  setBadgeCount: (count: number) => void;
  /** flashFrame on the main window (taskbar attention). */
  flashFrame: (on: boolean) => void;
  strings: () => HostStrings;
  dndOn: () => boolean;
  run: (command: TrayCommand) => void;
}

/** Tray icon, tooltip, menu and badge follow the host's tray view; ringing flashes the taskbar. */
export class TraySurface implements RingSurface {
  readonly name = 'tray';
  private readonly ringing = new Set<string>();

  constructor(private readonly deps: TraySurfaceDeps) {}

  update(view: TrayView): void {
    this.deps.setImage(view.ringing ? 'ringing' : view.status);
    this.deps.setToolTip(view.tooltip);
    this.deps.setBadgeCount(view.missedCount);
    this.deps.setMenu(trayMenuTemplate(view, this.deps.dndOn(), this.deps.strings(), this.deps.run));
  }

  start(call: { callId: string }): void {
    this.ringing.add(call.callId);
    this.deps.flashFrame(true);
  }

  stop(callId: string): void {
    this.ringing.delete(callId);
    if (this.ringing.size === 0) this.deps.flashFrame(false);
  }
}

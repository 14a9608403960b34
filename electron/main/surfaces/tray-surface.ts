import type { MenuItemConstructorOptions } from 'electron';
import type { AgentTrayCommand, AgentTrayEntry, HostStrings, RingSurface, TrayView } from '../../../shared/host';

export type TrayIconName = TrayView['status'] | 'ringing';

export type TrayCommand = 'open' | 'toggle-dnd' | 'quit' | AgentTrayCommand;

function agentItem(entry: AgentTrayEntry, run: (command: TrayCommand) => void): MenuItemConstructorOptions {
  if (entry.type === 'separator') return { type: 'separator' };
  if (entry.type === 'choice') return { label: entry.label, type: 'radio', checked: entry.checked, click: () => run(entry.command) };
  return { label: entry.label, enabled: entry.enabled, click: () => run(entry.command) };
}

/**
 * The tray menu: status line, open, then the agent's status submenu (support-line agents, issue 14;
 * its one-click actions on top) or the DND toggle, quit.
 */
export function trayMenuTemplate(view: TrayView, dndOn: boolean, strings: HostStrings, run: (command: TrayCommand) => void): MenuItemConstructorOptions[] {
  const actions = view.agentMenu.filter((entry) => entry.type === 'action');
  const choices = view.agentMenu.filter((entry) => entry.type === 'choice');
  const status: MenuItemConstructorOptions[] = view.agentMenu.length
    ? [...actions.map((entry) => agentItem(entry, run)), { label: strings.menuAgentStatus, submenu: choices.map((entry) => agentItem(entry, run)) }]
    : [{ label: dndOn ? strings.menuDndOff : strings.menuDndOn, type: 'checkbox', checked: dndOn, click: () => run('toggle-dnd') }];
  return [
    { label: view.tooltip.split('\n')[0] ?? strings.appName, enabled: false },
    { type: 'separator' },
    { label: strings.menuOpen, click: () => run('open') },
    ...status,
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

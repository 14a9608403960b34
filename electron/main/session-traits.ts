type Env = Record<string, string | undefined>;

/** What the desktop session can do, decided once at start-up. */
export interface SessionTraits {
  /**
   * Linux on Wayland, Electron's default there since 38 (--ozone-platform-hint=auto): the compositor
   * places windows, so the incoming window's position, always-on-top and skipTaskbar are ignored.
   */
  wayland: boolean;
  /** setVisibleOnAllWorkspaces does something: macOS (a panel) and Linux on X11 (_NET_WM_STATE_STICKY); Windows has no such API. */
  allWorkspaces: boolean;
  /**
   * The incoming window pops up in the corner by itself. On Wayland it would open wherever the
   * compositor puts it, possibly behind other windows, so the notification rings there and a
   * click on it brings the window forward.
   */
  incomingWindowPops: boolean;
}

/**
 * Chromium's ozone selection: an explicit --ozone-platform wins, then --ozone-platform-hint
 * (Electron 38 and later default it to `auto` and dropped ELECTRON_OZONE_PLATFORM_HINT), where
 * `auto` follows XDG_SESSION_TYPE, or WAYLAND_DISPLAY when the session type is unset.
 */
export function isWaylandSession(platform: string, env: Env, switches: { ozonePlatform: string; ozonePlatformHint: string }): boolean {
  if (platform !== 'linux') return false;
  const chosen = switches.ozonePlatform || switches.ozonePlatformHint || 'auto';
  if (chosen === 'x11' || chosen === 'headless') return false;
  if (chosen === 'wayland') return true;
  return env.XDG_SESSION_TYPE ? env.XDG_SESSION_TYPE === 'wayland' : Boolean(env.WAYLAND_DISPLAY);
}

export function sessionTraits(platform: string, wayland: boolean): SessionTraits {
  return {
    wayland,
    allWorkspaces: platform === 'darwin' || (platform === 'linux' && !wayland),
    incomingWindowPops: !wayland,
  };
}

/**
 * Chromium features the app enables before `ready`. On Linux, global shortcuts under Wayland go
 * through the XDG GlobalShortcuts portal, which Chromium uses only with this feature on.
 */
export function chromiumFeatures(platform: string): string[] {
  return platform === 'linux' ? ['GlobalShortcutsPortal'] : [];
}

/** Why the app is asked to quit. Closing windows is never one: the app lives in the tray. */
export type QuitSource = 'tray' | 'menu' | 'shortcut' | 'os' | 'external';

export type QuitDecision = 'quit' | 'confirm';

/**
 * Quitting during an active call asks first, unless the OS is shutting down or ending the
 * session, which cannot wait. 'external' is a quit the app did not start itself (macOS Dock ›
 * Quit, logout, the updater): it asks like the menu does.
 */
export function quitDecision(source: QuitSource, inActiveCall: boolean): QuitDecision {
  return inActiveCall && source !== 'os' ? 'confirm' : 'quit';
}

/**
 * What a second launch hands over: focus the running instance, and pass a link if it carries one.
 */
export function secondInstanceAction(argv: readonly string[], findLink: (argv: readonly string[]) => string | null): { focus: true; link: string | null } {
  return { focus: true, link: findLink(argv) };
}

export interface QuitDeps {
  hasActiveCall(): boolean;
  /** The "end the call and quit?" dialog; true = quit. */
  confirm(): Promise<boolean>;
  /** app.quit() */
  quit(): void;
  /** Runs `run` in a fresh macrotask (setImmediate): never inside an Electron quit pass. */
  defer(run: () => void): void;
  /** Hangs up and disconnects (PhoneCore stop, bounded). */
  hangUp(): Promise<void>;
  /** Last step before the process ends (shortcuts, tray). */
  finish(): void;
}

interface Preventable {
  preventDefault(): void;
}

/**
 * The one place the app decides to quit, wired to app 'before-quit' and 'will-quit'.
 *
 * Electron's quit (shell/browser/browser.cc, Electron 41):
 *   Browser::Quit()              if (is_quitting_) return;
 *                                is_quitting_ = HandleBeforeQuit();     // emits before-quit
 *                                if (!is_quitting_) return;
 *                                windows ? WindowList::CloseAllWindows() : NotifyAndShutdown();
 *   Browser::OnWindowAllClosed() is_quitting_ ? NotifyAndShutdown() : emit window-all-closed
 *   Browser::NotifyAndShutdown() emits will-quit; if prevented: is_quitting_ = false; return
 *
 * So a before-quit listener must never call app.quit() again inside the event: the inner pass
 * starts closing the windows, then the outer pass stores `false` over is_quitting_, the last
 * window closes while Electron thinks it is not quitting, and the app stays up with a dead tray
 * (issue 11, defect 1). A retry from a promise is no better when the event came from a native
 * task (Cmd+Q, Dock, a window finishing its close): Node drains microtasks as that emit returns,
 * still inside Quit()/NotifyAndShutdown(). Every re-issued app.quit() therefore goes through
 * `defer` (a fresh macrotask), after Electron's pass has returned.
 */
export class QuitController {
  private decided = false;
  private asking = false;
  private hangUpStarted = false;
  private hungUp = false;

  constructor(private readonly deps: QuitDeps) {}

  /** True once the app decided to quit: windows then really close. */
  get isQuitting(): boolean {
    return this.decided;
  }

  /** Tray Quit, menu Quit (Cmd+Q), the OS: decide, then call app.quit() once. */
  request(source: QuitSource): void {
    if (this.decided) return this.deps.quit();
    if (quitDecision(source, this.deps.hasActiveCall()) === 'quit') {
      this.decided = true;
      return this.deps.quit();
    }
    if (this.asking) return;
    this.asking = true;
    void this.deps.confirm().then(
      (yes) => {
        this.asking = false;
        if (!yes) return;
        this.decided = true;
        this.deps.defer(() => this.deps.quit());
      },
      () => (this.asking = false),
    );
  }

  /** app 'before-quit'. A quit this controller started passes; another one is decided here. */
  onBeforeQuit(event: Preventable): void {
    if (this.decided) return;
    if (quitDecision('external', this.deps.hasActiveCall()) === 'quit') {
      this.decided = true;
      return;
    }
    event.preventDefault();
    this.deps.defer(() => this.request('external'));
  }

  /** app 'will-quit': hang up first (bounded), then quit again from a fresh task. */
  onWillQuit(event: Preventable): void {
    if (this.hungUp) return this.deps.finish();
    event.preventDefault();
    if (this.hangUpStarted) return;
    this.hangUpStarted = true;
    void this.deps
      .hangUp()
      .catch(() => undefined)
      .finally(() => {
        this.hungUp = true;
        this.deps.defer(() => this.deps.quit());
      });
  }
}

import type { BrowserWindow } from 'electron';
import type { RingInstruction } from '../../../shared/bridge';
import type { RingSurface } from '../../../shared/host';
import type { CallView } from '../../../shared/phone';
import { incomingWindowBounds, type Rect } from './placement';

export type IncomingWindowLike = Pick<BrowserWindow, 'showInactive' | 'hide' | 'setBounds' | 'isDestroyed' | 'show' | 'focus' | 'moveTop' | 'once'>;

export interface IncomingWindowDeps {
  window: () => IncomingWindowLike | null;
  primaryWorkArea: () => Rect;
  platform: string;
  /**
   * The window pops up in the corner by itself. False on Wayland, where the compositor places
   * windows: the notification rings there, and a click on it brings this window forward.
   */
  pops: boolean;
  /** High-resolution time in ms (performance.now). */
  now: () => number;
  /** Told how long it took from the incoming event to the window being shown (the latency measurement). */
  onShown?: (callId: string, ms: number) => void;
}

/**
 * The incoming-call window as a ring surface. The window exists (hidden, loaded) from start-up,
 * so ringing only moves it to the corner and shows it without taking focus; the renderer in it
 * shows the caller from the phone.incoming bridge event and plays the ringtone.
 */
export class IncomingWindowSurface implements RingSurface {
  readonly name = 'incoming-window';
  private readonly ringing = new Set<string>();

  constructor(private readonly deps: IncomingWindowDeps) {}

  start(call: CallView, _ring: RingInstruction): void {
    const startedAt = this.deps.now();
    this.ringing.add(call.callId);
    const window = this.live();
    if (!window || !this.deps.pops) return;
    window.setBounds(incomingWindowBounds(this.deps.primaryWorkArea(), this.deps.platform));
    window.once('show', () => this.deps.onShown?.(call.callId, this.deps.now() - startedAt));
    window.showInactive();
    window.moveTop();
  }

  stop(callId: string): void {
    this.ringing.delete(callId);
    if (this.ringing.size === 0) this.live()?.hide();
  }

  /** A click on the notification: bring the window forward and give it focus (Enter answers, Esc declines). */
  bringForward(): void {
    if (this.ringing.size === 0) return;
    const window = this.live();
    window?.show();
    window?.focus();
  }

  get isRinging(): boolean {
    return this.ringing.size > 0;
  }

  private live(): IncomingWindowLike | null {
    const window = this.deps.window();
    return window && !window.isDestroyed() ? window : null;
  }
}

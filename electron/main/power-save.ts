import type { PowerSaveMode } from '../../shared/host';

export interface PowerSaveBlockerLike {
  start(type: 'prevent-app-suspension' | 'prevent-display-sleep'): number;
  stop(id: number): void;
}

/** Holds at most one powerSaveBlocker: display awake for video, app awake for audio, none otherwise. */
export class PowerSaveController {
  private active: { mode: Exclude<PowerSaveMode, null>; id: number } | null = null;

  constructor(private readonly blocker: PowerSaveBlockerLike) {}

  apply(mode: PowerSaveMode): void {
    if (this.active?.mode === mode) return;
    if (this.active) this.blocker.stop(this.active.id);
    this.active = mode ? { mode, id: this.blocker.start(mode) } : null;
  }

  get mode(): PowerSaveMode {
    return this.active?.mode ?? null;
  }
}

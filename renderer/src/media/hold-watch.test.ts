import { describe, expect, it } from 'vitest';
import { BOB, CAROL, callView } from '../../../shared/testing/fixtures';
import { HOLD_REMINDER_MS, HoldWatch } from './hold-watch';
import { PROGRESS_TONES } from './tones';

const customer = callView({ callId: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', peer: BOB, phase: 'active', held: true });
const expert = callView({ callId: 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', peer: CAROL, phase: 'active', held: false });

describe('the hold reminder', () => {
  it('is due after a minute on hold, counts the minutes, and follows the longest-held call', () => {
    const watch = new HoldWatch();
    watch.follow([customer, expert], 1_000);
    expect(watch.longest([customer, expert], 1_000 + HOLD_REMINDER_MS - 1)).toMatchObject({ call: { peer: BOB }, periods: 0 });
    expect(watch.longest([customer, expert], 1_000 + HOLD_REMINDER_MS)).toMatchObject({ call: { peer: BOB }, periods: 1 });
    // Swap: the expert is held now (later), the customer is live: the clock is the expert's, from the swap.
    const swapped = [{ ...customer, held: false }, { ...expert, held: true }];
    watch.follow(swapped, 70_000);
    expect(watch.longest(swapped, 70_000 + 2 * HOLD_REMINDER_MS)).toMatchObject({ call: { peer: CAROL }, periods: 2 });
  });

  it('starts again after a resume, and ignores calls not answered', () => {
    const watch = new HoldWatch();
    watch.follow([customer], 0);
    watch.follow([{ ...customer, held: false }], 30_000);
    watch.follow([customer], 40_000);
    expect(watch.longest([customer], 40_000 + HOLD_REMINDER_MS - 1)?.periods).toBe(0);
    const ringing = { ...customer, phase: 'ringback' as const };
    watch.follow([ringing], 0);
    expect(watch.longest([ringing], HOLD_REMINDER_MS * 5)).toBeNull();
  });

  it('beeps softly, once per reminder', () => {
    expect(PROGRESS_TONES['hold-reminder'].loop).toBe(false);
    expect(PROGRESS_TONES['hold-reminder'].gain).toBeLessThanOrEqual(PROGRESS_TONES.hold.gain);
  });
});

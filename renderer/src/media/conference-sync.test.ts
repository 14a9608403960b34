import { describe, expect, it } from 'vitest';
import type { TransferView } from '../../../shared/protocol';
import { ConferenceError, type ConferenceView } from './conference-hub';
import { ConferenceSync, type ConferencePort } from './conference-sync';

const ORIGINAL = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const LEG = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const person = (n: number) => ({ userId: `${n}${n}${n}${n}${n}${n}${n}${n}-1111-4111-8111-111111111111`, username: `u${n}`, displayName: `U${n}` });

function transfer(state: TransferView['state'], updatedAt = '2025-01-01T10:00:00.000Z'): TransferView {
  return {
    transferId: 'cccccccc-cccc-4ccc-8ccc-cccccccccccc',
    kind: 'consult',
    state,
    originalCallId: ORIGINAL,
    legCallId: LEG,
    newCallId: null,
    customer: person(1),
    target: person(2),
    liveLeg: state === 'merged' ? 'both' : 'leg',
    autoComplete: false,
    endReason: null,
    updatedAt,
  };
}

/** A hub that records what it was asked; a merge can be held open to race it. */
class FakeHub implements ConferencePort {
  view: ConferenceView = { state: 'idle', callIds: [], playback: null };
  media = new Set([ORIGINAL, LEG]);
  log: string[] = [];
  refusals: string[] = [];
  failMerge: Error | null = null;
  private release: (() => void) | null = null;
  holdMerges = false;
  conference() {
    return this.view;
  }
  hasMedia(callId: string) {
    return this.media.has(callId);
  }
  async merge(a: string, b: string) {
    this.log.push(`merge ${a === ORIGINAL && b === LEG ? 'original+leg' : `${a}+${b}`}`);
    if (this.failMerge) throw this.failMerge;
    if (this.holdMerges) await new Promise<void>((resolve) => (this.release = resolve));
    this.view = { state: 'merged', callIds: [a, b], playback: null };
  }
  async unmerge() {
    this.log.push('unmerge');
    this.view = { state: 'idle', callIds: [], playback: null };
  }
  refused(t: TransferView, error: unknown) {
    this.refusals.push(`${t.transferId.slice(0, 4)} ${error instanceof ConferenceError ? error.code : String(error)}`);
  }
  finishMerge() {
    this.release?.();
  }
}

const settle = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

describe('ConferenceSync: the hub follows the server', () => {
  it('merges when the transfer is merged, unmerges when it is split or cancelled, and does nothing twice', async () => {
    const hub = new FakeHub();
    const sync = new ConferenceSync(hub);
    sync.follow([transfer('consulting')]);
    await settle();
    expect(hub.log).toEqual([]);
    sync.follow([transfer('merged')]);
    await settle();
    sync.follow([transfer('merged')]);
    await settle();
    expect(hub.log).toEqual(['merge original+leg']);
    sync.follow([transfer('consulting')]);
    await settle();
    expect(hub.log).toEqual(['merge original+leg', 'unmerge']);
    sync.follow([transfer('merged')]);
    await settle();
    sync.follow([transfer('cancelled')]);
    await settle();
    expect(hub.log).toEqual(['merge original+leg', 'unmerge', 'merge original+leg', 'unmerge']);
  });

  it('leaves alone a three-way call made through the media API without a transfer', async () => {
    const hub = new FakeHub();
    hub.view = { state: 'merged', callIds: ['eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee', 'ffffffff-ffff-4fff-8fff-ffffffffffff'], playback: null };
    const sync = new ConferenceSync(hub);
    sync.follow([]);
    sync.follow([transfer('consulting')]);
    await settle();
    expect(hub.log).toEqual([]);
  });

  it('waits for both legs to have media (a reload re-creates the hub once the sessions are open)', async () => {
    const hub = new FakeHub();
    hub.media.delete(LEG);
    const sync = new ConferenceSync(hub);
    sync.follow([transfer('merged')]);
    await settle();
    expect(hub.log).toEqual([]);
    hub.media.add(LEG);
    sync.mediaChanged();
    await settle();
    expect(hub.log).toEqual(['merge original+leg']);
  });

  it('a split that arrives while the merge is still starting ends unmerged', async () => {
    const hub = new FakeHub();
    hub.holdMerges = true;
    const sync = new ConferenceSync(hub);
    sync.follow([transfer('merged')]);
    await settle();
    sync.follow([transfer('consulting')]);
    await settle();
    hub.finishMerge();
    await settle();
    expect(hub.log).toEqual(['merge original+leg', 'unmerge']);
    expect(hub.view.state).toBe('idle');
  });

  it('a merge the hub refuses is reported (the caller splits on the server), and not retried in a loop', async () => {
    const hub = new FakeHub();
    hub.failMerge = new ConferenceError('call-ended', 'gone');
    const sync = new ConferenceSync(hub);
    sync.follow([transfer('merged')]);
    await settle();
    sync.follow([transfer('merged')]);
    await settle();
    expect(hub.refusals).toEqual(['cccc call-ended']);
    expect(hub.log).toEqual(['merge original+leg']);
    // The server says something new (merged again later): tried again.
    sync.follow([transfer('merged', '2025-01-01T10:00:09.000Z')]);
    await settle();
    expect(hub.log).toEqual(['merge original+leg', 'merge original+leg']);
  });

  it('while the agent leaves a completed transfer, the hub keeps mixing until the legs end', async () => {
    const hub = new FakeHub();
    const sync = new ConferenceSync(hub);
    sync.follow([transfer('merged')]);
    await settle();
    hub.view = { ...hub.view, state: 'leaving' };
    sync.follow([transfer('completed')]);
    await settle();
    expect(hub.log).toEqual(['merge original+leg']);
    // Leaving, but the transfer was cancelled instead (the expert left): the agent gets the customer back.
    sync.follow([transfer('cancelled')]);
    await settle();
    expect(hub.log).toEqual(['merge original+leg', 'unmerge']);
  });
});

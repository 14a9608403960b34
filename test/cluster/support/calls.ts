import { expect } from 'vitest';
import type { RawDevice } from '../../../server/test/helpers/raw-device';
import type { Ack, ErrorBody } from '../../../shared/protocol';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let signalCount = 0;

/**
 * One signal each way between the two ends of an answered call, each acknowledged by the receiving device
 * (`delivered: true`) and received there. With `retryUndelivered`, a signal the store's outage kept from
 * its receiver is sent again (a fresh one) until one gets through, at most 20 times: for the seconds
 * after Redis returns, while each node's connections reconnect.
 */
export async function signalBothWays(a: RawDevice, b: RawDevice, callId: string, options: { retryUndelivered?: boolean } = {}): Promise<void> {
  for (const [from, to] of [
    [a, b],
    [b, a],
  ] as const) {
    for (let attempt = 1; ; attempt++) {
      const sdp = `v=0 ${(signalCount += 1)}`;
      const ack = await from.request('call:signal', { callId, data: { type: 'offer', sdp } });
      if (ack.ok && ack.delivered) {
        await to.next('call:signal', (signal) => signal.callId === callId && 'sdp' in signal.data && signal.data.sdp === sdp);
        break;
      }
      if (!options.retryUndelivered || attempt >= 20) throw new Error(`signal ${from.deviceId} -> ${to.deviceId} not delivered: ${JSON.stringify(ack)}`);
      await sleep(250);
    }
  }
}

/** Sends until the answer is not STORAGE_UNAVAILABLE (the store is back, the pool reconnects), at most 15 s. */
export async function retryWhileUnavailable<T>(send: () => Promise<Ack<T>>): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const ack = await send();
    if (ack.ok) return ack;
    if (ack.error.code !== 'STORAGE_UNAVAILABLE' || Date.now() > deadline) throw new Error(`refused: ${JSON.stringify(ack.error as ErrorBody)}`);
    await sleep(250);
  }
}

/** The callee's device was told of this missed call exactly once (a duplicated end would deliver it twice), waiting a moment for a late second one. */
export async function expectOneMissedCall(device: RawDevice, callId: string): Promise<void> {
  const delivered = () => device.all('missed:calls').flatMap((batch) => batch.calls).filter((call) => call.callId === callId);
  const deadline = Date.now() + 10_000;
  while (delivered().length === 0 && Date.now() < deadline) await sleep(50);
  await sleep(1_000);
  expect(delivered()).toHaveLength(1);
}

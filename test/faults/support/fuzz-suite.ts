import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientEvents, type ClientEventName } from '../../../shared/protocol';
import { startFuzzBed, stillServing, type FuzzBed } from './fuzz-bed';
import { checkHttpCase, ROUTES } from './fuzz-http';
import { checkSocketCase, socketCases } from './fuzz-socket';

/** The number of inputs each socket event and each HTTP route gets for a total of `total` generated inputs. */
/** Sockets fuzzing at the same time: half of MAX_DEVICES_PER_USER (20), so the device cap never refuses one. */
const FUZZ_SOCKETS_AT_ONCE = 10;

export const runsPerTarget = (total: number) => Math.ceil(total / (Object.keys(clientEvents).length + ROUTES.length));

/**
 * The fuzzing suite, at a given number of generated inputs per socket event and per HTTP route:
 * `npm test` runs it small (fuzz.test.ts), `npm run test:faults` with 10,000 inputs in all (fuzz.slow.ts,
 * issue 10's number).
 * Afterwards: the process never died (no unhandled rejection or exception), nothing was logged at
 * error level, it still serves, and the stored state is byte-for-byte what it was.
 */
export function defineFuzzSuite(runs: number, seed?: number): void {
  describe(`fuzzing with ${runs.toLocaleString('en')} malformed inputs per socket event and HTTP route`, () => {
    let bed: FuzzBed;
    let before: Record<string, unknown[]>;
    const perCaseMs = 5;
    // Every event (16 with the line events) fuzzes on its own socket in parallel: the budget grows with their number.
    const timeout = 60_000 + runs * perCaseMs * Object.keys(clientEvents).length;
    // The routes run in parallel on one server, so the time grows with their number (21 with the line routes):
    // about 6 s per route at 300 runs on a loaded 2-core machine; the budget allows twice that.
    const httpTimeout = 60_000 + runs * perCaseMs * 2 * ROUTES.length;
    const options = { numRuns: runs, ...(seed !== undefined ? { seed } : {}), endOnFailure: true };

    beforeAll(async () => {
      bed = await startFuzzBed();
      before = await bed.snapshot();
    }, 60_000);
    afterAll(async () => {
      await bed?.close();
    });

    it(
      'every socket event answers every malformed payload with a typed error acknowledgement',
      async () => {
        const events = Object.keys(clientEvents) as ClientEventName[];
        // One socket per event, all of the one user mallory: at most half the device cap at a time (the cap refuses the rest).
        for (let start = 0; start < events.length; start += FUZZ_SOCKETS_AT_ONCE) {
          await Promise.all(
            events.slice(start, start + FUZZ_SOCKETS_AT_ONCE).map(async (event) => {
              const socket = await bed.connectMallory(`fuzz-mallory-${event.replace(/[^a-z]/g, '-')}`);
              await fc.assert(
                fc.asyncProperty(socketCases(event, bed), async (c) => {
                  const problem = await checkSocketCase(socket, event, c);
                  if (problem) throw new Error(`${event} ${JSON.stringify(c.payload).slice(0, 200)}: ${problem}`);
                }),
                options,
              );
              socket.close();
            }),
          );
        }
      },
      timeout,
    );

    it(
      'every HTTP route refuses every malformed request with a 4xx and a typed error body',
      async () => {
        await Promise.all(
          ROUTES.map((route) =>
            fc.assert(
              fc.asyncProperty(route.cases(bed), async (c) => {
                const problem = await checkHttpCase(bed.server.url, c);
                if (problem) throw new Error(`${route.name} ${c.method} ${c.path.slice(0, 120)} ${c.body?.slice(0, 120) ?? ''}: ${problem}`);
              }),
              options,
            ),
          ),
        );
      },
      httpTimeout,
    );

    it('the server stayed up, logged no error, serves everyone, and the stored state is unchanged', async () => {
      expect(bed.server.exitCode()).toBeNull();
      expect(await stillServing(bed)).toBe(true);
      const errors = bed.server
        .logs()
        .split('\n')
        .filter((line) => /"level":(50|60)/.test(line) || /unhandled|uncaught/i.test(line));
      expect(errors).toEqual([]);
      expect(await bed.snapshot()).toEqual(before);
    });
  });
}

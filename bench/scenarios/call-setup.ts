import type { Page } from '@playwright/test';
import { launchChromium } from '../../test/support/chromium';
import { bench, openBenchPage, setupTime, type SetupTiming } from '../browser/chromium';
import { buildBenchPage } from '../browser/build-page';
import { serveDirectory } from '../browser/static-server';
import type { CallSetupResults } from '../lib/results';
import { summarize } from '../lib/stats';
import { startOurServer } from './our-server';
import { startBareRelay } from './servers';
import { registerUsers } from './user-pool';

/**
 * Benchmark 3: accept -> both simple-peer peers `connect`, in two pages of one headless Chromium.
 * The bare pair and ours alternate call by call, so drift on the machine hits both alike.
 */

async function bareCall(caller: Page, callee: Page, index: number): Promise<SetupTiming> {
  const key = `bare-${index}`;
  await bench(caller, 'bareDial', 'callee', key);
  const ringing = await bench(callee, 'nextIncoming', 15_000);
  await bench(callee, 'bareAccept', ringing, 'caller');
  const ms = await setupTime(callee, caller, ringing, ringing);
  await Promise.all([bench(caller, 'closePeer', key), bench(callee, 'closePeer', key)]);
  return ms;
}

async function ourCall(caller: Page, callee: Page, calleeUsername: string): Promise<SetupTiming> {
  const callId = await bench(caller, 'oursDial', calleeUsername);
  const ringing = await bench(callee, 'nextIncoming', 15_000);
  await bench(callee, 'oursAccept', ringing);
  const ms = await setupTime(callee, caller, ringing, callId);
  await bench(caller, 'oursHangup', callId);
  await Promise.all([bench(caller, 'closePeer', callId), bench(callee, 'closePeer', callId)]);
  return ms;
}

export async function runCallSetup(config: { calls: number; warmupCalls: number }, log: (line: string) => void): Promise<CallSetupResults> {
  const site = await serveDirectory(await buildBenchPage());
  const bareRelay = await startBareRelay();
  const ours = await startOurServer({ CORS_ORIGINS: site.url });
  const browser = await launchChromium();
  try {
    const [caller, callee] = await registerUsers(ours.url, 'setup', 2);
    if (!caller || !callee) throw new Error('users missing');
    const [pageA, pageB] = await Promise.all([openBenchPage(browser, site.url), openBenchPage(browser, site.url)]);
    if (!pageA || !pageB) throw new Error('pages missing');
    await Promise.all([bench(pageA, 'bareJoin', bareRelay.url, 'caller'), bench(pageB, 'bareJoin', bareRelay.url, 'callee')]);
    await Promise.all([bench(pageA, 'oursJoin', ours.url, caller.token, 'setup-caller-device'), bench(pageB, 'oursJoin', ours.url, callee.token, 'setup-callee-device')]);
    const bare: number[] = [];
    const our: number[] = [];
    const bareAccept: number[] = [];
    const ourAccept: number[] = [];
    let failures = 0;
    for (let i = 0; i < config.warmupCalls + config.calls; i++) {
      for (const flow of i % 2 === 0 ? (['bare', 'ours'] as const) : (['ours', 'bare'] as const)) {
        try {
          const timing = flow === 'bare' ? await bareCall(pageA, pageB, i) : await ourCall(pageA, pageB, callee.username);
          if (i >= config.warmupCalls) {
            (flow === 'bare' ? bare : our).push(timing.totalMs);
            (flow === 'bare' ? bareAccept : ourAccept).push(timing.acceptToCallerPeerMs);
          }
        } catch (error) {
          failures++;
          log(`  call ${i} (${flow}) failed: ${error instanceof Error ? error.message : String(error)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    }
    const result: CallSetupResults = {
      calls: config.calls,
      bare: { ...summarize(bare), samples: bare },
      ours: { ...summarize(our), samples: our },
      acceptToCallerPeer: { bare: summarize(bareAccept), ours: summarize(ourAccept) },
      failures,
    };
    log(`  call setup p50: bare ${result.bare.p50.toFixed(1)} ms, ours ${result.ours.p50.toFixed(1)} ms (${failures} failures)`);
    return result;
  } finally {
    await browser.close();
    await Promise.all([ours.stop(), bareRelay.stop(), site.close()]);
  }
}

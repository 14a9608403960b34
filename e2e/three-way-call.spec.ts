import type { Page } from '@playwright/test';
import { rmSync } from 'node:fs';
import { agent, conferenceWebRoot } from './support/conference-harness';
import { expect, test as base } from './support/fixtures';
import { mediaGrowth } from './support/media-stats';
import { AGENT_HZ, agentCalls, CUSTOMER_HZ, EXPERT_HZ, expectHears, threeParties, type ThreeParties } from './support/three-parties';

/**
 * Issue 15, the media of a three-way call: the agent's client is the hub (renderer/src/media/conference-hub.ts).
 * Three Chromiums, each with its own fake microphone playing one pure tone (agent 440 Hz, customer
 * 1000 Hz, expert 1660 Hz); the agent calls the customer and the expert through the real service
 * (two ordinary calls, real RTCPeerConnections through simple-peer), then merges them. Who hears whom
 * is measured on the audio each side really receives (an FFT of the customer's and the expert's call
 * audio in the app, and of what the hub plays to the agent).
 */

type Log = (what: string) => (line: string) => void;

/**
 * This file's service serves the agent page next to the app (see conferenceWebRoot); each test gets the
 * three parties signed in, and a log that keeps its measurements as test annotations.
 */
const test = base.extend<{ parties: ThreeParties; log: Log }, { serverEnv: Record<string, string> }>({
  parties: async ({ server, newUser }, use) => {
    const parties = await threeParties(server.url, newUser);
    await use(parties);
    await parties.close();
  },
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies as a destructured object; this one needs none
  log: async ({}, use, testInfo) => {
    await use((what) => (line) => testInfo.annotations.push({ type: what, description: line }));
  },
  serverEnv: [
    // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies as a destructured object; this one needs none
    async ({}, use) => {
      const root = await conferenceWebRoot();
      await use({ WEB_ROOT: root });
      rmSync(root, { recursive: true, force: true });
    },
    { scope: 'worker', timeout: 60_000 },
  ],
});

test.describe.configure({ timeout: 180_000 });

/** All three sides' hearing in one phase. */
async function expectPhase(hub: Page, customer: Page, expert: Page, phase: string, hears: { customer: number[]; expert: number[]; agent: number[] }, log: Log) {
  await expectHears(customer, 'call-audio', hears.customer, log(`${phase}: the customer receives`));
  await expectHears(expert, 'call-audio', hears.expert, log(`${phase}: the expert receives`));
  await expectHears(hub, 'conference-playback', hears.agent, log(`${phase}: the agent hears`));
}

test('three-way call: each side hears both others; mute takes the agent out of both legs; a new microphone joins both mixes; a held leg drops out and comes back; unmerge restores two plain calls', async ({ parties, log }) => {
  const { hub, customer, expert, users } = parties;
  // The customer's call is a video call: the three-way call is audio only (docs/media.md).
  const customerCall = await agentCalls(hub, customer, users.customer.username, 'video');
  await agent(hub, 'hold', customerCall, true); // a consult: the customer waits while the agent calls the expert
  const expertCall = await agentCalls(hub, expert, users.expert.username);
  await agent(hub, 'hold', customerCall, false);
  const negotiated = [await agent(hub, 'descriptions', customerCall), await agent(hub, 'descriptions', expertCall)];

  await test.step('two separate calls: each party hears only the agent', async () => {
    await expectPhase(hub, customer, expert, 'before merge', { customer: [AGENT_HZ], expert: [AGENT_HZ], agent: [] }, log);
    await expect.poll(async () => (await mediaGrowth(customer, 1_000)).videoBytesReceived).toBeGreaterThan(0);
  });

  await test.step('merged: everyone hears both others, on the same two connections (no renegotiation), and no video is sent', async () => {
    const ms = await agent(hub, 'merge', customerCall, expertCall);
    log('time to merge (call to both senders carrying the mix)')(`${ms.toFixed(1)} ms`);
    expect([await agent(hub, 'audioSending', customerCall), await agent(hub, 'audioSending', expertCall)]).toEqual(['mix', 'mix']);
    expect(await agent(hub, 'conference')).toEqual({ state: 'merged', callIds: [customerCall, expertCall] });
    await expectPhase(hub, customer, expert, 'merged', { customer: [AGENT_HZ, EXPERT_HZ], expert: [AGENT_HZ, CUSTOMER_HZ], agent: [CUSTOMER_HZ, EXPERT_HZ] }, log);
    await expect.poll(async () => (await mediaGrowth(customer, 1_000)).videoBytesReceived).toBe(0);
    const figures = await agent(hub, 'hubFigures', [customerCall, expertCall]);
    const each = (values: number[]) => values.map((v) => v.toFixed(0)).join(' / ');
    log('what the hub costs (customer leg / expert leg)')(
      `sends ${each(figures.sendKbps)} kb/s; adds a jitter buffer of ${each(figures.jitterBufferMs)} ms, WebAudio ${figures.webAudioMs?.toFixed(1)} ms and one Opus frame (${figures.opusFrameMs} ms)`,
    );
    expect([await agent(hub, 'descriptions', customerCall), await agent(hub, 'descriptions', expertCall)]).toEqual(negotiated);
  });

  await test.step('mute on the hub: the agent is gone from both legs, the customer and the expert still hear each other', async () => {
    await agent(hub, 'mute', customerCall, true);
    expect([await agent(hub, 'muted', customerCall), await agent(hub, 'muted', expertCall)]).toEqual([true, true]);
    await expectPhase(hub, customer, expert, 'agent muted', { customer: [EXPERT_HZ], expert: [CUSTOMER_HZ], agent: [CUSTOMER_HZ, EXPERT_HZ] }, log);
    await agent(hub, 'mute', expertCall, false); // either leg's mute control unmutes both
    expect([await agent(hub, 'muted', customerCall), await agent(hub, 'muted', expertCall)]).toEqual([false, false]);
  });

  await test.step('the agent switches microphone while merged: the new one goes into both mixes', async () => {
    const switched = await agent(hub, 'switchMicrophone', customerCall);
    expect(switched.oldTrackState).toBe('ended');
    expect(switched.newTrack).not.toBe(switched.oldTrack);
    expect([await agent(hub, 'audioSending', customerCall), await agent(hub, 'audioSending', expertCall)]).toEqual(['mix', 'mix']);
    await expectPhase(hub, customer, expert, 'microphone switched', { customer: [AGENT_HZ, EXPERT_HZ], expert: [AGENT_HZ, CUSTOMER_HZ], agent: [CUSTOMER_HZ, EXPERT_HZ] }, log);
  });

  await test.step('the customer leg on hold: cut out both ways; the agent and the expert keep talking; resume brings it back', async () => {
    await agent(hub, 'hold', customerCall, true);
    await expectPhase(hub, customer, expert, 'customer held', { customer: [], expert: [AGENT_HZ], agent: [EXPERT_HZ] }, log);
    await agent(hub, 'hold', customerCall, false);
    await expectPhase(hub, customer, expert, 'customer resumed', { customer: [AGENT_HZ, EXPERT_HZ], expert: [AGENT_HZ, CUSTOMER_HZ], agent: [CUSTOMER_HZ, EXPERT_HZ] }, log);
  });

  await test.step('unmerged: two plain calls again, each sender has the microphone, the video is back, nothing was renegotiated', async () => {
    await agent(hub, 'unmerge');
    expect(await agent(hub, 'conference')).toEqual({ state: 'idle', callIds: [] });
    expect([await agent(hub, 'audioSending', customerCall), await agent(hub, 'audioSending', expertCall)]).toEqual(['microphone', 'microphone']);
    await expectPhase(hub, customer, expert, 'unmerged', { customer: [AGENT_HZ], expert: [AGENT_HZ], agent: [] }, log);
    await expect.poll(async () => (await mediaGrowth(customer, 1_000)).videoBytesReceived).toBeGreaterThan(0);
    expect([await agent(hub, 'descriptions', customerCall), await agent(hub, 'descriptions', expertCall)]).toEqual(negotiated);
    expect(await agent(hub, 'audioResources')).toMatchObject({ contextsOpen: 0, tracksLive: 0 });
  });
});

test('three-way call: merge and unmerge 20 times leave no WebAudio behind; a leg that ends ends the merge; leave keeps the customer and the expert talking', async ({ parties, log }) => {
  const { hub, customer, expert, users } = parties;
  const customerCall = await agentCalls(hub, customer, users.customer.username);
  const expertCall = await agentCalls(hub, expert, users.expert.username);

  await test.step('20 merges and unmerges: every AudioContext closed, every track stopped, the WebAudio handlers and DOM nodes back to where they were', async () => {
    const cdp = await hub.context().newCDPSession(hub);
    await cdp.send('Performance.enable');
    const counters = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = await cdp.send('Performance.getMetrics');
      const value = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN;
      return { audioHandlers: value('AudioHandlers'), nodes: value('Nodes'), peerConnections: value('RTCPeerConnections'), heap: value('JSHeapUsedSize') };
    };
    const before = await counters();
    const times: number[] = [];
    const unmergeTimes: number[] = [];
    let during = before;
    for (let i = 0; i < 20; i++) {
      times.push(await agent(hub, 'merge', customerCall, expertCall));
      if (i === 0) during = await counters();
      unmergeTimes.push(await agent(hub, 'unmerge'));
    }
    const after = await counters();
    log('WebAudio handlers (before, while merged, after 20 cycles)')(`${before.audioHandlers}, ${during.audioHandlers}, ${after.audioHandlers}`);
    log('DOM nodes (before, while merged, after)')(`${before.nodes}, ${during.nodes}, ${after.nodes}`);
    log('JS heap used (before, after 20 cycles)')(`${(before.heap / 1e6).toFixed(2)} MB, ${(after.heap / 1e6).toFixed(2)} MB`);
    log('time to merge, 20 times (ms)')(times.map((t) => t.toFixed(1)).join(' '));
    log('time to unmerge (two plain track replacements), 20 times (ms)')(unmergeTimes.map((t) => t.toFixed(1)).join(' '));
    expect(during.audioHandlers).toBeGreaterThan(before.audioHandlers); // the counter does see the mix
    expect(after.audioHandlers).toBe(before.audioHandlers);
    expect(after.nodes).toBe(before.nodes);
    expect(after.peerConnections).toBe(2); // the same two connections throughout
    expect(await agent(hub, 'audioResources')).toMatchObject({ contextsMade: 20, contextsOpen: 0, tracksMade: 60, tracksLive: 0 });
    await cdp.detach();
  });

  await test.step('typed refusals change nothing', async () => {
    expect(await agent(hub, 'mergeError', customerCall, customerCall)).toBe('same-call');
    await agent(hub, 'merge', customerCall, expertCall);
    expect(await agent(hub, 'mergeError', customerCall, expertCall)).toBe('busy');
    expect(await agent(hub, 'conference')).toEqual({ state: 'merged', callIds: [customerCall, expertCall] });
  });

  await test.step('the expert hangs up during the three-way call: the customer is back in a plain call with the agent', async () => {
    await expect(expert.getByRole('button', { name: 'Hang up' })).toBeVisible();
    await expert.getByRole('button', { name: 'Hang up' }).click();
    await expect.poll(() => agent(hub, 'conference')).toEqual({ state: 'idle', callIds: [] });
    expect(await agent(hub, 'audioSending', customerCall)).toBe('microphone');
    await expectHears(customer, 'call-audio', [AGENT_HZ], log('expert gone: the customer receives'));
    expect(await agent(hub, 'mergeError', customerCall, expertCall)).toBe('call-ended');
  });

  await test.step('leave: the agent steps out; the customer and the expert keep hearing each other until the legs end', async () => {
    const secondExpertCall = await agentCalls(hub, expert, users.expert.username);
    await agent(hub, 'merge', customerCall, secondExpertCall);
    await agent(hub, 'leave');
    expect(await agent(hub, 'conference')).toEqual({ state: 'leaving', callIds: [customerCall, secondExpertCall] });
    await expectPhase(hub, customer, expert, 'agent left', { customer: [EXPERT_HZ], expert: [CUSTOMER_HZ], agent: [] }, log);
    // The protocol's transfer will end both legs once the two have their own call; here the agent ends them.
    await agent(hub, 'end', customerCall);
    await agent(hub, 'end', secondExpertCall);
    await expect.poll(() => agent(hub, 'conference')).toEqual({ state: 'idle', callIds: [] });
    await expect.poll(() => agent(hub, 'audioResources')).toMatchObject({ contextsOpen: 0, tracksLive: 0 });
  });
});

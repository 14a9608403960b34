import type { Page } from '@playwright/test';

/**
 * Test instrumentation: watches, every 100 ms inside the page, whether the call screen claims more
 * than the media proves. A claim is "Connected" as the call status, a running call timer, or a
 * "Good" quality rating; the proof is a peer connection of the page in connectionState
 * 'connected' (ICE and DTLS up), and, for the rating, RTT/jitter/loss figures that are not blank.
 * Every claim made without the proof is recorded with the time and what was on screen.
 */
const WATCH = `(() => {
  if (window.__callTruth) return;
  const lies = [];
  window.__callTruth = lies;
  const text = (el) => (el && el.offsetParent !== null ? (el.textContent || '').trim() : null);
  setInterval(() => {
    const pcs = (window.__peerConnections || []).filter((pc) => pc.connectionState !== 'closed');
    const mediaUp = pcs.some((pc) => pc.connectionState === 'connected');
    const status = text(document.querySelector('[data-call-status]') || document.querySelector('.call-status'));
    const timer = text(document.querySelector('[role="timer"]'));
    const quality = text(document.querySelector('[aria-label="Network quality"]'));
    const claims = [];
    if (status === 'Connected') claims.push('status Connected');
    if (timer !== null) claims.push('timer ' + timer);
    if (quality !== null && /Good/.test(quality)) claims.push('quality ' + quality);
    if (!mediaUp && claims.length) lies.push({ at: Date.now(), claims, pcs: pcs.map((pc) => pc.connectionState + '/' + pc.iceConnectionState) });
    if (quality !== null && /Good/.test(quality) && /–/.test(quality)) lies.push({ at: Date.now(), claims: ['quality without measurements: ' + quality], pcs: [] });
  }, 100);
})();`;

export async function watchCallTruth(page: Page): Promise<void> {
  await page.evaluate(WATCH);
}

export interface CallLie {
  at: number;
  claims: string[];
  pcs: string[];
}

export function callLies(page: Page): Promise<CallLie[]> {
  return page.evaluate(() => (window as unknown as { __callTruth?: CallLie[] }).__callTruth ?? []);
}

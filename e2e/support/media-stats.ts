import type { Page } from '@playwright/test';

export interface PageMediaStats {
  audioBytesReceived: number;
  videoBytesReceived: number;
  audioBytesSent: number;
  videoBytesSent: number;
  /** Sum of the received audio's totalAudioEnergy: it stops growing when the other side is muted. */
  audioEnergyReceived: number;
  iceStates: string[];
}

/** Reads getStats() of every live RTCPeerConnection in the page (collected by the fixtures' init script). */
export function mediaStats(page: Page): Promise<PageMediaStats> {
  return page.evaluate(async () => {
    const pcs = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections.filter((pc) => pc.connectionState !== 'closed');
    const total = { audioBytesReceived: 0, videoBytesReceived: 0, audioBytesSent: 0, videoBytesSent: 0, audioEnergyReceived: 0, iceStates: [] as string[] };
    for (const pc of pcs) {
      total.iceStates.push(pc.iceConnectionState);
      const report = await pc.getStats();
      report.forEach((s: Record<string, unknown>) => {
        const kind = s.kind === 'video' ? 'video' : 'audio';
        if (s.type === 'inbound-rtp') {
          if (kind === 'audio') total.audioBytesReceived += Number(s.bytesReceived ?? 0);
          else total.videoBytesReceived += Number(s.bytesReceived ?? 0);
          if (kind === 'audio') total.audioEnergyReceived += Number(s.totalAudioEnergy ?? 0);
        }
        if (s.type === 'outbound-rtp') {
          if (kind === 'audio') total.audioBytesSent += Number(s.bytesSent ?? 0);
          else total.videoBytesSent += Number(s.bytesSent ?? 0);
        }
      });
    }
    return total;
  });
}

/** Samples twice and returns the growth of each counter over the interval. */
export async function mediaGrowth(page: Page, intervalMs = 1_500): Promise<PageMediaStats> {
  const before = await mediaStats(page);
  await page.waitForTimeout(intervalMs);
  const after = await mediaStats(page);
  return {
    audioBytesReceived: after.audioBytesReceived - before.audioBytesReceived,
    videoBytesReceived: after.videoBytesReceived - before.videoBytesReceived,
    audioBytesSent: after.audioBytesSent - before.audioBytesSent,
    videoBytesSent: after.videoBytesSent - before.videoBytesSent,
    audioEnergyReceived: after.audioEnergyReceived - before.audioEnergyReceived,
    iceStates: after.iceStates,
  };
}

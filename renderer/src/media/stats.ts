import { intervalLossPercent, toQualitySample, type QualitySample } from './quality';

/** What one getStats() poll tells about a call. */
export interface MediaStatsSnapshot extends QualitySample {
  audioBytesReceived: number;
  videoBytesReceived: number;
  audioBytesSent: number;
  videoBytesSent: number;
}

interface LossCounters {
  packetsReceived: number;
  packetsLost: number;
}

/** The subset of an RTCStats report entry this module reads. */
type StatsEntry = Record<string, unknown> & { type: string; id: string };

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The candidate pair in use: the transport's selected pair, else the nominated succeeded one. */
function selectedPair(entries: StatsEntry[]): StatsEntry | undefined {
  const transport = entries.find((e) => e.type === 'transport' && typeof e.selectedCandidatePairId === 'string');
  if (transport) return entries.find((e) => e.id === transport.selectedCandidatePairId);
  return entries.find((e) => e.type === 'candidate-pair' && e.nominated === true && e.state === 'succeeded');
}

/**
 * Reads RTT, jitter, interval loss and byte counters from a peer connection's stats. Keeps the
 * previous loss counters so loss is measured per interval (not since the start of the call).
 */
export class StatsReader {
  private previousLoss: LossCounters | null = null;

  async read(pc: RTCPeerConnection): Promise<MediaStatsSnapshot> {
    const report = await pc.getStats();
    const entries: StatsEntry[] = [];
    report.forEach((entry: StatsEntry) => entries.push(entry));

    const pair = selectedPair(entries);
    const rttSeconds = num(pair?.currentRoundTripTime);
    const inboundAudio = entries.find((e) => e.type === 'inbound-rtp' && e.kind === 'audio');
    const jitterSeconds = num(inboundAudio?.jitter);

    let lossPercent: number | null = null;
    if (inboundAudio) {
      const current = { packetsReceived: num(inboundAudio.packetsReceived) ?? 0, packetsLost: num(inboundAudio.packetsLost) ?? 0 };
      lossPercent = intervalLossPercent(this.previousLoss, current);
      this.previousLoss = current;
    }

    const sum = (type: string, kind: string, field: string) =>
      entries.filter((e) => e.type === type && e.kind === kind).reduce((total, e) => total + (num(e[field]) ?? 0), 0);

    return {
      ...toQualitySample(rttSeconds === null ? null : rttSeconds * 1000, jitterSeconds === null ? null : jitterSeconds * 1000, lossPercent),
      audioBytesReceived: sum('inbound-rtp', 'audio', 'bytesReceived'),
      videoBytesReceived: sum('inbound-rtp', 'video', 'bytesReceived'),
      audioBytesSent: sum('outbound-rtp', 'audio', 'bytesSent'),
      videoBytesSent: sum('outbound-rtp', 'video', 'bytesSent'),
    };
  }
}

/** Reads a call's stats every second; `reset()` when its peer connection is replaced (loss is counted afresh). */
export class StatsPoll {
  private reader = new StatsReader();
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    connection: () => RTCPeerConnection,
    report: (stats: MediaStatsSnapshot) => void,
    intervalMs = 1_000,
  ) {
    this.timer = setInterval(async () => {
      const reader = this.reader;
      try {
        const stats = await reader.read(connection());
        if (reader === this.reader) report(stats);
      } catch {
        // the connection closed between polls
      }
    }, intervalMs);
  }

  reset(): void {
    this.reader = new StatsReader();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

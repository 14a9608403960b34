/**
 * Call quality math: a MOS estimate from RTT, jitter and loss (the simplified E-model that
 * Twilio's SDKs use) and the warning thresholds Twilio's voice SDK raises at.
 * Pure functions: no WebRTC here, so they are unit-tested directly.
 */

/** Twilio voice SDK warning thresholds. */
export const QUALITY_THRESHOLDS = {
  /** Round-trip time above this (ms) is a warning. */
  rttMs: 400,
  /** Jitter above this (ms) is a warning. */
  jitterMs: 30,
  /** Packet loss above this (percent) is a warning. */
  lossPercent: 1,
  /** MOS below this is a warning. */
  mos: 3,
} as const;

export interface QualitySample {
  /** Round-trip time in ms (null when the stats do not report it yet). */
  rttMs: number | null;
  /** Receive jitter in ms. */
  jitterMs: number | null;
  /** Packets lost over the last interval, in percent (0-100). */
  lossPercent: number | null;
  /** MOS estimate, 1 (bad) to about 4.5 (best); null when an input is missing. */
  mos: number | null;
}

export type QualityWarning = 'high-rtt' | 'high-jitter' | 'high-loss' | 'low-mos';

/** R-factor for perfect conditions in this simplified model. */
const R_ZERO = 94.768;

function isUsable(value: number): boolean {
  return Number.isFinite(value) && value >= 0;
}

/**
 * MOS estimate. Effective latency = RTT + 2 x jitter + 10 ms; the R-factor drops with latency
 * (gently below 160 ms, steeply above) and with loss (2.5 R points per percent), then maps to MOS.
 * Returns null for missing or negative inputs.
 */
export function estimateMos(rttMs: number, jitterMs: number, lossPercent: number): number | null {
  if (!isUsable(rttMs) || !isUsable(jitterMs) || !isUsable(lossPercent)) return null;
  const effectiveLatency = rttMs + jitterMs * 2 + 10;
  let r = 0;
  if (effectiveLatency < 160) r = R_ZERO - effectiveLatency / 40;
  else if (effectiveLatency < 1000) r = R_ZERO - (effectiveLatency - 120) / 10;
  r = lossPercent <= r / 2.5 ? Math.max(r - lossPercent * 2.5, 6.52) : 0;
  return 1 + 0.035 * r + 0.000007 * r * (r - 60) * (100 - r);
}

/** The warnings a sample raises, in a fixed order. Missing values raise nothing. */
export function qualityWarnings(sample: QualitySample): QualityWarning[] {
  const warnings: QualityWarning[] = [];
  if (sample.rttMs !== null && sample.rttMs > QUALITY_THRESHOLDS.rttMs) warnings.push('high-rtt');
  if (sample.jitterMs !== null && sample.jitterMs > QUALITY_THRESHOLDS.jitterMs) warnings.push('high-jitter');
  if (sample.lossPercent !== null && sample.lossPercent > QUALITY_THRESHOLDS.lossPercent) warnings.push('high-loss');
  if (sample.mos !== null && sample.mos < QUALITY_THRESHOLDS.mos) warnings.push('low-mos');
  return warnings;
}

/** Builds a sample from raw measurements, computing the MOS when all three inputs are known. */
export function toQualitySample(rttMs: number | null, jitterMs: number | null, lossPercent: number | null): QualitySample {
  const mos = rttMs !== null && jitterMs !== null && lossPercent !== null ? estimateMos(rttMs, jitterMs, lossPercent) : null;
  return { rttMs, jitterMs, lossPercent, mos };
}

/** Loss over an interval from cumulative counters (percent); null when nothing was expected. */
export function intervalLossPercent(
  previous: { packetsReceived: number; packetsLost: number } | null,
  current: { packetsReceived: number; packetsLost: number },
): number | null {
  const received = current.packetsReceived - (previous?.packetsReceived ?? 0);
  const lost = Math.max(0, current.packetsLost - (previous?.packetsLost ?? 0));
  const expected = received + lost;
  if (expected <= 0) return null;
  return (lost / expected) * 100;
}

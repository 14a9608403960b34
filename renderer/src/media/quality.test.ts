import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { estimateMos, intervalLossPercent, qualityWarnings, toQualitySample, QUALITY_THRESHOLDS } from './quality';

describe('estimateMos', () => {
  it('matches reference values of the simplified E-model (computed independently)', () => {
    expect(estimateMos(0, 0, 0)).toBeCloseTo(4.4333, 3);
    expect(estimateMos(100, 10, 0)).toBeCloseTo(4.3744, 3);
    expect(estimateMos(400, 30, 1)).toBeCloseTo(2.9576, 3);
    expect(estimateMos(300, 50, 5)).toBeCloseTo(2.7471, 3);
    expect(estimateMos(2000, 0, 0)).toBeCloseTo(1.0, 3);
    expect(estimateMos(50, 5, 50)).toBe(1);
  });

  it('rejects missing or negative inputs', () => {
    expect(estimateMos(-1, 0, 0)).toBeNull();
    expect(estimateMos(0, Number.NaN, 0)).toBeNull();
    expect(estimateMos(0, 0, Number.POSITIVE_INFINITY)).toBeNull();
  });

  it('stays within [1, 4.5] and never improves when a condition gets worse', () => {
    const ms = fc.integer({ min: 0, max: 3000 });
    const loss = fc.double({ min: 0, max: 100, noNaN: true });
    fc.assert(
      fc.property(ms, ms, loss, ms, (rtt, jitter, lost, extra) => {
        const base = estimateMos(rtt, jitter, lost)!;
        expect(base).toBeGreaterThanOrEqual(1 - 1e-9);
        expect(base).toBeLessThanOrEqual(4.5);
        expect(estimateMos(rtt + extra, jitter, lost)!).toBeLessThanOrEqual(base + 1e-9);
        expect(estimateMos(rtt, jitter + extra, lost)!).toBeLessThanOrEqual(base + 1e-9);
        expect(estimateMos(rtt, jitter, Math.min(100, lost + extra / 30))!).toBeLessThanOrEqual(base + 1e-9);
      }),
    );
  });
});

describe('qualityWarnings', () => {
  it('warns strictly above the Twilio thresholds and below MOS 3', () => {
    const atLimit = { rttMs: 400, jitterMs: 30, lossPercent: 1, mos: 3 };
    expect(qualityWarnings(atLimit)).toEqual([]);
    expect(qualityWarnings({ rttMs: 401, jitterMs: 31, lossPercent: 1.01, mos: 2.99 })).toEqual(['high-rtt', 'high-jitter', 'high-loss', 'low-mos']);
    expect(qualityWarnings({ rttMs: 401, jitterMs: null, lossPercent: null, mos: null })).toEqual(['high-rtt']);
    expect(QUALITY_THRESHOLDS).toEqual({ rttMs: 400, jitterMs: 30, lossPercent: 1, mos: 3 });
  });

  it('a bad network lowers the MOS below the warning line', () => {
    const sample = toQualitySample(450, 40, 3);
    expect(sample.mos).not.toBeNull();
    expect(qualityWarnings(sample)).toContain('low-mos');
    expect(toQualitySample(null, 10, 0).mos).toBeNull();
  });
});

describe('intervalLossPercent', () => {
  it('computes loss over the interval from cumulative counters', () => {
    expect(intervalLossPercent(null, { packetsReceived: 99, packetsLost: 1 })).toBeCloseTo(1, 6);
    expect(intervalLossPercent({ packetsReceived: 99, packetsLost: 1 }, { packetsReceived: 189, packetsLost: 11 })).toBeCloseTo(10, 6);
    expect(intervalLossPercent({ packetsReceived: 10, packetsLost: 0 }, { packetsReceived: 10, packetsLost: 0 })).toBeNull();
  });
});

import type { Page } from '@playwright/test';

/**
 * Where a page's received audio is measured:
 * - `call-audio`: what the app plays for the call (the `<audio data-call-audio>` element's stream);
 * - `conference-playback`: what the agent page's three-way call plays to the agent.
 */
export type ToneSource = 'call-audio' | 'conference-playback';

/** Level in dBFS of each frequency (Hz) in the audio a page receives, averaged over `windowMs`. */
export type ToneLevels = Record<number, number>;

/**
 * Measures with an AnalyserNode (8192-point FFT, about 5.9 Hz per bin at 48 kHz): the power of the
 * strongest bin within ±3 bins of each frequency, averaged over the window. The page's AudioContext is
 * made for this measurement and closed after it, so it leaves nothing behind.
 */
export function toneLevels(page: Page, source: ToneSource, frequencies: number[], windowMs = 1_200): Promise<ToneLevels> {
  return page.evaluate(
    async ({ source, frequencies, windowMs }) => {
      const stream =
        source === 'call-audio'
          ? ((document.querySelector('audio[data-call-audio]') as HTMLAudioElement | null)?.srcObject as MediaStream | null)
          : (window as unknown as { agent: { playback(): MediaStream | null } }).agent.playback();
      const silent = Object.fromEntries(frequencies.map((f) => [f, -Infinity]));
      if (!stream || stream.getAudioTracks().length === 0) return silent;
      const context = new AudioContext();
      try {
        const analyser = new AnalyserNode(context, { fftSize: 8192, smoothingTimeConstant: 0 });
        context.createMediaStreamSource(stream).connect(analyser);
        const binHz = context.sampleRate / analyser.fftSize;
        const spectrum = new Float32Array(analyser.frequencyBinCount);
        const power = frequencies.map(() => 0);
        let samples = 0;
        const end = performance.now() + windowMs;
        await new Promise((resolve) => setTimeout(resolve, 200)); // let the analyser fill its first window
        while (performance.now() < end) {
          analyser.getFloatFrequencyData(spectrum);
          frequencies.forEach((f, i) => {
            const centre = Math.round(f / binHz);
            let best = -Infinity;
            for (let bin = centre - 3; bin <= centre + 3; bin++) best = Math.max(best, spectrum[bin] ?? -Infinity);
            power[i]! += 10 ** (best / 10);
          });
          samples++;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        return Object.fromEntries(frequencies.map((f, i) => [f, samples === 0 ? -Infinity : 10 * Math.log10(power[i]! / samples)]));
      } finally {
        await context.close();
      }
    },
    { source, frequencies, windowMs },
  );
}

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { launchChromium } from '../../test/support/chromium';
import { serveDirectory } from '../browser/static-server';
import type { BundleResults } from '../lib/results';
import { summarize } from '../lib/stats';

/**
 * Benchmark 5: the production renderer bundle (gzipped size, time to first render) against the smallest
 * React 19 app built by the same Vite in the same run.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RENDERER_DIST = join(ROOT, 'dist/renderer');
const BASELINE_SRC = join(ROOT, 'bench/baselines/minimal-react');
const BASELINE_DIST = join(ROOT, 'dist/bench-react-baseline');

interface Sizes {
  files: number;
  rawBytes: number;
  gzipBytes: number;
}

/** Every emitted file but source maps (which the browser never loads), each gzipped at level 9. */
function measureDirectory(dir: string): Sizes {
  const sizes: Sizes = { files: 0, rawBytes: 0, gzipBytes: 0 };
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (!name.endsWith('.map')) {
        const body = readFileSync(full);
        sizes.files++;
        sizes.rawBytes += body.length;
        sizes.gzipBytes += gzipSync(body, { level: 9 }).length;
      }
    }
  };
  walk(dir);
  return sizes;
}

/** Navigation start -> #root has content, per fresh page load (new context: nothing cached). */
async function firstRenderTimes(url: string, loads: number): Promise<number[]> {
  const browser = await launchChromium();
  const times: number[] = [];
  try {
    for (let i = 0; i < loads + 1; i++) {
      const context = await browser.newContext();
      await context.addInitScript(() => {
        const w = window as unknown as { __firstRender?: number };
        const observer = new MutationObserver(() => {
          const root = document.getElementById('root');
          if (root && root.childElementCount > 0 && w.__firstRender === undefined) {
            w.__firstRender = performance.now();
            observer.disconnect();
          }
        });
        observer.observe(document, { childList: true, subtree: true });
      });
      const page = await context.newPage();
      await page.goto(url);
      await page.waitForFunction(() => (window as unknown as { __firstRender?: number }).__firstRender !== undefined, undefined, { timeout: 20_000 });
      const ms = await page.evaluate(() => (window as unknown as { __firstRender: number }).__firstRender);
      if (i > 0) times.push(ms); // the first load warms Chromium itself up
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return times;
}

export async function runRendererBundle(config: { loads: number }, log: (line: string) => void): Promise<BundleResults> {
  const started = Date.now();
  const built = spawnSync('npm', ['run', 'build:renderer', '--silent'], { cwd: ROOT, encoding: 'utf8', env: process.env });
  if (built.status !== 0) throw new Error(`npm run build:renderer failed (${built.status}): ${(built.stderr || built.stdout).slice(-2_000)}`);
  const buildMs = Date.now() - started;
  await build({ root: BASELINE_SRC, base: './', logLevel: 'warn', esbuild: { jsx: 'automatic' }, build: { outDir: BASELINE_DIST, emptyOutDir: true, target: 'chrome120' } });
  const ours = measureDirectory(RENDERER_DIST);
  const baseline = measureDirectory(BASELINE_DIST);
  const [oursSite, baselineSite] = await Promise.all([serveDirectory(RENDERER_DIST), serveDirectory(BASELINE_DIST)]);
  try {
    const oursTimes = await firstRenderTimes(oursSite.url, config.loads);
    const baselineTimes = await firstRenderTimes(baselineSite.url, config.loads);
    const result: BundleResults = {
      buildMs,
      ours: { ...ours, firstRenderMs: summarize(oursTimes) },
      baseline: { ...baseline, firstRenderMs: summarize(baselineTimes) },
    };
    log(`  renderer: ${(ours.gzipBytes / 1024).toFixed(1)} KiB gzipped (baseline ${(baseline.gzipBytes / 1024).toFixed(1)} KiB); first render p50 ${result.ours.firstRenderMs.p50.toFixed(1)} ms (baseline ${result.baseline.firstRenderMs.p50.toFixed(1)} ms)`);
    return result;
  } finally {
    await Promise.all([oursSite.close(), baselineSite.close()]);
  }
}

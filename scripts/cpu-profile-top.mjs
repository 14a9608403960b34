#!/usr/bin/env node
// Summarises a V8 CPU profile (`node --cpu-prof` writes one .cpuprofile per process):
//   node scripts/cpu-profile-top.mjs FILE.cpuprofile [--top=15] [--from=µs --to=µs]
// prints where the process spent its time: the top frames by self time, self time by module, and the
// project's own functions by total (inclusive) time. --from/--to keep only samples inside a window, in the
// profile's clock (CLOCK_MONOTONIC in µs: the same as process.hrtime.bigint() / 1000n in any process).
// Frames of a bundle with a source map next to it (dist/server/main.js.map) are shown at their source lines.
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Frames that are not JavaScript functions. */
const SPECIAL = new Set(['(root)', '(program)', '(idle)', '(garbage collector)']);

/** A short location: a path from the project root, `node:...`, or a package path from node_modules. */
function location(url, line) {
  if (!url) return '';
  const path = url.replace(/^file:\/\//, '');
  const inPackage = path.lastIndexOf('/node_modules/');
  const short = inPackage >= 0 ? path.slice(inPackage + '/node_modules/'.length) : path.replace(/^.*?\/(server|shared|bench|test|dist)\//, '$1/');
  return `${short}:${line + 1}`;
}

/** What a frame belongs to: a package, a folder of ours, a Node module, or one of V8's special frames. */
export function moduleOf(callFrame) {
  const { url, functionName } = callFrame;
  if (!url) return SPECIAL.has(functionName) ? functionName : '(native)';
  if (url.startsWith('node:')) return `node:${url.replace(/^node:(internal\/)?/, '').split('/')[0]}`;
  const path = url.replace(/^file:\/\//, '');
  const inPackage = path.lastIndexOf('/node_modules/');
  if (inPackage >= 0) {
    const parts = path.slice(inPackage + '/node_modules/'.length).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? path);
  }
  const ours = path.match(/\/((server\/src|shared)\/[^/]+)\//);
  if (ours) return ours[1];
  const dist = path.match(/\/(dist\/[^/]+)\//);
  return dist ? dist[1] : path;
}

const isOurs = (callFrame) => /\/(server\/src|shared)\//.test(callFrame.url);
const frameKey = (callFrame) => `${callFrame.functionName || '(anonymous)'}\t${location(callFrame.url, callFrame.lineNumber)}`;

/**
 * Frames of a bundle (e.g. dist/server/main.js) point into the bundle; where a source map sits next to it
 * (`<file>.map`), rewrite them to the original file and line, so the tables name server/src/... files.
 */
function mapToSources(nodes) {
  const maps = new Map();
  const mapFor = (url) => {
    if (!maps.has(url)) {
      const file = url.startsWith('file://') ? fileURLToPath(url) : '';
      maps.set(url, file && existsSync(`${file}.map`) ? { dir: dirname(file), map: new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8'))) } : null);
    }
    return maps.get(url);
  };
  return nodes.map((node) => {
    const found = node.callFrame.url ? mapFor(node.callFrame.url) : null;
    const entry = found?.map.findEntry(node.callFrame.lineNumber, node.callFrame.columnNumber ?? 0);
    if (!entry?.originalSource) return node;
    const original = pathToFileURL(resolve(found.dir, entry.originalSource.replace(/^file:\/\//, ''))).href;
    return { ...node, callFrame: { ...node.callFrame, url: original, lineNumber: entry.originalLine } };
  });
}

/**
 * @param {{ nodes: { id: number, callFrame: { functionName: string, url: string, lineNumber: number }, children?: number[] }[], startTime: number, endTime: number, samples: number[], timeDeltas: number[] }} profile
 * @param {{ from?: number, to?: number, top?: number }} [options]
 */
export function summarizeProfile(profile, options = {}) {
  const top = options.top ?? 15;
  const nodes = mapToSources(profile.nodes);
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  // Sample i lasts until sample i + 1 (as Chrome's DevTools counts it).
  const times = [];
  let t = profile.startTime;
  for (const delta of profile.timeDeltas) times.push((t += delta));
  const from = options.from ?? -Infinity;
  const to = options.to ?? Infinity;

  const self = new Map();
  const modules = new Map();
  const inclusive = new Map();
  let totalUs = 0;
  let idleUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const at = times[i] ?? 0;
    const duration = (times[i + 1] ?? profile.endTime) - at;
    if (at < from || at > to || duration <= 0) continue;
    const node = byId.get(profile.samples[i]);
    if (!node) continue;
    totalUs += duration;
    if (node.callFrame.functionName === '(idle)') {
      idleUs += duration;
      continue;
    }
    const key = frameKey(node.callFrame);
    self.set(key, (self.get(key) ?? 0) + duration);
    const module = moduleOf(node.callFrame);
    modules.set(module, (modules.get(module) ?? 0) + duration);
    const seen = new Set();
    for (let id = node.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)?.callFrame;
      if (!frame || !isOurs(frame)) continue;
      const ourKey = frameKey(frame);
      if (seen.has(ourKey)) continue; // recursion counts once
      seen.add(ourKey);
      inclusive.set(ourKey, (inclusive.get(ourKey) ?? 0) + duration);
    }
  }
  const busyUs = totalUs - idleUs;
  const rank = (map, limit) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([key, us]) => {
        const [name, where = ''] = key.split('\t');
        return { name, location: where, ms: us / 1000, percent: busyUs > 0 ? (100 * us) / busyUs : 0 };
      });
  return {
    windowMs: totalUs / 1000,
    busyMs: busyUs / 1000,
    /** Share of the window the process was busy (not idle). */
    busyPercent: totalUs > 0 ? (100 * busyUs) / totalUs : 0,
    selfFrames: rank(self, top),
    modules: rank(modules, top),
    ourInclusive: rank(inclusive, top),
  };
}

function printTable(title, rows) {
  console.log(`\n${title}`);
  for (const row of rows) console.log(`${row.percent.toFixed(1).padStart(6)} %  ${row.ms.toFixed(0).padStart(7)} ms  ${row.name}${row.location ? `  ${row.location}` : ''}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [file, ...flags] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node scripts/cpu-profile-top.mjs FILE.cpuprofile [--top=15] [--from=µs --to=µs]');
    process.exit(2);
  }
  const flag = (name) => flags.find((f) => f.startsWith(`--${name}=`))?.split('=')[1];
  const summary = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')), {
    top: flag('top') ? Number(flag('top')) : undefined,
    from: flag('from') ? Number(flag('from')) : undefined,
    to: flag('to') ? Number(flag('to')) : undefined,
  });
  console.log(`${file}: ${summary.windowMs.toFixed(0)} ms profiled, busy ${summary.busyPercent.toFixed(0)} % of it; percentages are of the busy time`);
  printTable('Top frames by self time', summary.selfFrames);
  printTable('Self time by module', summary.modules);
  printTable("The project's functions by total time (callees included)", summary.ourInclusive);
}

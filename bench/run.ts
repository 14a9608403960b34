/**
 * `npm run bench` — runs every benchmark and writes docs/benchmarks.md (and the raw docs/benchmarks.json).
 *   --quick           fewer samples and connections; about 4 minutes (what CI runs; aborted after 480 s)
 *   --only=a,b        run only these scenarios: relay, call-setup, storm, bundle, throughput, startup, heartbeat, cluster,
 *                     transfer-complete, line-offer
 *                     (cluster, transfer-complete and line-offer run in the full run or when named, never in a plain
 *                     --quick run: they cost minutes)
 *   --out=PATH        write the report elsewhere (default docs/benchmarks.md; --quick: test-results/benchmarks-quick.md)
 *   --report-only     re-render the report from the stored JSON (e.g. after editing bench/analysis.md)
 *   --merge           with --only: replace just those sections of the stored report (the header says which run each came from)
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeMachine } from './lib/machine';
import { renderReport } from './lib/report';
import { mergeResults, type BenchResults } from './lib/results';
import { benchConfig } from './bench-config';
import { FULL_ONLY, runScenarios, SCENARIOS, type ScenarioName } from './scenarios/index';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string) => args.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];

const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const outPath = option('out') ?? root(flag('quick') ? 'test-results/benchmarks-quick.md' : 'docs/benchmarks.md');
const jsonPath = outPath.replace(/\.md$/, '.json');
const analysisPath = root('bench/analysis.md');
const analysis = () => (existsSync(analysisPath) ? readFileSync(analysisPath, 'utf8') : undefined);
const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

function write(run: BenchResults): void {
  const results = flag('merge') && !flag('report-only') ? mergeResults(JSON.parse(readFileSync(jsonPath, 'utf8')) as BenchResults, run) : run;
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(jsonPath, `${JSON.stringify(results, null, 1)}\n`);
  writeFileSync(outPath, renderReport(results, results.mode === 'full' ? analysis() : undefined));
  log(`wrote ${outPath}`);
}

if (flag('report-only')) {
  write(JSON.parse(readFileSync(jsonPath, 'utf8')) as BenchResults);
} else {
  const mode = flag('quick') ? 'quick' : 'full';
  const only = option('only')?.split(',') as ScenarioName[] | undefined;
  const unknown = only?.filter((name) => !SCENARIOS.includes(name));
  if (unknown?.length) throw new Error(`unknown scenario(s): ${unknown.join(', ')}; known: ${SCENARIOS.join(', ')}`);
  const config = benchConfig(mode);
  const started = new Date();
  const results: BenchResults = {
    mode,
    command: `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`,
    startedAt: started.toISOString(),
    finishedAt: '',
    durationS: 0,
    machine: describeMachine(),
    setup: config.describe,
    failures: [],
  };
  // A hard deadline: a stuck scenario must never hang CI.
  const deadline = setTimeout(() => {
    log(`deadline of ${config.deadlineS} s passed; writing what was measured and exiting`);
    results.failures.push({ scenario: 'run', error: `deadline of ${config.deadlineS} s passed` });
    write(results);
    process.exit(1);
  }, config.deadlineS * 1000);
  const names = only ?? SCENARIOS.filter((name) => mode === 'full' || !FULL_ONLY.includes(name));
  await runScenarios(names, config, results, log);
  clearTimeout(deadline);
  results.finishedAt = new Date().toISOString();
  results.durationS = (Date.now() - started.getTime()) / 1000;
  write(results);
  log(`done in ${results.durationS.toFixed(0)} s; ${results.failures.length} scenario(s) failed`);
  process.exit(results.failures.length ? 1 : 0);
}

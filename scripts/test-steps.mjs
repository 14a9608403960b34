// The steps of `npm test` (scripts/test.mjs), in order. Each: { name, cmd: [...], report?: { kind: 'vitest' | 'playwright', file } }.
// A step with a report counts its tests; any other step counts as one test (its exit code).
// lint and typecheck run exactly as the README spells them, so the README's own commands are checked on every run.
import { join } from 'node:path';

const reports = join('test-results', 'reports');

export const README_CHECKS = [
  { name: 'lint', cmd: ['npm', 'run', 'lint'] },
  { name: 'typecheck', cmd: ['npm', 'run', 'typecheck'] },
];

export default [
  ...README_CHECKS,
  {
    name: 'unit and integration (vitest)',
    cmd: ['npx', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${join(reports, 'vitest.json')}`],
    report: { kind: 'vitest', file: join(reports, 'vitest.json') },
  },
  {
    name: 'end-to-end (Playwright, Chromium; builds the renderer first)',
    cmd: ['sh', '-c', 'npm run build:renderer && npx playwright test'],
    report: { kind: 'playwright', file: 'test-results/reports/playwright.json' },
  },
  {
    // After the end-to-end step: it packages dist/renderer, which that step has just built.
    name: 'packaging: electron-builder --dir (linux) against a stand-in Electron, fuses read back; the renderer under the production CSP (npm run test:packaging)',
    cmd: ['npm', 'run', 'test:packaging', '--', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/reports/packaging.json'],
    report: { kind: 'vitest', file: 'test-results/reports/packaging.json' },
  },
  {
    name: 'fault injection, slow suites (npm run test:faults: fuzzing 10,000 inputs, signalling drop in Chromium)',
    cmd: ['npm', 'run', 'test:faults', '--', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/reports/faults.json'],
    report: { kind: 'vitest', file: 'test-results/reports/faults.json' },
  },
  {
    name: 'benchmarks, quick variant (bench/run.ts --quick; report in test-results/benchmarks-quick.md)',
    cmd: ['npm', 'run', 'bench', '--', '--quick'],
  },
  {
    name: 'electronegativity over electron/ (fails on any finding of severity LOW or above)',
    cmd: ['node', 'scripts/electronegativity-check.mjs'],
  },
];

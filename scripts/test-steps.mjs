// Extra steps of `npm test` beyond lint, typecheck and vitest (see scripts/test.mjs).
// Each entry: { name, cmd: [...], report?: { kind: 'vitest' | 'playwright', file } }.
export default [
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
    name: 'fault injection, slow suites (npm run test:faults: fuzzing x10,000, signalling drop in Chromium)',
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

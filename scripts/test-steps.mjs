// Extra steps of `npm test` beyond lint, typecheck and vitest (see scripts/test.mjs).
// Each entry: { name, cmd: [...], report?: { kind: 'vitest' | 'playwright', file } }.
export default [
  {
    name: 'end-to-end (Playwright, Chromium; builds the renderer first)',
    cmd: ['sh', '-c', 'npm run build:renderer && npx playwright test'],
    report: { kind: 'playwright', file: 'test-results/reports/playwright.json' },
  },
];

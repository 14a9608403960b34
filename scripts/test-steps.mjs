// Extra steps of `npm test` beyond lint, typecheck and vitest (see scripts/test.mjs).
// Each entry: { name, cmd: [...], report?: { kind: 'vitest' | 'playwright', file } }.
export default [];

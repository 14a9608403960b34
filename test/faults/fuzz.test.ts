import { defineFuzzSuite } from './support/fuzz-suite';

// The quick pass that `npm test` runs, against both stores; `npm run test:faults` runs 10,000 inputs in all (fuzz.slow.ts).
defineFuzzSuite(300);

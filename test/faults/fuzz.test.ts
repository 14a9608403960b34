import { defineFuzzSuite } from './support/fuzz-suite';

// The quick pass that `npm test` runs; `npm run test:faults` runs 10,000 per event and route (fuzz.slow.ts).
defineFuzzSuite(300);

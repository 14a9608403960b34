import { defineFuzzSuite } from './support/fuzz-suite';

// 10,000 generated malformed inputs per socket event and per HTTP route (npm run test:faults).
defineFuzzSuite(10_000);

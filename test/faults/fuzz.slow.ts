import { defineFuzzSuite, runsPerTarget } from './support/fuzz-suite';

// 10,000 generated malformed inputs in all (issue 10), spread evenly over every socket event and HTTP route
// (npm run test:faults).
defineFuzzSuite(runsPerTarget(10_000));

#!/usr/bin/env node
// Runs everything CI runs and ends with one summary line: "N passed, N failed, N skipped".
// Each step is a check (its exit code counts as one test) or a test runner whose JSON report is counted.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { countReport } from './test-report.mjs';

const reports = join('test-results', 'reports');
mkdirSync(reports, { recursive: true });

/** @type {{ name: string, cmd: string[], report?: { kind: 'vitest' | 'playwright', file: string } }[]} */
const steps = (await import('./test-steps.mjs')).default;

const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
/** The failed tests by name, repeated next to the summary: CI's log keeps only its end. */
const failedTests = [];
for (const step of steps) {
  console.log(`\n=== ${step.name}: ${step.cmd.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(step.cmd[0], step.cmd.slice(1), { stdio: 'inherit', env: process.env });
  const counted = step.report ? countReport(step.report) : undefined;
  if (counted) {
    totals.passed += counted.passed;
    totals.failed += counted.failed;
    totals.skipped += counted.skipped;
    if (counted.failed > 0 || result.status !== 0) failures.push(step.name);
    failedTests.push(...counted.failedNames.map((name) => `${step.name}: ${name}`));
    if (result.status !== 0 && counted.failed === 0) {
      totals.failed += 1; // the runner itself failed
      failedTests.push(`${step.name}: no test failed, the runner exited ${result.status} (an unhandled error? see its output)`);
    }
  } else if (result.status === 0) {
    totals.passed += 1;
  } else {
    totals.failed += 1;
    failures.push(step.name);
  }
  console.log(`=== ${step.name}: exit ${result.status} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (failures.length) console.log(`\nFailed steps: ${failures.join(', ')}`);
if (failedTests.length) console.log(`Failed tests:\n${failedTests.map((name) => `  - ${name}`).join('\n')}`);
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failures.length || totals.failed ? 1 : 0);

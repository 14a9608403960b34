// Reads a test runner's JSON report for scripts/test.mjs: how many passed, failed and were skipped, and the failed
// tests by name (repeated next to the summary line, because CI's log keeps only its end).
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';

/** @returns {{ passed: number, failed: number, skipped: number, failedNames: string[] } | undefined} */
export function countReport({ kind, file }) {
  if (!existsSync(file)) return undefined;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  if (kind === 'vitest') {
    return {
      passed: report.numPassedTests,
      failed: report.numFailedTests,
      skipped: report.numPendingTests + report.numTodoTests,
      failedNames: report.testResults.flatMap(vitestFailures),
    };
  }
  const s = report.stats;
  return { passed: s.expected + s.flaky, failed: s.unexpected, skipped: s.skipped, failedNames: playwrightFailures(report.suites ?? []) };
}

/** A vitest file's failed tests; a file that failed before any test ran (an import error) by its message. */
function vitestFailures(file) {
  const name = relative(process.cwd(), file.name);
  if (file.assertionResults.length === 0) return file.status === 'failed' ? [`${name} (did not run: ${file.message})`] : [];
  return file.assertionResults.filter((test) => test.status === 'failed').map((test) => `${name} > ${test.fullName}`);
}

/** Playwright's JSON nests suites (files, describes) around specs; a spec failed when one of its tests is 'unexpected'. */
function playwrightFailures(suites) {
  return suites.flatMap((suite) => [
    ...(suite.specs ?? []).filter((spec) => spec.tests.some((test) => test.status === 'unexpected')).map((spec) => `${spec.file}:${spec.line} > ${spec.title}`),
    ...playwrightFailures(suite.suites ?? []),
  ]);
}

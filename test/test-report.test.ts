import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countReport } from '../scripts/test-report.mjs';

/** The summary of `npm test` names each failed test next to its last line, as CI's log keeps only its end. */
const dir = mkdtempSync(join(tmpdir(), 'test-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, report: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(report));
  return file;
}

describe('countReport', () => {
  it("names vitest's failed tests by file and full name, and a file that failed to load by its message", () => {
    const file = write('vitest.json', {
      numPassedTests: 2,
      numFailedTests: 1,
      numPendingTests: 1,
      numTodoTests: 0,
      testResults: [
        {
          name: join(process.cwd(), 'server/test/a.test.ts'),
          status: 'failed',
          assertionResults: [
            { fullName: 'calls ring', status: 'passed' },
            { fullName: 'calls end', status: 'failed' },
            { fullName: 'calls skip', status: 'pending' },
          ],
        },
        { name: join(process.cwd(), 'server/test/b.test.ts'), status: 'failed', message: 'Cannot find module x', assertionResults: [] },
        { name: join(process.cwd(), 'server/test/c.test.ts'), status: 'passed', assertionResults: [{ fullName: 'ok', status: 'passed' }] },
      ],
    });
    expect(countReport({ kind: 'vitest', file })).toEqual({
      passed: 2,
      failed: 1,
      skipped: 1,
      failedNames: ['server/test/a.test.ts > calls end', 'server/test/b.test.ts (did not run: Cannot find module x)'],
    });
  });

  it("names Playwright's unexpected specs through nested suites; flaky ones pass", () => {
    const file = write('playwright.json', {
      stats: { expected: 3, unexpected: 1, flaky: 1, skipped: 0 },
      suites: [
        {
          specs: [{ file: 'a.spec.ts', line: 7, title: 'rings', tests: [{ status: 'expected' }] }],
          suites: [{ specs: [{ file: 'a.spec.ts', line: 20, title: 'declines', tests: [{ status: 'unexpected' }] }] }],
        },
        { specs: [{ file: 'b.spec.ts', line: 3, title: 'retries', tests: [{ status: 'flaky' }] }] },
      ],
    });
    expect(countReport({ kind: 'playwright', file })).toEqual({ passed: 4, failed: 1, skipped: 0, failedNames: ['a.spec.ts:20 > declines'] });
  });

  it('a runner that wrote no report is not counted', () => {
    expect(countReport({ kind: 'vitest', file: join(dir, 'missing.json') })).toBeUndefined();
  });
});

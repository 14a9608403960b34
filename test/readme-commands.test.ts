import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import steps, { README_CHECKS } from '../scripts/test-steps.mjs';

/**
 * Issue 10, item 17: the README's commands must work on a fresh clone. `npm test` runs lint and
 * typecheck exactly as the README spells them (so a README command that fails fails CI), and every
 * `npm run ...` the README names is a script that exists.
 */

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const scripts = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts;

describe('the README commands', () => {
  it('every npm command the README gives is a script of package.json', () => {
    const named = [...readme.matchAll(/`npm (?:run ([\w:-]+)|(start|test))\b/g)].map((match) => match[1] ?? match[2] ?? '');
    expect(named).toEqual(expect.arrayContaining(['start', 'test', 'typecheck', 'lint', 'bench', 'server']));
    expect(named.filter((name) => !(name in scripts))).toEqual([]);
  });

  it('npm test runs typecheck and lint exactly as the README spells them', () => {
    expect(README_CHECKS.map((check) => check.cmd.join(' '))).toEqual(['npm run lint', 'npm run typecheck']);
    for (const check of README_CHECKS) {
      expect(readme).toContain(`\`${check.cmd.join(' ')}\``);
      expect(steps).toContainEqual(check);
    }
  });

  it('typecheck builds the project references (tsc -b with --noEmit is TS6310 for every reference)', () => {
    expect(scripts['typecheck']).toMatch(/^tsc -b\b/);
    expect(scripts['typecheck']).not.toContain('--noEmit');
  });
});

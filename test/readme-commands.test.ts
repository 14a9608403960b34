import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { electronSuiteCommand } from '../scripts/electron-suite-command.mjs';
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

/** Issue 11: `npm run test:electron`, the path for CI pipelines that have the Electron binary. */
describe('npm run test:electron', () => {
  it('fails with a clear message when the Electron binary is missing: never a silent skip', () => {
    expect(scripts['test:electron']).toBe('node scripts/test-electron.mjs');
    // The electron package's own override: its binary is looked for in an empty folder, so it is missing on any machine.
    const empty = mkdtempSync(join(tmpdir(), 'no-electron-'));
    try {
      const result = spawnSync(process.execPath, ['scripts/test-electron.mjs'], { cwd: fileURLToPath(new URL('..', import.meta.url)), env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: empty }, encoding: 'utf8' });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('npm run test:electron needs the Electron binary, and it is missing');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('runs the electron project under X11 on Linux, through xvfb-run when there is no display', () => {
    const plan = (platform: string, env: Record<string, string>, xvfb = true) => electronSuiteCommand({ platform, env, hasXvfbRun: () => xvfb, args: ['-g', 'Decline'] });
    const playwright = ['npx', 'playwright', 'test', '--project=electron', '-g', 'Decline'];
    expect(plan('linux', { WAYLAND_DISPLAY: 'wayland-0', XDG_SESSION_TYPE: 'wayland' })).toEqual({
      command: ['xvfb-run', '--auto-servernum', '--server-args=-screen 0 1920x1080x24', ...playwright],
      env: { XDG_SESSION_TYPE: 'x11', SOFTPHONE_E2E_REBUILD: '0' },
    });
    expect(plan('linux', { DISPLAY: ':0', WAYLAND_DISPLAY: 'wayland-0' })).toEqual({ command: playwright, env: { DISPLAY: ':0', XDG_SESSION_TYPE: 'x11', SOFTPHONE_E2E_REBUILD: '0' } });
    expect(plan('linux', {}, false)).toEqual({ error: expect.stringContaining('xvfb-run') });
    for (const platform of ['darwin', 'win32']) expect(plan(platform, {})).toEqual({ command: playwright, env: { SOFTPHONE_E2E_REBUILD: '0' } });
  });
});

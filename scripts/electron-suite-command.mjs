// How `npm run test:electron` (scripts/test-electron.mjs) starts Playwright's `electron` project.
// On Linux the app runs under X11: the suite checks the pop-up incoming window, which is the X11
// behaviour (XWayland on a Wayland desktop; the Wayland ring path is the boot test's). With no
// display, the suite runs under xvfb-run.

/**
 * @param {{ platform: string, env: Record<string, string | undefined>, hasXvfbRun: () => boolean, args: string[] }} options
 * @returns {{ command: string[], env: Record<string, string | undefined> } | { error: string }}
 */
export function electronSuiteCommand({ platform, env, hasXvfbRun, args }) {
  const playwright = ['npx', 'playwright', 'test', '--project=electron', ...args];
  const runEnv = { ...env, SOFTPHONE_E2E_REBUILD: '0' };
  if (platform !== 'linux') return { command: playwright, env: runEnv };
  runEnv.XDG_SESSION_TYPE = 'x11';
  delete runEnv.WAYLAND_DISPLAY;
  if (env.DISPLAY) return { command: playwright, env: runEnv };
  if (!hasXvfbRun()) return { error: 'No X display and no xvfb-run: install xvfb (apt-get install xvfb) or run under a desktop session.' };
  return { command: ['xvfb-run', '--auto-servernum', '--server-args=-screen 0 1920x1080x24', ...playwright], env: runEnv };
}

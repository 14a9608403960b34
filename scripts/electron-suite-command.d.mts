/** The command and environment `npm run test:electron` runs Playwright's `electron` project with (xvfb-run on Linux without a display). */
export function electronSuiteCommand(options: {
  platform: string;
  env: Record<string, string | undefined>;
  hasXvfbRun: () => boolean;
  args: string[];
}): { command: string[]; env: Record<string, string | undefined> } | { error: string };

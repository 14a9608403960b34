import type { HostCore } from '../../shared/host';

/**
 * Test mode only (--softphone-test): what the Playwright _electron suite reads with
 * electronApp.evaluate(), since OS notifications and the tray cannot be inspected from outside.
 */
export interface TestProbe {
  notifications: { title: string; body: string; closed: boolean }[];
  /** The last count given to app.setBadgeCount and whether the platform took it. */
  badge: { count: number; supported: boolean };
  incomingShown: number[];
  tray: { icon: string; tooltip: string };
  core: HostCore | null;
}

export function testProbe(): TestProbe {
  const probe: TestProbe = { notifications: [], incomingShown: [], badge: { count: 0, supported: false }, tray: { icon: '', tooltip: '' }, core: null };
  (globalThis as { __softphoneTest?: TestProbe }).__softphoneTest = probe;
  return probe;
}

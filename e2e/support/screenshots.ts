import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page, TestInfo } from '@playwright/test';

/** Screenshots of the main screens: kept in test-results/screenshots/ and attached to the report. */
const DIR = resolve(import.meta.dirname, '../../test-results/screenshots');

export async function saveScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  mkdirSync(DIR, { recursive: true });
  const path = resolve(DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

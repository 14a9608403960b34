import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/**
 * Screenshot and accessibility checks of one screen, at the two sizes the issue names (a narrow
 * softphone window and a desktop one) in both themes. Baselines live in the repository
 * (e2e/screens.spec.ts-snapshots). What moves on its own is hidden while the picture is taken
 * (screenshot.css): the call timer, times of day, durations, and the video pictures (Chromium's fake
 * camera draws a moving pattern).
 * axe-core runs in the same states: WCAG 2.x A and AA rules, zero violations.
 */
export const SIZES = [
  { width: 400, height: 700 },
  { width: 1280, height: 800 },
] as const;
export const THEMES = ['light', 'dark'] as const;

const HIDE_VOLATILE = fileURLToPath(new URL('./screenshot.css', import.meta.url));

export async function checkScreen(page: Page, name: string, options: { ready?: () => Promise<void> } = {}): Promise<void> {
  await page.mouse.move(0, 0); // no hover effect in the picture
  for (const theme of THEMES) {
    await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await options.ready?.();
      await expect.soft(page, `${name} ${size.width}x${size.height} ${theme}`).toHaveScreenshot(`${name}-${size.width}x${size.height}-${theme}.png`, {
        stylePath: HIDE_VOLATILE,
        maxDiffPixelRatio: 0.01,
        threshold: 0.2,
        animations: 'disabled',
        caret: 'hide',
      });
      await expectNoAxeViolations(page, `${name} ${size.width}x${size.height} ${theme}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: null });
  await page.setViewportSize(SIZES[0]);
}

/**
 * axe-core alone, in both themes, for a state of a screen that has no picture of its own (a menu open,
 * another settings tab, the end-of-call summary): "axe-core on every screen, in both themes".
 */
export async function checkAccessibility(page: Page, name: string): Promise<void> {
  for (const theme of THEMES) {
    await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    await expectNoAxeViolations(page, `${name} ${theme}`);
  }
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: null });
}

async function expectNoAxeViolations(page: Page, what: string): Promise<void> {
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  const violations = axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')} (${v.help})`);
  expect.soft(violations, `axe on ${what}`).toEqual([]);
}

/* eslint-disable no-restricted-imports -- a Node-side test: it reads the renderer's style sheets from disk to draw the history in Chromium. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../../shared/protocol';
import { BOB, CALL_ID, CALL_ID_2, CAROL } from '../../../shared/testing/fixtures';
import { launchChromium } from '../../../test/support/chromium';
import { en } from '../i18n/en';
import { PALETTES } from '../theme/palette';
import { DayGroups } from './day-groups';

/**
 * The history's transferred conversation (issue 15) drawn with the app's style sheets in Chromium, as the agent
 * (Alice) sees it: Carol called, Alice consulted Bob and completed the transfer. One row, its calls in a disclosure
 * that the keyboard opens; axe-core finds no WCAG A/AA violation closed or open. Pictures: test-results/history-ui.
 */

const THEME_DIR = join(import.meta.dirname, '../theme');
const CSS = ['tokens.css', 'base.css', 'layout.css', 'lists.css'].map((f) => readFileSync(join(THEME_DIR, f), 'utf8')).join('\n');
const OUT = join(import.meta.dirname, '../../../test-results/history-ui');
const NOW = Date.now();
const iso = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();
const PLAIN_ID = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';

const entry = (overrides: Partial<HistoryEntry>): HistoryEntry => ({
  callId: CALL_ID,
  direction: 'incoming',
  peer: CAROL,
  media: 'audio',
  outcome: 'answered',
  endReason: 'transferred',
  missed: false,
  startedAt: iso(-600_000),
  answeredAt: iso(-595_000),
  endedAt: iso(-300_000),
  ringMs: 5_000,
  talkMs: 295_000,
  conversationId: CALL_ID,
  legKind: 'direct',
  parentCallId: null,
  transfer: null,
  ...overrides,
});
// As the service sends a page: the conversation's calls together, newest first, then an older plain call.
const ENTRIES: HistoryEntry[] = [
  entry({ callId: CALL_ID_2, direction: 'outgoing', peer: BOB, startedAt: iso(-400_000), answeredAt: iso(-395_000), talkMs: 95_000, legKind: 'consult', parentCallId: CALL_ID }),
  entry({}),
  entry({ callId: PLAIN_ID, peer: BOB, startedAt: iso(-900_000), endReason: 'hangup', talkMs: 61_000, conversationId: PLAIN_ID }),
];

function render(): string {
  const i18n = i18next.createInstance();
  void i18n.use(initReactI18next).init({ lng: 'en', resources: { en: { translation: en } }, interpolation: { escapeValue: false }, initAsync: false });
  return renderToStaticMarkup(
    <I18nextProvider i18n={i18n}>
      <DayGroups entries={ENTRIES} now={NOW} onCallBack={() => undefined} />
    </I18nextProvider>,
  );
}

async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('history: a transferred conversation in Chromium', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 420, height: 360 } })).newPage();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`is one row whose calls the keyboard opens, no axe violation (${theme})`, async () => {
      const vars = Object.entries(PALETTES[theme])
        .map(([name, value]) => `--c-${name.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`)}: ${value};`)
        .join(' ');
      await page.setContent(
        `<!doctype html><html lang="en" data-theme="${theme}"><head><title>history</title><style>${CSS}\n:root { ${vars} color-scheme: ${theme}; }</style></head>` +
          `<body><main class="main" style="padding: 16px"><div class="card">${render()}</div></main></body></html>`,
      );
      // Two rows: the conversation (where it began for Alice: Carol's call) and the plain call.
      const rows = page.locator('.call-list > li');
      await expect.poll(() => rows.count()).toBe(2);
      expect(await rows.nth(0).locator('.call-row-name').textContent()).toBe('Carol');
      const summary = page.getByText('2 calls in this conversation');
      expect(await page.getByText('Consult call with Bob').isVisible()).toBe(false);
      expect(await axeViolations(page), `${theme} closed`).toEqual([]);

      // Keyboard: Tab reaches the disclosure (after the row's call-back button), Enter opens it.
      await page.getByRole('button', { name: 'Call back Carol' }).focus();
      await page.keyboard.press('Tab');
      expect(await summary.evaluate((node) => node === document.activeElement)).toBe(true);
      await page.keyboard.press('Enter');
      expect(await page.locator('details').evaluate((node) => (node as HTMLDetailsElement).open)).toBe(true);
      const legs = page.locator('.leg-row');
      expect(await legs.allInnerTexts()).toEqual([expect.stringContaining('Consult call with Bob'), expect.stringContaining('Call with Carol')]);
      expect(await legs.nth(0).innerText()).toContain('1:35');
      expect(await legs.nth(1).innerText()).toContain('4:55');
      await page.screenshot({ path: join(OUT, `conversation-open-${theme}.png`), fullPage: true });
      expect(await axeViolations(page), `${theme} open`).toEqual([]);
    });
  }
});

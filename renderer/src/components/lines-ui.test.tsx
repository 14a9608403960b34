/* eslint-disable no-restricted-imports -- a Node-side test: it reads the renderer's style sheets from disk to draw the components in Chromium. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import axe from 'axe-core';
import i18next from 'i18next';
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SoftphoneBridge } from '../../../shared/bridge';
import type { AgentStatus, LineView, WrapUpTask } from '../../../shared/protocol';
import { defaultSettings } from '../../../shared/settings';
import { ALICE, BOB, CALL_ID, CAROL, SUPPORT, callView } from '../../../shared/testing/fixtures';
import { launchChromium } from '../../../test/support/chromium';
import { en } from '../i18n/en';
import { zhCN } from '../i18n/zh-CN';
import { LineCard } from '../screens/line-view';
import { IncomingCall } from '../screens/incoming-call';
import { CallSettings } from '../screens/settings-sections';
import { AppContext } from '../state/app-context';
import { AppStore } from '../state/app-store';
import { PALETTES } from '../theme/palette';
import { MissedOfferBanner } from './missed-offer-banner';
import { QueueStatus } from './queue-status';
import { StatusMenu } from './status-menu';
import { WrapUpPanel } from './wrap-up-panel';

/**
 * The support-line components (issue 14) drawn with the app's style sheets and both palettes in Chromium:
 * axe-core finds no WCAG A/AA violation, and the pictures are written to test-results/lines-ui for review.
 * The bridge is never called while drawing (no event handler runs), so it refuses everything.
 */

const THEME_DIR = join(import.meta.dirname, '../theme');
const CSS = ['tokens.css', 'base.css', 'layout.css', 'lists.css', 'call.css', 'forms.css'].map((f) => readFileSync(join(THEME_DIR, f), 'utf8')).join('\n');
const OUT = join(import.meta.dirname, '../../../test-results/lines-ui');
const NOW = Date.now();
const iso = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();

const wrapUp: WrapUpTask = {
  callId: CALL_ID,
  line: SUPPORT,
  mode: 'time-boxed',
  startedAt: iso(-5_000),
  until: iso(25_000),
  endedAt: null,
  outcomeCodes: [
    { code: 'solved', label: 'Solved' },
    { code: 'callback', label: 'Call back' },
  ],
  outcomeRequired: true,
  draft: { notes: 'Router reset; works again.', outcomeCode: null, tags: ['wifi'] },
  editUntil: iso(86_400_000),
};
const agent = (overrides: Partial<AgentStatus> = {}): AgentStatus => ({
  state: 'available',
  chosen: 'online',
  reason: null,
  since: iso(-65_000),
  lines: [SUPPORT],
  wrapUp: null,
  offer: null,
  ...overrides,
});
const lineView: LineView = {
  line: SUPPORT,
  waiting: 2,
  longestWaitSince: iso(-95_000),
  entries: [
    { callId: CALL_ID, caller: CAROL, since: iso(-95_000), state: 'offered' },
    { callId: '20000000-0000-4000-8000-000000000002', caller: ALICE, since: iso(-20_000), state: 'waiting' },
  ],
  agents: [
    { user: BOB, state: 'busy', reason: null, since: iso(-240_000) },
    { user: { ...ALICE, displayName: 'Alice Agent' }, state: 'away', reason: 'missed-offer', since: iso(-30_000) },
  ],
  today: { handled: 14, abandoned: 1, timedOut: 0, averageHandleMs: 262_000, abandonRate: 1 / 15 },
  at: iso(0),
};

const refuse = () => Promise.resolve({ ok: false as const, error: { code: 'UNSUPPORTED', message: 'not in this test' } });
const bridge = { invoke: refuse, on: () => () => undefined } as unknown as SoftphoneBridge;

function render(node: ReactNode, language: 'en' | 'zh-CN', state: { agent?: AgentStatus | null; autoAnswer?: { callId: string; at: string } | null } = {}): string {
  const store = new AppStore(bridge);
  store.set({
    settings: { ...defaultSettings(), status: state.agent?.chosen === 'away' ? 'away' : 'available', awayReason: 'lunch' },
    snapshot: {
      connection: { status: 'online', reason: null, code: null },
      user: ALICE,
      deviceId: 'device-1',
      presence: 'online',
      calls: [],
      missedCalls: [],
      transfers: [],
      roles: [],
      agent: state.agent ?? null,
      autoAnswer: state.autoAnswer ?? null,
      localMedia: {},
      missedCount: 0,
      status: 'online',
    },
  });
  const i18n = i18next.createInstance();
  void i18n.use(initReactI18next).init({ lng: language, resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } }, interpolation: { escapeValue: false }, initAsync: false });
  return renderToStaticMarkup(
    <I18nextProvider i18n={i18n}>
      <AppContext.Provider value={{ store, bridge, media: null }}>{node}</AppContext.Provider>
    </I18nextProvider>,
  );
}

const CASES: { name: string; node: () => ReactNode; agent?: AgentStatus; autoAnswerInMs?: number; dark?: boolean; expectText: string[]; absentText?: string[] }[] = [
  { name: 'status-away-lunch', node: () => <StatusMenu onSignOut={() => undefined} />, agent: agent({ state: 'away', chosen: 'away', reason: 'lunch' }), expectText: ['Away: Lunch'] },
  { name: 'status-wrap-up', node: () => <StatusMenu onSignOut={() => undefined} />, agent: agent({ state: 'wrap-up', wrapUp }), expectText: ['Wrap-up'] },
  { name: 'missed-offer', node: () => <MissedOfferBanner agent={agent({ state: 'away', chosen: 'away', reason: 'missed-offer' })} />, expectText: ['You missed a call from Support', 'Back to available'] },
  { name: 'wrap-up', node: () => <WrapUpPanel task={{ ...wrapUp, until: new Date(Date.now() + 25_000).toISOString() }} />, expectText: ['Wrap-up: Support', 'Choose an outcome', 'Ends in 0:2', 'Done'] },
  { name: 'queue', node: () => <QueueStatus callId={CALL_ID} line={SUPPORT} queue={{ position: 3, waiting: 3, estimate: { minMs: 90_000, maxMs: 200_000 }, at: iso(0) }} />, expectText: ['You are number 3 in line', 'Estimated wait: 2–3 min', 'Leave the queue'] },
  { name: 'queue-no-agent', node: () => <QueueStatus callId={CALL_ID} line={SUPPORT} queue={{ position: 1, waiting: 1, estimate: null, at: iso(0) }} />, expectText: ['You are next in line', 'Waiting for an agent to become available'] },
  { name: 'line-card', node: () => <LineCard view={lineView} />, expectText: ['Waiting', 'Average handle time', '4:22', '7 %', 'Away: Missed call', 'Ringing'] },
  { name: 'incoming-line', node: () => <IncomingCall call={callView({ peer: CAROL, line: SUPPORT })} />, expectText: ['Call to Support', 'via Support (@support)'], absentText: ['Answers automatically'] },
  {
    name: 'incoming-line-auto-answer',
    node: () => <IncomingCall call={callView({ callId: CALL_ID, peer: CAROL, line: SUPPORT })} />,
    autoAnswerInMs: 1_500,
    expectText: ['Call to Support', 'Answers automatically in 2 s', 'Let it ring'],
  },
  {
    name: 'settings-auto-answer',
    node: () => <CallSettings update={() => Promise.resolve(true)} />,
    agent: agent({}),
    expectText: ['Auto-answer line calls', 'For headsets'],
  },
];

describe('support-line components in Chromium', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 400, height: 300 } });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  for (const language of ['en', 'zh-CN'] as const) {
    for (const c of CASES) {
      // Both themes in English; Chinese (the same layout, longer glyphs) in the light one, to keep the run short.
      const themes = language === 'en' ? (['light', 'dark'] as const) : (['light'] as const);
      it(`${c.name} (${language}): its words, no axe violation in ${themes.join(' and ')}`, async () => {
        const markup = render(c.node(), language, { agent: c.agent ?? null, autoAnswer: c.autoAnswerInMs === undefined ? null : { callId: CALL_ID, at: new Date(Date.now() + c.autoAnswerInMs).toISOString() } });
        if (language === 'en') for (const text of c.expectText) expect(markup).toContain(text);
        if (language === 'en') for (const text of c.absentText ?? []) expect(markup).not.toContain(text);
        for (const theme of themes) {
          const vars = Object.entries(PALETTES[theme])
            .map(([name, value]) => `--c-${name.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`)}: ${value};`)
            .join(' ');
          await page.setContent(
            `<!doctype html><html lang="${language}" data-theme="${theme}"><head><title>${c.name}</title><style>${CSS}\n:root { ${vars} color-scheme: ${theme}; }</style></head>` +
              `<body><main class="main" style="padding: 16px">${markup}</main></body></html>`,
          );
          await page.screenshot({ path: join(OUT, `${c.name}-${language}-${theme}.png`), fullPage: true });
          await page.addScriptTag({ content: axe.source });
          const violations = await page.evaluate(async () => {
            const run = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
            const result = await run.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
            return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
          });
          expect(violations, theme).toEqual([]);
        }
      });
    }
  }
});

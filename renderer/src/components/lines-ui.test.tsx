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
import type { AgentStatus, DirectoryLine, HistoryEntry, LineView, WrapUpTask } from '../../../shared/protocol';
import { defaultSettings } from '../../../shared/settings';
import { ALICE, BOB, CALL_ID, CALL_ID_2, CAROL, SUPPORT, callView } from '../../../shared/testing/fixtures';
import { launchChromium } from '../../../test/support/chromium';
import { en } from '../i18n/en';
import { zhCN } from '../i18n/zh-CN';
import { LineCard } from '../screens/line-view';
import { IncomingCall } from '../screens/incoming-call';
import { CallSettings } from '../screens/settings-sections';
import { AppContext } from '../state/app-context';
import { AppStore } from '../state/app-store';
import { PALETTES } from '../theme/palette';
import { HoldReminderBanner } from './hold-reminder';
import { CallRow } from './call-row';
import { MissedOfferBanner } from './missed-offer-banner';
import { QueueStatus } from './queue-status';
import { AnswersFor, StatusMenu } from './status-menu';
import { LineList } from './line-list';
import { TransferBanners } from './transfer-banners';
import { TransferDialog } from './transfer-dialog';
import { WrapUpPanel } from './wrap-up-panel';

/**
 * The support-line components (issue 14) drawn with the app's style sheets and both palettes in Chromium:
 * axe-core finds no WCAG A/AA violation, and the pictures are written to test-results/lines-ui for review.
 * The bridge is never called while drawing (no event handler runs), so it refuses everything.
 */

const THEME_DIR = join(import.meta.dirname, '../theme');
const CSS = ['tokens.css', 'base.css', 'layout.css', 'lists.css', 'call.css', 'forms.css', 'transfer.css'].map((f) => readFileSync(join(THEME_DIR, f), 'utf8')).join('\n');
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
/** A line call the agent took, with its wrap-up, as the agent's history lists it. */
const handledCall: HistoryEntry = {
  callId: CALL_ID,
  direction: 'incoming',
  peer: CAROL,
  media: 'audio',
  outcome: 'answered',
  endReason: 'hangup',
  missed: false,
  startedAt: iso(-600_000),
  answeredAt: iso(-590_000),
  endedAt: iso(-300_000),
  ringMs: 10_000,
  talkMs: 290_000,
  wrapUp: { line: SUPPORT, notes: 'Router reset; works again after a firmware update that took a while.', outcomeCode: 'solved', outcomeLabel: 'Solved', tags: ['wifi', 'router'], editUntil: iso(86_000_000) },
};
/** The call above in the history, one whose wrap-up was left empty, and the call in the recent calls on Home (neither shows a wrap-up line). */
const historyRows = () => (
  <ul className="call-list">
    <CallRow entry={handledCall} onCallBack={() => undefined} details />
    <CallRow entry={{ ...handledCall, callId: CALL_ID_2, wrapUp: { ...handledCall.wrapUp!, notes: '', outcomeCode: null, outcomeLabel: null, tags: [] } }} onCallBack={() => undefined} details />
    <CallRow entry={{ ...handledCall, callId: 'cccccccc-cccc-4ccc-8ccc-cccccccccccc' }} onCallBack={() => undefined} />
  </ul>
);
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

const BILLING = { lineId: '55555555-5555-4555-8555-555555555555', name: 'billing', displayName: 'Billing' };
/** Contacts' service lines: one with agents free, one whose agents are all busy, one nobody staffs. */
const directoryLines: DirectoryLine[] = [
  { ...SUPPORT, staffed: true, availableAgents: 2 },
  { ...BILLING, staffed: true, availableAgents: 0 },
  { lineId: '66666666-6666-4666-8666-666666666666', name: 'legal-advice', displayName: 'Legal advice', staffed: false, availableAgents: 0 },
];

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

const CASES: { name: string; node: () => ReactNode; agent?: AgentStatus; autoAnswerInMs?: number; dark?: boolean; height?: number; expectText: string[]; absentText?: string[] }[] = [
  { name: 'status-away-lunch', node: () => <StatusMenu onSignOut={() => undefined} />, agent: agent({ state: 'away', chosen: 'away', reason: 'lunch' }), expectText: ['Away: Lunch'] },
  { name: 'status-wrap-up', node: () => <StatusMenu onSignOut={() => undefined} />, agent: agent({ state: 'wrap-up', wrapUp }), expectText: ['Wrap-up'] },
  { name: 'missed-offer', node: () => <MissedOfferBanner agent={agent({ state: 'away', chosen: 'away', reason: 'missed-offer' })} />, expectText: ['You missed a call from Support', 'Back to available'] },
  { name: 'wrap-up', node: () => <WrapUpPanel task={{ ...wrapUp, until: new Date(Date.now() + 25_000).toISOString() }} />, expectText: ['Wrap-up: Support', 'Choose an outcome', 'Ends in 0:2', 'Done'] },
  {
    name: 'wrap-up-transferred',
    node: () => (
      <WrapUpPanel
        task={{
          ...wrapUp,
          mode: 'optional',
          until: null,
          transfer: { transferId: '40000000-0000-4000-8000-000000000004', kind: 'consult', by: ALICE, target: BOB, result: 'completed', endReason: null, at: iso(-1_000), newCallId: '50000000-0000-4000-8000-000000000005' },
        }}
      />
    ),
    expectText: ['Wrap-up: Support', 'Transferred to Bob after a consult'],
  },
  { name: 'queue', node: () => <QueueStatus callId={CALL_ID} queue={{ position: 3, waiting: 3, estimate: { minMs: 90_000, maxMs: 200_000 }, at: iso(0) }} />, expectText: ['You are number 3 in line', 'Estimated wait: 2–3 min', 'Leave the queue'] },
  { name: 'queue-no-agent', node: () => <QueueStatus callId={CALL_ID} queue={{ position: 1, waiting: 1, estimate: null, at: iso(0) }} />, expectText: ['You are next in line', 'Waiting for an agent to become available'] },
  {
    name: 'contacts-lines',
    node: () => (
      <section className="card contacts">
        <LineList lines={directoryLines} onCall={() => undefined} />
      </section>
    ),
    expectText: ['Service lines', 'Support', '@support', 'Open · 2 agents available', 'Open · all agents busy', 'Closed: no agent on duty', 'Call the line Legal advice'],
    absentText: ['presence-icon'],
  },
  {
    name: 'answers-for',
    node: () => (
      <div className="status-menu">
        <ul className="menu" role="menu" aria-label={en.status.menu}>
          <AnswersFor lines={[SUPPORT, BILLING]} />
        </ul>
      </div>
    ),
    height: 120,
    expectText: ['You answer for: Support and Billing'],
  },
  { name: 'line-card', node: () => <LineCard view={lineView} />, expectText: ['Waiting', 'Average handle time', '4:22', '7 %', 'Away: Missed call', 'Ringing'] },
  {
    name: 'transfer-to-line',
    node: () => <TransferDialog call={callView({ peer: CAROL, phase: 'active', line: SUPPORT, direction: 'incoming' })} mode="consult" onClose={() => undefined} />,
    agent: agent({ state: 'busy', lines: [SUPPORT, BILLING] }),
    height: 480, // a modal dialog: fixed, so the viewport must hold it
    expectText: ['Service lines', 'Support', 'Billing', 'Transfer to line', 'Transfer now to the line Billing: Carol'],
  },
  ...(['transferred', 'returned', 'agent-lost'] as const).map((why) => ({
    // The customer's call moved into a line (call:queued): why it waits there, in the words of its `why`.
    name: `queued-${why}`,
    node: () => {
      const peer = { userId: SUPPORT.lineId, username: SUPPORT.name, displayName: SUPPORT.displayName };
      const queue = { position: 1, waiting: 2, estimate: null, at: iso(0) };
      const call = callView({ peer, phase: 'calling', direction: 'outgoing', line: SUPPORT, queue, transferredBy: why === 'transferred' ? BOB : null, movedToLine: { why, by: BOB } });
      return <TransferBanners call={call} conference={null} outcome={null} />;
    },
    expectText: [
      {
        transferred: `${BOB.displayName} transferred you to Support: you wait there for its next agent`,
        returned: 'The transfer did not go through: you are back at the front of the line for Support',
        'agent-lost': `Your call with ${BOB.displayName} was cut off: you are back at the front of the line for Support`,
      }[why],
    ],
  })),
  // Issue 15's agent side: the hold reminder, and the Transfer dialog opened with the blind key (Enter's meaning).
  { name: 'hold-reminder', node: () => <HoldReminderBanner name="Bob" minutes={2} />, expectText: ['Bob has been on hold for 2 min.'] },
  { name: 'transfer-dialog-blind', node: () => <TransferDialog call={callView({ peer: BOB, phase: 'active' })} mode="blind" onClose={() => undefined} />, expectText: ['Transfer Bob', 'Enter: transfer to the first match now.'] },
  { name: 'history-wrap-up', node: () => historyRows(), expectText: ['Wrap-up:', 'Solved', 'Router reset; works again', '#wifi #router'] },
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

  it("a history row shows the agent's wrap-up only when it has something in it", () => {
    expect(render(historyRows(), 'en', { agent: null }).match(/data-wrap-up/g)).toHaveLength(1);
  });

  for (const language of ['en', 'zh-CN'] as const) {
    for (const c of CASES) {
      // Both themes in English; Chinese (the same layout, longer glyphs) in the light one, to keep the run short.
      const themes = language === 'en' ? (['light', 'dark'] as const) : (['light'] as const);
      it(`${c.name} (${language}): its words, no axe violation in ${themes.join(' and ')}`, async () => {
        const markup = render(c.node(), language, { agent: c.agent ?? null, autoAnswer: c.autoAnswerInMs === undefined ? null : { callId: CALL_ID, at: new Date(Date.now() + c.autoAnswerInMs).toISOString() } });
        if (language === 'en') for (const text of c.expectText) expect(markup).toContain(text);
        if (language === 'en') for (const text of c.absentText ?? []) expect(markup).not.toContain(text);
        await page.setViewportSize({ width: 400, height: c.height ?? 300 });
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

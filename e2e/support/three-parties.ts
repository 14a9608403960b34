import { expect, type Browser, type Page } from '@playwright/test';
import { agent, launchWithMicrophone, openAgentPage, ToneFiles } from './conference-harness';
import { openContext, signIn } from './fixtures';
import { toneLevels, type ToneSource } from './tone-meter';

/** Each party's microphone plays one pure tone; none is a harmonic of another, so codec harmonics cannot pass for a party. */
export const AGENT_HZ = 440;
export const CUSTOMER_HZ = 1000;
export const EXPERT_HZ = 1660;
const ALL = [AGENT_HZ, CUSTOMER_HZ, EXPERT_HZ];
const NAMES: Record<number, string> = { [AGENT_HZ]: 'agent', [CUSTOMER_HZ]: 'customer', [EXPERT_HZ]: 'expert' };

/**
 * A tone is heard above -50 dBFS. It is silent below -70 dBFS, or 45 dB or more under the loudest tone
 * of the same measurement (the codec's noise floor rises under a loud tone). Measured here: a party
 * heard arrives at -20 to -40 dBFS; a party not heard sits at -78 to -137 dBFS. In between the verdict
 * is "unclear", which never passes.
 */
const HEARD_DB = -50;
const SILENT_DB = -70;
const SILENT_UNDER_LOUDEST_DB = 45;

export interface ThreeParties {
  /** The agent page (conference-agent-page.ts): the hub. */
  hub: Page;
  customer: Page;
  expert: Page;
  users: { customer: { username: string; displayName: string }; expert: { username: string; displayName: string } };
  close(): Promise<void>;
}

type NewUser = (prefix: string) => Promise<{ username: string; displayName: string; password: string }>;

/** Three Chromiums whose fake microphones play the agent's, the customer's and the expert's tone; `close` closes them and removes the tone files. */
export async function toneBrowsers(): Promise<{ browsers: [Browser, Browser, Browser]; close: () => Promise<void> }> {
  const tones = new ToneFiles();
  const browsers: Browser[] = [];
  const close = async () => {
    for (const browser of browsers) await browser.close();
    tones.remove();
  };
  try {
    for (const hz of ALL) browsers.push(await launchWithMicrophone(tones.file(hz)));
  } catch (error) {
    await close();
    throw error;
  }
  return { browsers: browsers as [Browser, Browser, Browser], close };
}

/** Three Chromiums, one tone each: the agent on the agent page, the customer and the expert in the app, all signed in. */
export async function threeParties(serverUrl: string, newUser: NewUser): Promise<ThreeParties> {
  const { browsers, close } = await toneBrowsers();
  try {
    const [agentBrowser, customerBrowser, expertBrowser] = browsers;
    const [agentUser, customerUser, expertUser] = await Promise.all([newUser('agent'), newUser('customer'), newUser('expert')]);
    const [hub, customer, expert] = await Promise.all([
      openAgentPage(agentBrowser, serverUrl),
      openContext(customerBrowser, serverUrl).then(({ page }) => page),
      openContext(expertBrowser, serverUrl).then(({ page }) => page),
    ]);
    await Promise.all([
      agent(hub, 'signIn', agentUser.username, agentUser.password),
      signIn(customer, customerUser.username, customerUser.password),
      signIn(expert, expertUser.username, expertUser.password),
    ]);
    return { hub, customer, expert, users: { customer: customerUser, expert: expertUser }, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The agent calls `username`, who answers in the app (with video for a video call); resolves with the call id. */
export async function agentCalls(hub: Page, callee: Page, username: string, kind: 'audio' | 'video' = 'audio'): Promise<string> {
  const calling = agent(hub, 'call', username, kind);
  await callee.getByRole('button', { name: kind === 'video' ? 'Answer with video' : 'Answer', exact: true }).click();
  return calling;
}

type Verdict = 'heard' | 'silent' | 'unclear';

function verdicts(levels: Record<number, number>): Record<string, Verdict> {
  const loudest = Math.max(...ALL.map((hz) => levels[hz]!));
  const verdict = (db: number): Verdict => (db > HEARD_DB ? 'heard' : db < SILENT_DB || db <= loudest - SILENT_UNDER_LOUDEST_DB ? 'silent' : 'unclear');
  return Object.fromEntries(ALL.map((hz) => [`${NAMES[hz]} (${hz} Hz)`, verdict(levels[hz]!)]));
}

/** Everything one side receives: which parties it hears (by their tone) and which it does not. */
export async function expectHears(page: Page, source: ToneSource, heard: number[], log?: (line: string) => void): Promise<void> {
  const expected = verdicts(Object.fromEntries(ALL.map((hz) => [hz, heard.includes(hz) ? 0 : -Infinity])));
  let last: Record<number, number> = {};
  await expect
    .poll(
      async () => {
        last = await toneLevels(page, source, ALL);
        return verdicts(last);
      },
      { timeout: 20_000, message: `what ${source} of ${page.url()} hears` },
    )
    .toEqual(expected);
  log?.(ALL.map((hz) => `${NAMES[hz]} ${last[hz]!.toFixed(0)} dBFS`).join(', '));
}

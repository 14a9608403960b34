import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, type TestInfo } from '@playwright/test';
import { callPerson, expectConnected } from './call-helpers';
import { openContext, signIn } from './fixtures';
import { AGENT_HZ, CUSTOMER_HZ, EXPERT_HZ, toneBrowsers } from './three-parties';

export { AGENT_HZ, CUSTOMER_HZ, EXPERT_HZ };

type User = { username: string; displayName: string; password: string };

/** Agent, customer and expert, each in the app (the real screens) in a Chromium whose fake microphone plays its own tone. */
export interface ThreeApps {
  agent: Page;
  customer: Page;
  expert: Page;
  users: { agent: User; customer: User; expert: User };
  close(): Promise<void>;
}

export async function threeApps(serverUrl: string, newUser: (prefix: string) => Promise<User>): Promise<ThreeApps> {
  const { browsers, close } = await toneBrowsers();
  try {
    const [agentUser, customerUser, expertUser] = await Promise.all([newUser('agent'), newUser('customer'), newUser('expert')]);
    const pages = await Promise.all(browsers.map((browser) => openContext(browser, serverUrl).then(({ page }) => page)));
    const [agent, customer, expert] = pages as [Page, Page, Page];
    await Promise.all([
      signIn(agent, agentUser.username, agentUser.password),
      signIn(customer, customerUser.username, customerUser.password),
      signIn(expert, expertUser.username, expertUser.password),
    ]);
    return { agent, customer, expert, users: { agent: agentUser, customer: customerUser, expert: expertUser }, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The customer calls the agent, who answers; both connected. */
export async function customerCallsAgent({ agent, customer, users }: ThreeApps): Promise<void> {
  await callPerson(customer, users.agent.displayName);
  await agent.getByRole('button', { name: 'Answer', exact: true }).click();
  await expectConnected(agent, customer);
}

/** The agent opens Transfer, finds the expert and chooses Consult or Transfer now (blind). */
export async function agentTransfers({ agent, users }: ThreeApps, mode: 'consult' | 'blind'): Promise<void> {
  await agent.getByRole('button', { name: 'Transfer', exact: true }).click();
  const dialog = agent.getByRole('dialog', { name: `Transfer ${users.customer.displayName}` });
  await expect(dialog.getByLabel('Transfer to')).toBeFocused();
  await dialog.getByLabel('Transfer to').fill(users.expert.displayName);
  const name = users.expert.displayName;
  await dialog.getByRole('button', { name: mode === 'consult' ? `Consult ${name} first` : `Transfer now to ${name}`, exact: true }).click();
  await expect(dialog).toBeHidden();
}

/** The expert's incoming call says who transfers and for whom, then the expert answers. */
export async function expertAnswers({ expert, users }: ThreeApps, kind: 'consult' | 'transfer'): Promise<void> {
  const ring = expert.getByRole('dialog', { name: `${users.agent.displayName} is calling` });
  const context = kind === 'consult' ? `Consult from ${users.agent.displayName} about ${users.customer.displayName}` : `Transfer from ${users.agent.displayName}: ${users.customer.displayName}`;
  await expect(ring).toContainText(context);
  await ring.getByRole('button', { name: 'Answer', exact: true }).click();
}

/** The consult panel's button (by its visible text, scoped to the panel). */
export function panelButton(agent: Page, text: string) {
  return agent.locator('.consult-panel').getByRole('button').filter({ hasText: text });
}

/** WCAG A/AA violations on the page now (none expected), and a screenshot attached to the test for review. */
export async function checkA11yAndShoot(page: Page, name: string, testInfo: TestInfo): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`) });
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')} (${v.help})`), `axe: ${name}`).toEqual([]);
}

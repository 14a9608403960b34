import type { Page } from '@playwright/test';
import { expect, test as base } from './support/fixtures';
import { expectHears } from './support/three-parties';
import {
  AGENT_HZ,
  agentTransfers,
  checkA11yAndShoot,
  CUSTOMER_HZ,
  customerCallsAgent,
  EXPERT_HZ,
  expertAnswers,
  panelButton,
  threeApps,
  type ThreeApps,
} from './support/transfer-parties';

/**
 * Issue 15 through the app's screens: three Chromiums (agent, customer, expert), each with its own fake
 * microphone tone (agent 440 Hz, customer 1000 Hz, expert 1660 Hz), real WebRTC, the real service. Who
 * hears whom is measured on the audio each side's call really plays (FFT, e2e/support/tone-meter.ts).
 */
const test = base.extend<{ apps: ThreeApps }>({
  apps: async ({ server, newUser }, use) => {
    const apps = await threeApps(server.url, newUser);
    await use(apps);
    await apps.close();
  },
});

test.describe.configure({ timeout: 150_000 });

const banner = (page: Page, kind: string) => page.locator(`[data-banner="${kind}"]`);

test('blind transfer: declined, the customer is back with the agent (recall); again: the customer waits on hold, the expert sees who and for whom, then customer and expert talk on a new call; the agent is released', async ({ apps }, testInfo) => {
  const { agent, customer, expert, users } = apps;
  await customerCallsAgent(apps);
  await agentTransfers(apps, 'blind');
  await expect(banner(customer, 'remote-held')).toBeVisible();
  await expert.getByRole('dialog', { name: `${users.agent.displayName} is calling` }).getByRole('button', { name: 'Decline', exact: true }).click();
  await expect(banner(agent, 'transfer-outcome')).toHaveText(`${users.expert.displayName} declined: you are back with ${users.customer.displayName}.`);
  await expect(banner(customer, 'remote-held')).toBeHidden();
  await expect(agent.locator('.consult-panel')).toHaveCount(0);
  await expectHears(customer, 'call-audio', [AGENT_HZ]);
  await checkA11yAndShoot(agent, 'agent-recall', testInfo);

  await agentTransfers(apps, 'blind');
  await expect(banner(customer, 'remote-held')).toBeVisible();
  await expect(agent.locator('.consult-panel')).toContainText(`Transferring ${users.customer.displayName} to ${users.expert.displayName}`);
  await checkA11yAndShoot(agent, 'agent-blind-ringing', testInfo);
  await checkA11yAndShoot(expert, 'expert-transfer-incoming', testInfo);
  await expertAnswers(apps, 'transfer');

  await expect(banner(customer, 'transferred')).toHaveText(`Connected to ${users.expert.displayName} (transferred by ${users.agent.displayName})`);
  await expect(banner(expert, 'transferred')).toHaveText(`Connected to ${users.customer.displayName} (transferred by ${users.agent.displayName})`);
  await expect(agent.locator('.call-summary')).toContainText(`You transferred ${users.customer.displayName}`);
  // No "call ended" summary on the customer's side: the new call replaced the old one.
  await expect(customer.locator('.call-summary')).toHaveCount(0);
  await expectHears(customer, 'call-audio', [EXPERT_HZ]);
  await expectHears(expert, 'call-audio', [CUSTOMER_HZ]);
  await expectHears(agent, 'call-audio', []);
  await checkA11yAndShoot(customer, 'customer-transferred', testInfo);
});

test('consult, then cancel: the customer is held while the agent talks to the expert, then back with the agent', async ({ apps }, testInfo) => {
  const { agent, customer, expert } = apps;
  await customerCallsAgent(apps);
  // Keyboard: Escape closes the dialog and gives focus back to Transfer.
  const transferButton = agent.getByRole('button', { name: 'Transfer', exact: true });
  await transferButton.click();
  await agent.keyboard.press('Escape');
  await expect(transferButton).toBeFocused();
  await agentTransfers(apps, 'consult');
  await expect(banner(customer, 'remote-held')).toBeVisible();
  await expertAnswers(apps, 'consult');
  await expect(agent.locator('[data-leg="target"]')).toHaveAttribute('data-leg-state', 'legLive');
  await expect(agent.locator('[data-leg="customer"]')).toHaveAttribute('data-leg-state', 'legHeld');
  await expectHears(agent, 'call-audio', [EXPERT_HZ]);
  await expectHears(expert, 'call-audio', [AGENT_HZ]);
  await checkA11yAndShoot(agent, 'agent-consulting', testInfo);

  // Swap (by keyboard): one server step, exactly one leg live.
  await panelButton(agent, 'Swap').focus();
  await agent.keyboard.press('Enter');
  await expect(agent.locator('[data-leg="customer"]')).toHaveAttribute('data-leg-state', 'legLive');
  await expect(agent.locator('[data-leg="target"]')).toHaveAttribute('data-leg-state', 'legHeld');
  await expect(banner(expert, 'remote-held')).toBeVisible();
  await expect(banner(customer, 'remote-held')).toBeHidden();

  await panelButton(agent, 'Cancel transfer').click();
  await expect(agent.locator('.consult-panel')).toHaveCount(0);
  await expect(expert.locator('.in-call')).toHaveCount(0);
  await expect(banner(customer, 'remote-held')).toBeHidden();
  await expectHears(customer, 'call-audio', [AGENT_HZ]);
  await expectHears(agent, 'call-audio', [CUSTOMER_HZ]);
});

test('consult, then complete: customer and expert hear each other, the agent receives nothing', async ({ apps }) => {
  const { agent, customer, expert, users } = apps;
  await customerCallsAgent(apps);
  await agentTransfers(apps, 'consult');
  await expertAnswers(apps, 'consult');
  await expect(agent.locator('[data-leg="target"]')).toHaveAttribute('data-leg-state', 'legLive');
  await panelButton(agent, 'Complete transfer').click();

  await expect(banner(customer, 'transferred')).toContainText(users.expert.displayName);
  await expect(agent.locator('.in-call')).toHaveCount(0);
  await expectHears(customer, 'call-audio', [EXPERT_HZ]);
  await expectHears(expert, 'call-audio', [CUSTOMER_HZ]);
  await expectHears(agent, 'call-audio', []);
});

test('merge: all three hear each other and every side shows the three names; the agent leaves and the other two stay connected', async ({ apps }, testInfo) => {
  const { agent, customer, expert, users } = apps;
  await customerCallsAgent(apps);
  await agentTransfers(apps, 'consult');
  await expertAnswers(apps, 'consult');
  await expect(agent.locator('[data-leg="target"]')).toHaveAttribute('data-leg-state', 'legLive');
  await panelButton(agent, 'Merge').click();

  for (const page of [agent, customer, expert]) {
    for (const user of Object.values(users)) await expect(banner(page, 'conference')).toContainText(user.displayName);
  }
  await expectHears(customer, 'call-audio', [AGENT_HZ, EXPERT_HZ]);
  await expectHears(expert, 'call-audio', [AGENT_HZ, CUSTOMER_HZ]);
  await expectHears(agent, 'call-audio', [CUSTOMER_HZ, EXPERT_HZ]);
  // Only the hub acts on a three-way call (D16, shared/call/transfer-rule.ts): no Transfer on any side.
  for (const page of [agent, customer, expert]) await expect(page.getByRole('button', { name: 'Transfer', exact: true })).toHaveCount(0);
  await checkA11yAndShoot(agent, 'agent-merged', testInfo);
  await checkA11yAndShoot(customer, 'customer-merged', testInfo);

  await panelButton(agent, 'Leave').click();
  await expect(agent.locator('.in-call')).toHaveCount(0);
  await expect(banner(customer, 'transferred')).toContainText(users.expert.displayName);
  await expectHears(customer, 'call-audio', [EXPERT_HZ]);
  await expectHears(expert, 'call-audio', [CUSTOMER_HZ]);
});

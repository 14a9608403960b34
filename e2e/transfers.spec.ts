import type { Page } from '@playwright/test';
import { expect, openContext, signIn, test as base } from './support/fixtures';
import { historyEntry } from './support/call-helpers';
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

/** Test instrumentation: records each WebAudio oscillator the page starts (its frequency, and whether its context runs). */
const RECORD_OSCILLATORS = `(() => {
  window.__oscillators = [];
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...args) {
    window.__oscillators.push({ hz: this.frequency.value, running: this.context.state === 'running' });
    return start.apply(this, args);
  };
})()`;
const oscillators = (page: Page) => page.evaluate(() => (window as unknown as { __oscillators: { hz: number; running: boolean }[] }).__oscillators);

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

test('consult, then cancel: the customer is held (hold tone) while the agent talks to the expert, across a reload of the agent page, then back with the agent', async ({ apps }, testInfo) => {
  const { agent, customer, expert } = apps;
  await customerCallsAgent(apps);
  await customer.evaluate(RECORD_OSCILLATORS);
  // Keyboard: Escape closes the dialog and gives focus back to Transfer.
  const transferButton = agent.getByRole('button', { name: 'Transfer', exact: true });
  await transferButton.click();
  await agent.keyboard.press('Escape');
  await expect(transferButton).toBeFocused();
  await agentTransfers(apps, 'consult');
  await expect(banner(customer, 'remote-held')).toBeVisible();
  // The held customer hears the hold tone (progress-tones.ts: 440 Hz every 4 s; the first beep at once), really playing.
  await expect.poll(() => oscillators(customer)).toContainEqual({ hz: 440, running: true });
  await expertAnswers(apps, 'consult');
  await expect(agent.locator('[data-leg="target"]')).toHaveAttribute('data-leg-state', 'legLive');
  await expect(agent.locator('[data-leg="customer"]')).toHaveAttribute('data-leg-state', 'legHeld');
  await expectHears(agent, 'call-audio', [EXPERT_HZ]);
  await expectHears(expert, 'call-audio', [AGENT_HZ]);
  await checkA11yAndShoot(agent, 'agent-consulting', testInfo);

  // The agent reloads its page mid-consult: the consult comes back with both legs, the customer still held.
  agent.on('dialog', (dialog) => void dialog.accept());
  await agent.reload();
  await expect(agent.locator('[data-leg="target"]')).toHaveAttribute('data-leg-state', 'legLive');
  await expect(agent.locator('[data-leg="customer"]')).toHaveAttribute('data-leg-state', 'legHeld');
  await expectHears(agent, 'call-audio', [EXPERT_HZ]);
  await expectHears(customer, 'call-audio', []);
  await expect(banner(customer, 'remote-held')).toBeVisible();

  // Swap (by keyboard): one server step, exactly one leg live.
  await panelButton(agent, 'Swap').focus();
  await agent.keyboard.press('Enter');
  await expect(agent.locator('[data-leg="customer"]')).toHaveAttribute('data-leg-state', 'legLive');
  await expect(agent.locator('[data-leg="target"]')).toHaveAttribute('data-leg-state', 'legHeld');
  await expect(banner(expert, 'remote-held')).toBeVisible();
  await expect(banner(customer, 'remote-held')).toBeHidden();
  // And back with its key (ui/call-keys.ts).
  await agent.keyboard.press('Alt+KeyS');
  await expect(agent.locator('[data-leg="target"]')).toHaveAttribute('data-leg-state', 'legLive');
  await expect(banner(customer, 'remote-held')).toBeVisible();

  await panelButton(agent, 'Cancel transfer').click();
  await expect(agent.locator('.consult-panel')).toHaveCount(0);
  await expect(expert.locator('.in-call')).toHaveCount(0);
  await expect(banner(customer, 'remote-held')).toBeHidden();
  await expectHears(customer, 'call-audio', [AGENT_HZ]);
  await expectHears(agent, 'call-audio', [CUSTOMER_HZ]);
});

test('consult by keys, answered on the expert\'s second device, then complete: customer and that device hear each other, the agent receives nothing; the agent history shows one conversation with both calls', async ({ apps, server }, testInfo) => {
  const { agent, customer, expert, users } = apps;
  const secondDevice = (await openContext(expert.context().browser()!, server.url)).page;
  await signIn(secondDevice, users.expert.username, users.expert.password);
  await customerCallsAgent(apps);
  // Alt+C opens Transfer; Enter in the search consults the first match.
  await agent.keyboard.press('Alt+KeyC');
  const dialog = agent.getByRole('dialog', { name: `Transfer ${users.customer.displayName}` });
  await dialog.getByLabel('Transfer to').fill(users.expert.displayName);
  await expect(dialog.getByRole('button', { name: `Consult ${users.expert.displayName} first`, exact: true })).toBeVisible();
  await checkA11yAndShoot(agent, 'agent-transfer-dialog-keys', testInfo);
  await agent.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(expert.getByRole('dialog', { name: `${users.agent.displayName} is calling` })).toBeVisible();
  await expertAnswers({ ...apps, expert: secondDevice }, 'consult');
  await expect(expert.getByRole('dialog', { name: `${users.agent.displayName} is calling` })).toBeHidden();
  await expect(agent.locator('[data-leg="target"]')).toHaveAttribute('data-leg-state', 'legLive');
  await agent.keyboard.press('Control+Enter');

  await expect(banner(customer, 'transferred')).toContainText(users.expert.displayName);
  await expect(banner(secondDevice, 'transferred')).toContainText(users.customer.displayName);
  await expect(agent.locator('.in-call')).toHaveCount(0);
  await expect(expert.locator('.in-call')).toHaveCount(0);
  await expectHears(customer, 'call-audio', [EXPERT_HZ]);
  await expectHears(secondDevice, 'call-audio', [CUSTOMER_HZ]);
  await expectHears(agent, 'call-audio', []);

  // History: the customer's call and the consult are one row; its calls open from the keyboard.
  const row = await historyEntry(agent, users.customer.displayName);
  await expect(row).toHaveCount(1);
  const disclosure = row.getByText('2 calls in this conversation');
  await disclosure.focus();
  await agent.keyboard.press('Enter');
  await expect(agent.getByRole('main').locator('.leg-row')).toHaveText([new RegExp(`Consult call with ${users.expert.displayName}`), new RegExp(`Call with ${users.customer.displayName}`)]);
  await checkA11yAndShoot(agent, 'history-conversation', testInfo);
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

  // Split through the app (transfer:merge false; the hub's own unmerge is three-way-call.spec's): back to the consult
  // with the customer live and the expert held; Alt+M merges again.
  await agent.keyboard.press('Alt+KeyM');
  await expect(agent.locator('[data-leg="customer"]')).toHaveAttribute('data-leg-state', 'legLive');
  await expect(agent.locator('[data-leg="target"]')).toHaveAttribute('data-leg-state', 'legHeld');
  await expect(banner(customer, 'conference')).toHaveCount(0);
  await expectHears(customer, 'call-audio', [AGENT_HZ]);
  await agent.keyboard.press('Alt+KeyM');
  await expect(agent.locator('[data-leg="customer"]')).toHaveAttribute('data-leg-state', 'legMerged');

  await panelButton(agent, 'Leave').click();
  await expect(agent.locator('.in-call')).toHaveCount(0);
  await expect(banner(customer, 'transferred')).toContainText(users.expert.displayName);
  await expectHears(customer, 'call-audio', [EXPERT_HZ]);
  await expectHears(expert, 'call-audio', [CUSTOMER_HZ]);
});

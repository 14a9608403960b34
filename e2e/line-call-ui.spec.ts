import type { Page } from '@playwright/test';
import { expectConnected } from './support/call-helpers';
import { checkA11yAndShoot } from './support/transfer-parties';
import { expect, test } from './support/fixtures';
import { LINES_SERVER_ENV, createLine } from './support/lines';

/**
 * Issue 14 through the screens, with a real server and Chromium: customers dial a line and wait in its
 * queue (place, kept across a reload, moving up as the one ahead leaves); the agent's incoming call names the line; after
 * the call the wrap-up panel opens, keeps its draft across a reload and ends with Done; an offer that rings
 * out sets the agent away with a banner whose one button brings it back; with auto-answer on, the next offer
 * answers by itself.
 */
test.use({ serverEnv: LINES_SERVER_ENV });

const statusButton = (page: Page) => page.getByRole('banner').getByRole('button', { name: /^Your status: / });

async function dial(page: Page, name: string): Promise<void> {
  await page.getByLabel('Call by username').fill(name);
  await page.getByRole('button', { name: 'Call', exact: true }).click();
}

test('a line call: the caller waits in line, the agent sees the line, wrap-up saves notes and an outcome and survives a reload', async ({ server, newUser, openPhone }, testInfo) => {
  const agentUser = await newUser('agent', 'Agent Ann');
  const customerUser = await newUser('cust', 'Customer Carl');
  const line = await createLine(server, {
    name: `help${Date.now().toString(36)}`,
    displayName: 'Help desk',
    members: [agentUser.username],
    strategy: 'ring-all',
    wrapUp: { mode: 'time-boxed', timeMs: 120_000 },
    outcomeCodes: [
      { code: 'solved', label: 'Solved' },
      { code: 'callback', label: 'Call back' },
    ],
    outcomeRequired: true,
  });
  const agent = await openPhone(agentUser);
  const early = await openPhone(await newUser('early', 'Early Eve'));
  const customer = await openPhone(customerUser);

  // Nobody available: the callers wait, told so, never "0 min"; the place in line follows the one ahead leaving.
  // The agent's status menu names the lines it answers for.
  await statusButton(agent.page).click();
  await expect(agent.page.getByRole('menuitem', { name: 'You answer for: Help desk' })).toBeVisible();
  await agent.page.getByRole('menuitemradio', { name: /^Away: Break/ }).click();
  await dial(early.page, line.name);
  await expect(early.page.getByRole('region', { name: 'Your place in line' })).toContainText('You are next in line');
  // The customer finds the line in Contacts (no agent on duty: it says so) and calls it from there.
  await customer.page.getByLabel('Search contacts').fill(line.name.slice(0, 6));
  const lines = customer.page.getByRole('list', { name: 'Service lines' });
  await expect(lines.getByRole('listitem').filter({ hasText: `@${line.name}` })).toContainText('Closed: no agent on duty');
  await lines.getByRole('button', { name: 'Call the line Help desk' }).click();
  const queue = customer.page.getByRole('region', { name: 'Your place in line' });
  await expect(queue).toContainText('You are number 2 in line');
  // Said once: the call's status is "Waiting in line", the heading names the line, the region only the place in it.
  expect((await customer.page.locator('body').ariaSnapshot()).match(/Waiting in line/g)).toHaveLength(1);
  await expect(queue).not.toContainText('Help desk');
  await expect(queue).toContainText('Waiting for an agent to become available');

  // A reload (same device, within the resume grace) takes the waiting call back: the same screen, the place kept.
  customer.page.on('dialog', (dialog) => void dialog.accept()); // "Leave site?" while a call waits
  await customer.page.reload();
  await expect(queue).toContainText('You are number 2 in line');
  await expect(customer.page.getByRole('heading', { level: 1 })).toHaveText('Help desk');
  await expect(customer.page.getByRole('button', { name: 'Leave the queue' })).toBeVisible();
  await checkA11yAndShoot(customer.page, 'customer-queue-after-reload', testInfo);

  await early.page.getByRole('button', { name: 'Leave the queue' }).click();
  await expect(queue).toContainText('You are next in line');

  // The agent comes back: the offer rings, naming the line.
  await statusButton(agent.page).click();
  await agent.page.getByRole('menuitemradio', { name: /^Available/ }).click();
  const incoming = agent.page.getByRole('dialog', { name: `${customerUser.displayName} is calling` });
  await expect(incoming).toContainText('Call to Help desk');
  await expect(incoming).toContainText(`via Help desk (@${line.name})`);
  await incoming.getByRole('button', { name: 'Answer', exact: true }).click();
  await expectConnected(customer.page, agent.page);
  await expect(statusButton(agent.page)).toHaveAccessibleName(/^Your status: In a call/);
  await customer.page.getByRole('button', { name: 'Hang up' }).click();

  // Wrap-up: the panel opens with focus, Done needs the outcome.
  const panel = agent.page.getByRole('region', { name: 'Wrap-up: Help desk' });
  await expect(panel).toBeVisible();
  await expect(panel.getByRole('heading', { name: 'Wrap-up: Help desk' })).toBeFocused();
  await expect(statusButton(agent.page)).toHaveAccessibleName(/^Your status: Wrap-up/);
  await expect(panel.getByRole('timer')).toContainText(/Ends in [12]:\d\d/);
  await panel.getByLabel('Notes').fill('Reset the router; works again.');
  await panel.getByLabel('Tags').fill('wifi, router');
  await expect(panel).toContainText('Saved');
  await panel.getByRole('button', { name: 'Done' }).click();
  await expect(panel).toContainText('Choose an outcome before Done.');
  await expect(panel.getByLabel(/^Outcome/)).toBeFocused();

  // A reload (an app restart) brings the panel back with the saved draft and the same deadline.
  await agent.page.reload();
  await expect(panel.getByLabel('Notes')).toHaveValue('Reset the router; works again.');
  await expect(panel.getByLabel('Tags')).toHaveValue('wifi, router');
  await panel.getByLabel(/^Outcome/).selectOption('solved');
  await panel.getByLabel('Notes').press('Control+Enter');
  await expect(panel).toBeHidden();
  await expect(statusButton(agent.page)).toHaveAccessibleName(/^Your status: Available/);

  // The agent's history shows the outcome, the tags and the notes of its own wrap-up.
  await agent.page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: /^History/ }).click();
  const row = agent.page.locator('.call-row').filter({ hasText: customerUser.displayName });
  const wrapUp = row.locator('[data-wrap-up]');
  await expect(wrapUp.locator('.call-row-outcome')).toHaveText('Solved');
  await expect(wrapUp.locator('.call-row-tags')).toHaveText('#wifi #router');
  await expect(wrapUp.locator('.call-row-notes')).toHaveText('Reset the router; works again.');
});

test('an offer that rings out sets the agent away with a banner; one click brings it back', async ({ server, newUser, openPhone }) => {
  const agentUser = await newUser('agent', 'Agent Bo');
  const customerUser = await newUser('cust', 'Customer Cy');
  const line = await createLine(server, { name: `miss${Date.now().toString(36)}`, displayName: 'Billing', members: [agentUser.username], offerTimeoutMs: 2_000, wrapUp: { mode: 'none', timeMs: 1_000 } });
  const agent = await openPhone(agentUser);
  const customer = await openPhone(customerUser);

  await dial(customer.page, line.name);
  await expect(agent.page.getByRole('dialog', { name: `${customerUser.displayName} is calling` })).toBeVisible();
  const banner = agent.page.getByRole('alert').filter({ hasText: 'You missed a call from Billing' });
  await expect(banner).toBeVisible({ timeout: 10_000 });
  await expect(statusButton(agent.page)).toHaveAccessibleName(/^Your status: Away: Missed call/);

  await banner.getByRole('button', { name: 'Back to available' }).click();
  await expect(banner).toBeHidden();
  await expect(statusButton(agent.page)).toHaveAccessibleName(/^Your status: (Available|In a call)/);
  await customer.page.getByRole('button', { name: /Leave the queue|Hang up/ }).first().click();

  // Auto-answer (a setting of this device, for headsets): the next offer rings briefly, then answers by itself.
  await agent.page.getByRole('button', { name: 'Settings' }).click();
  await agent.page.getByRole('tab', { name: 'Calls' }).click();
  await agent.page.getByLabel('Auto-answer line calls').check();
  await expect(statusButton(agent.page)).toHaveAccessibleName(/^Your status: Available/);
  await dial(customer.page, line.name);
  await expect(agent.page.getByRole('dialog', { name: `${customerUser.displayName} is calling` })).toContainText(/Answers automatically in [12] s/);
  await expectConnected(customer.page, agent.page);
  await customer.page.getByRole('button', { name: 'Hang up' }).click();
});

test('the agent transfers the caller to another line: the agent goes to wrap-up, the caller waits in that line, its agent answers', async ({ server, newUser, openPhone }, testInfo) => {
  const annUser = await newUser('agent', 'Agent Ann');
  const bobUser = await newUser('agent', 'Agent Bob');
  const customerUser = await newUser('cust', 'Customer Cat');
  const stamp = Date.now().toString(36);
  const help = await createLine(server, { name: `desk${stamp}`, displayName: 'Help desk', members: [annUser.username], wrapUp: { mode: 'time-boxed', timeMs: 120_000 } });
  const billing = await createLine(server, { name: `bill${stamp}`, displayName: 'Billing', members: [bobUser.username], wrapUp: { mode: 'none', timeMs: 1_000 } });
  const ann = await openPhone(annUser);
  const customer = await openPhone(customerUser);
  await dial(customer.page, help.name);
  await ann.page.getByRole('dialog', { name: `${customerUser.displayName} is calling` }).getByRole('button', { name: 'Answer', exact: true }).click();
  await expectConnected(customer.page, ann.page);
  // The customer of a line call has no Transfer (only the agent transfers a line call).
  await expect(customer.page.getByRole('button', { name: 'Transfer', exact: true })).toHaveCount(0);

  // Ann's own line is listed; another line is found by the directory (searched by part of its name).
  await ann.page.getByRole('button', { name: 'Transfer', exact: true }).click();
  const dialog = ann.page.getByRole('dialog', { name: `Transfer ${customerUser.displayName}` });
  await expect(dialog.getByRole('list', { name: 'Service lines' })).toContainText('Help desk');
  await dialog.getByLabel('Transfer to').fill(billing.name.slice(0, 6));
  await dialog.getByRole('button', { name: `Transfer now to the line Billing: ${customerUser.displayName}` }).click();
  await expect(dialog).toBeHidden();

  // The heading names the line the customer now waits in; the region gives the place in it.
  await expect(customer.page.getByRole('heading', { level: 1 })).toHaveText('Billing');
  const queue = customer.page.getByRole('region', { name: 'Your place in line' });
  await expect(queue).toContainText('You are next in line');
  await expect(customer.page.locator('[data-banner="transferred"]')).toContainText(`${annUser.displayName} transferred you to Billing`);
  await checkA11yAndShoot(customer.page, 'customer-transferred-to-line', testInfo);
  await expect(statusButton(ann.page)).toHaveAccessibleName(/^Your status: Wrap-up/);
  // The wrap-up says where the call went (issue 15: the transfer appears in the wrap-up).
  await expect(ann.page.getByRole('region', { name: 'Wrap-up: Help desk' })).toContainText('Transferred to Billing (blind transfer)');

  const bob = await openPhone(bobUser);
  const offer = bob.page.getByRole('dialog', { name: `${customerUser.displayName} is calling` });
  await expect(offer).toContainText(`Transfer from ${annUser.displayName}: ${customerUser.displayName}`);
  await offer.getByRole('button', { name: 'Answer', exact: true }).click();
  await expectConnected(customer.page, bob.page);
  await expect(customer.page.locator('[data-banner="transferred"]')).toContainText(`Connected to ${bobUser.displayName} (transferred by ${annUser.displayName})`);
});

import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { LINES_SERVER_ENV, createLine, grantSupervisor } from './support/lines';

/**
 * Issue 14, the agent's side: the agent state one click away in the header (away with a reason), kept by the
 * server across a reload, and the supervisor's line view following it live. A plain user sees none of it.
 */
test.use({ serverEnv: LINES_SERVER_ENV });

const statusButton = (page: Page) => page.getByRole('banner').getByRole('button', { name: /^Your status: / });

test('an agent sets away with a reason in one click, it survives a reload, and the supervisor sees it live', async ({ server, newUser, openPhone }) => {
  const agentUser = await newUser('agent', 'Agent Ann');
  const supervisorUser = await newUser('super', 'Sam Supervisor');
  const plainUser = await newUser('plain');
  const line = await createLine(server, { name: `sup${Date.now().toString(36)}`, displayName: 'Support', members: [agentUser.username] });
  await grantSupervisor(server, supervisorUser.username);

  const agent = await openPhone(agentUser);
  await expect(statusButton(agent.page)).toHaveAccessibleName('Your status: Available');
  await statusButton(agent.page).click();
  const menu = agent.page.getByRole('menu', { name: 'Set your status' });
  await expect(menu.getByRole('menuitemradio')).toHaveText([/^Available/, /^Away: Break/, /^Away: Lunch/, /^Away: Training/, /^Away: Meeting/, /^Away: Other/, /^Do not disturb/]);
  await menu.getByRole('menuitemradio', { name: /^Away: Lunch/ }).click();
  await expect(statusButton(agent.page)).toHaveAccessibleName('Your status: Away: Lunch');

  // The state lives on the server: a reload (an app restart) shows it again.
  await agent.page.reload();
  await expect(statusButton(agent.page)).toHaveAccessibleName('Your status: Away: Lunch');

  const supervisor = await openPhone(supervisorUser);
  await supervisor.page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Lines' }).click();
  const card = supervisor.page.locator(`[data-line="${line.name}"]`);
  const agentRow = card.locator(`[data-agent="${agentUser.username}"]`);
  await expect(agentRow).toContainText('Away: Lunch');

  await statusButton(agent.page).click();
  await agent.page.getByRole('menuitemradio', { name: /^Available/ }).click();
  await expect(agentRow).toHaveAttribute('data-state', 'available');
  await expect(agentRow).toContainText('Available');

  // Someone without the role has no line view.
  const plain = await openPhone(plainUser);
  await expect(plain.page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Lines' })).toHaveCount(0);
  await expect(statusButton(plain.page)).toHaveAccessibleName('Your status: Available');
  await statusButton(plain.page).click();
  await expect(plain.page.getByRole('menuitemradio')).toHaveText([/^Available/, /^Away/, /^Do not disturb/]);
});

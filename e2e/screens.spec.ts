import type { Browser, Page } from '@playwright/test';
import { registerUser } from '../test/support/server';
import { callPerson, expectConnected, homeHeading, incomingDialog, summary } from './support/call-helpers';
import { expect, openContext, signIn, test, type Phone } from './support/fixtures';
import { checkAccessibility, checkScreen } from './support/screens';

/**
 * Every main screen at 400x700 and 1280x800, light and dark: compared with the reviewed baselines
 * in e2e/screens.spec.ts-snapshots and checked with axe-core (issue 12, "Proven by tests"); the
 * states in between (a menu or keypad open, a test call, the other settings tabs, the end-of-call summary) with axe-core alone.
 * Its own server (fixed names on a fresh directory, so the pictures are the same every run).
 */
test.use({ serverEnv: { RING_TIMEOUT_MS: '120000' } });
test.describe.configure({ timeout: 300_000 });

const PEOPLE = {
  alice: { username: 'alice.adams', displayName: 'Alice Adams', password: 'password-alice' },
  bob: { username: 'bob.brown', displayName: 'Bob Brown', password: 'password-bob' },
  carol: { username: 'carol.chen', displayName: 'Carol Chen', password: 'password-carol' },
};

async function open(browser: Browser, url: string, who: keyof typeof PEOPLE, locale?: string): Promise<Phone> {
  const { context, page } = await openContext(browser, url, locale, { bypassCSP: true });
  await signIn(page, PEOPLE[who].username, PEOPLE[who].password);
  return { context, page, username: PEOPLE[who].username, displayName: PEOPLE[who].displayName };
}

/** The quality rating settles once the first full measurement is in. */
const qualityMeasured = (page: Page) => async () => {
  await expect(page.getByRole('region', { name: 'Network quality' })).toContainText('Good connection');
};

/** axe-core with the keypad open, which is then closed again for the pictures that follow. */
async function checkKeypadOpen(page: Page, name: string): Promise<void> {
  const toggle = page.getByRole('button', { name: 'Keypad' });
  await toggle.click();
  await expect(page.getByRole('group', { name: 'Keypad' })).toBeVisible();
  await checkAccessibility(page, name);
  await toggle.click();
  await expect(page.getByRole('group', { name: 'Keypad' })).toBeHidden();
}

test('screens: sign-in, sign-up, home, history, settings, incoming, in-call (audio, muted, held, video), call waiting, zh-CN', async ({ browser, server }) => {
  for (const person of Object.values(PEOPLE)) await registerUser(server.url, person.username, person.password, person.displayName);

  await test.step('sign-in', async () => {
    const { page, context } = await openContext(browser, server.url, undefined, { bypassCSP: true });
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await checkScreen(page, 'sign-in');
    await page.getByRole('button', { name: 'New here? Create an account' }).click();
    await expect(page.getByRole('heading', { name: 'Create an account' })).toBeVisible();
    await checkScreen(page, 'sign-up');
    await context.close();
  });

  const alice = await open(browser, server.url, 'alice');
  const bob = await open(browser, server.url, 'bob');
  const carol = await open(browser, server.url, 'carol');

  await test.step('history to show: an answered call and a missed one', async () => {
    await callPerson(alice.page, PEOPLE.bob.displayName);
    await bob.page.getByRole('button', { name: 'Answer', exact: true }).click();
    await expectConnected(alice.page, bob.page);
    await alice.page.getByRole('button', { name: 'Hang up' }).click();
    await callPerson(carol.page, PEOPLE.alice.displayName);
    await expect(incomingDialog(alice.page, PEOPLE.carol.displayName)).toBeVisible();
    await carol.page.getByRole('button', { name: 'Hang up' }).click();
    await expect(incomingDialog(alice.page, PEOPLE.carol.displayName)).toBeHidden();
    await expect(summary(alice.page)).toContainText(`Missed call from ${PEOPLE.carol.displayName}`);
    await checkAccessibility(alice.page, 'end-of-call summary');
    await alice.page.getByRole('button', { name: 'Dismiss' }).click();
    await alice.page.getByLabel('Search contacts').fill('');
    await alice.page.getByRole('button', { name: `Add ${PEOPLE.bob.displayName} to favourites` }).click();
    await expect(alice.page.getByRole('heading', { name: 'Favourites' })).toBeVisible();
    await expect(alice.page.getByRole('heading', { name: 'Recent calls' })).toBeVisible();
    await expect(alice.page.locator('.call-row')).toHaveCount(2);
  });

  await test.step('home', async () => {
    await checkScreen(alice.page, 'home');
    await alice.page.getByRole('button', { name: 'Your status: Available' }).click();
    await expect(alice.page.getByRole('menu', { name: 'Set your status' })).toBeVisible();
    await checkAccessibility(alice.page, 'status menu');
    await alice.page.keyboard.press('Escape');
    await checkKeypadOpen(alice.page, 'home keypad');
  });

  await test.step('history', async () => {
    await alice.page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: /^History/ }).click();
    await expect(alice.page.getByRole('heading', { name: 'Call history' })).toBeVisible();
    await expect(alice.page.locator('.call-row')).toHaveCount(2);
    await checkScreen(alice.page, 'history');
  });

  await test.step('settings', async () => {
    await alice.page.getByRole('button', { name: 'Settings' }).click();
    await expect(alice.page.getByRole('heading', { name: 'Settings' })).toBeVisible();
    await checkScreen(alice.page, 'settings');
    await alice.page.getByRole('button', { name: 'Start test' }).click();
    await expect(alice.page.getByRole('status', { name: 'Connection check' })).toContainText(/Connected in \d+ ms/);
    await checkAccessibility(alice.page, 'settings test call');
    await alice.page.getByRole('button', { name: 'Stop test' }).click();
    await expect(alice.page.getByLabel('Camera preview')).toBeHidden();
    for (const tab of ['Calls', 'General', 'Account']) {
      await alice.page.getByRole('tab', { name: tab }).click();
      await expect(alice.page.getByRole('tabpanel', { name: tab })).toBeVisible();
      await checkAccessibility(alice.page, `settings ${tab}`);
    }
    await alice.page.getByRole('button', { name: 'Home' }).click();
    await expect(homeHeading(alice.page)).toBeAttached();
  });

  await test.step('incoming', async () => {
    await callPerson(bob.page, PEOPLE.alice.displayName);
    await expect(incomingDialog(alice.page, PEOPLE.bob.displayName)).toBeVisible();
    await checkScreen(alice.page, 'incoming');
  });

  await test.step('in-call: audio, muted, held', async () => {
    await alice.page.getByRole('button', { name: 'Answer', exact: true }).click();
    await expectConnected(alice.page, bob.page);
    await checkScreen(alice.page, 'in-call-audio', { ready: qualityMeasured(alice.page) });
    await checkKeypadOpen(alice.page, 'in-call keypad');
    await alice.page.getByRole('button', { name: 'Mute' }).click();
    await expect(bob.page.getByText(`${PEOPLE.alice.displayName} muted their microphone`)).toBeVisible();
    await checkScreen(alice.page, 'in-call-muted', { ready: qualityMeasured(alice.page) });
    await alice.page.getByRole('button', { name: 'Mute' }).click();
    await alice.page.getByRole('button', { name: 'Hold' }).click();
    await expect(bob.page.getByText(`${PEOPLE.alice.displayName} put you on hold`)).toBeVisible();
    await checkScreen(alice.page, 'in-call-held');
    await alice.page.getByRole('button', { name: 'Hold' }).click();
    await expectConnected(alice.page);
  });

  await test.step('call waiting', async () => {
    await callPerson(carol.page, PEOPLE.alice.displayName);
    await expect(alice.page.getByRole('region', { name: `${PEOPLE.carol.displayName} is calling` })).toBeVisible();
    await checkScreen(alice.page, 'call-waiting', { ready: qualityMeasured(alice.page) });
    await alice.page.getByRole('button', { name: 'Decline' }).click();
    await alice.page.getByRole('button', { name: 'Hang up' }).click();
    await expect(homeHeading(bob.page)).toBeAttached();
  });

  await test.step('in-call: video', async () => {
    await alice.page.getByRole('button', { name: 'Dismiss' }).click();
    await callPerson(alice.page, PEOPLE.bob.displayName, 'Video');
    await bob.page.getByRole('button', { name: 'Answer with video' }).click();
    await expectConnected(alice.page, bob.page);
    await expect(alice.page.getByLabel(`Video of ${PEOPLE.bob.displayName}`)).toBeVisible();
    await expect(alice.page.getByLabel('Your camera')).toBeVisible();
    await checkScreen(alice.page, 'in-call-video', { ready: qualityMeasured(alice.page) });
    await alice.page.getByRole('button', { name: 'Hang up' }).click();
  });

  await test.step('zh-CN', async () => {
    const { page, context } = await openContext(browser, server.url, 'zh-CN', { bypassCSP: true });
    await page.getByLabel('用户名').fill(PEOPLE.carol.username);
    await page.getByLabel('密码', { exact: true }).fill(PEOPLE.carol.password);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await expect(page.getByRole('heading', { name: '首页', level: 1 })).toBeAttached();
    await expect(page.locator('.call-row').first()).toBeVisible();
    await checkScreen(page, 'home-zh-CN');
    await context.close();
  });
});

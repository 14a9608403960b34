import type { Page } from '@playwright/test';
import { answeredAudioCall, expectConnected, homeHeading, summary } from './support/call-helpers';
import { expect, test } from './support/fixtures';
import { mediaGrowth } from './support/media-stats';

/** Both directions carry audio on this page's live peer connection. */
async function expectTwoWayAudio(page: Page): Promise<void> {
  await expect
    .poll(async () => {
      const growth = await mediaGrowth(page, 1_000);
      return growth.audioBytesReceived > 0 && growth.audioBytesSent > 0;
    })
    .toBe(true);
}

type AlertLog = { __alertsSeen: string[] };

/** Records the text of every alert this page shows from now on, however briefly. */
function recordAlerts(page: Page): Promise<void> {
  return page.evaluate(() => {
    const seen: string[] = ((window as unknown as AlertLog).__alertsSeen = []);
    new MutationObserver(() => {
      for (const alert of Array.from(document.querySelectorAll('[role="alert"]'))) if (alert.textContent && !seen.includes(alert.textContent)) seen.push(alert.textContent);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

function alertsSeen(page: Page): Promise<string> {
  return page.evaluate(() => (window as unknown as AlertLog).__alertsSeen.join('\n'));
}

test('finding 8: the web host asks before leaving during a call, and a reload takes the same call back with its media', async ({ newUser, openPhone }) => {
  const alice = await openPhone(await newUser('alice'));
  const bob = await openPhone(await newUser('bob'));
  await answeredAudioCall(alice.page, bob.page, bob.displayName);
  await expectTwoWayAudio(bob.page);

  // Leaving asks first (the browser's own prompt); staying keeps the call.
  const prompts: string[] = [];
  bob.page.on('dialog', (dialog) => {
    prompts.push(dialog.type());
    void (prompts.length === 1 ? dialog.dismiss() : dialog.accept());
  });
  await bob.page.getByRole('heading', { name: alice.displayName }).click(); // a user gesture: browsers prompt only after one
  await bob.page.close({ runBeforeUnload: true });
  await expect.poll(() => prompts).toEqual(['beforeunload']);
  expect(bob.page.isClosed()).toBe(false);
  await expectConnected(bob.page);

  // Reloading (accepting the prompt) resumes the call: no "call ended" on either side, media again both ways.
  // Alice is told while Bob is away; a quick reload may show that banner only briefly, so every alert is recorded.
  await recordAlerts(alice.page);
  await bob.page.reload();
  await expect.poll(() => prompts).toEqual(['beforeunload', 'beforeunload']);
  await expect.poll(() => alertsSeen(alice.page)).toContain(`${bob.displayName} lost their connection`);
  await expectConnected(bob.page, alice.page);
  await expect(bob.page.getByRole('heading', { name: alice.displayName })).toBeVisible();
  await expectTwoWayAudio(bob.page);
  await expectTwoWayAudio(alice.page);
  await expect(bob.page.getByRole('timer', { name: 'Call duration' })).toBeVisible();
  await expect(summary(alice.page)).toHaveCount(0);

  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(summary(bob.page)).toContainText(`${alice.displayName} hung up`);
  await expect(homeHeading(bob.page)).toBeAttached();
});

test('finding 8: the caller reloading takes its call back too (it makes the new offer)', async ({ newUser, openPhone }) => {
  const alice = await openPhone(await newUser('alice'));
  const bob = await openPhone(await newUser('bob'));
  await answeredAudioCall(alice.page, bob.page, bob.displayName);
  alice.page.on('dialog', (dialog) => void dialog.accept());
  await alice.page.getByRole('heading', { name: bob.displayName }).click();
  await alice.page.reload();
  await expectConnected(alice.page, bob.page);
  await expectTwoWayAudio(alice.page);
  await expectTwoWayAudio(bob.page);
  await bob.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(summary(alice.page)).toContainText(`${bob.displayName} hung up`);
});

test('finding 8: no prompt when no call is in progress', async ({ newUser, openPhone }) => {
  const alice = await openPhone(await newUser('alice'));
  const prompts: string[] = [];
  alice.page.on('dialog', (dialog) => {
    prompts.push(dialog.type());
    void dialog.accept();
  });
  await homeHeading(alice.page).click({ force: true });
  await alice.page.reload();
  await expect(homeHeading(alice.page)).toBeAttached();
  expect(prompts).toEqual([]);
});

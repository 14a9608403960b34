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
  await bob.page.reload();
  await expect.poll(() => prompts).toEqual(['beforeunload', 'beforeunload']);
  await expect(alice.page.getByRole('alert').filter({ hasText: `${bob.displayName} lost their connection` })).toBeVisible();
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

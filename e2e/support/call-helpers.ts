import { expect, type Page } from '@playwright/test';

/** Finds a person in the directory and presses their audio or video call button. */
export async function callPerson(page: Page, displayName: string, media: 'Audio' | 'Video' = 'Audio'): Promise<void> {
  await page.getByLabel('Search people').fill(displayName);
  await page.getByRole('button', { name: `${media} call ${displayName}` }).click();
}

export function incomingDialog(page: Page, callerName: string) {
  return page.getByRole('dialog', { name: `${callerName} is calling` });
}

/** Opens the history screen and returns the entries with that person. */
export async function historyEntry(page: Page, peerName: string) {
  await page.getByRole('button', { name: /^History/ }).click();
  await expect(page.getByRole('heading', { name: 'Call history' })).toBeVisible();
  return page.getByRole('listitem').filter({ hasText: peerName });
}

export function historyButton(page: Page) {
  return page.getByRole('button', { name: /^History/ });
}

export async function expectConnected(...pages: Page[]): Promise<void> {
  for (const page of pages) await expect(page.getByText('Connected', { exact: true })).toBeVisible();
}

/** The caller video-calls the callee, who answers with video; resolves once both show Connected. */
export async function answeredVideoCall(caller: Page, callee: Page, calleeName: string): Promise<void> {
  await callPerson(caller, calleeName, 'Video');
  await callee.getByRole('button', { name: 'Answer with video' }).click();
  await expectConnected(caller, callee);
}

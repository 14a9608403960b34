import { expect, type Page } from '@playwright/test';

/** Finds a person in the contacts and presses their call (or video call) button. */
export async function callPerson(page: Page, displayName: string, media: 'Audio' | 'Video' = 'Audio'): Promise<void> {
  await page.getByLabel('Search contacts').fill(displayName);
  await page.getByRole('button', { name: media === 'Audio' ? `Call ${displayName}` : `Video call ${displayName}`, exact: true }).click();
}

export function incomingDialog(page: Page, callerName: string) {
  return page.getByRole('dialog', { name: `${callerName} is calling` });
}

/** Opens the history screen and returns the entries with that person. */
export async function historyEntry(page: Page, peerName: string) {
  await historyButton(page).click();
  await expect(page.getByRole('heading', { name: 'Call history' })).toBeVisible();
  return page.getByRole('main').getByRole('listitem').filter({ hasText: peerName });
}

export function historyButton(page: Page) {
  return page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: /^History/ });
}

/** The home screen is showing (its heading is visually hidden: the tabs and cards say where you are). */
export function homeHeading(page: Page) {
  return page.getByRole('heading', { name: 'Home', level: 1 });
}

/** The end-of-call summary (a status). */
export function summary(page: Page) {
  return page.locator('.call-summary');
}

export async function expectConnected(...pages: Page[]): Promise<void> {
  for (const page of pages) await expect(page.getByText('Connected', { exact: true })).toBeVisible();
}

/** The caller calls the callee, who answers; resolves once both show Connected. */
export async function answeredAudioCall(caller: Page, callee: Page, calleeName: string): Promise<void> {
  await callPerson(caller, calleeName);
  await callee.getByRole('button', { name: 'Answer', exact: true }).click();
  await expectConnected(caller, callee);
}

/** The caller video-calls the callee, who answers with video; resolves once both show Connected. */
export async function answeredVideoCall(caller: Page, callee: Page, calleeName: string): Promise<void> {
  await callPerson(caller, calleeName, 'Video');
  await callee.getByRole('button', { name: 'Answer with video' }).click();
  await expectConnected(caller, callee);
}

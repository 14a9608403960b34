import { answeredAudioCall, callPerson, expectConnected } from './support/call-helpers';
import { expect, test } from './support/fixtures';

/** Test instrumentation: records the DTMF tones the page's peer connections send (RTCDTMFSender 'tonechange'). */
const RECORD_TONES = `(() => {
  window.__tones = [];
  for (const pc of window.__peerConnections) {
    for (const sender of pc.getSenders()) sender.dtmf?.addEventListener('tonechange', (e) => e.tone && window.__tones.push(e.tone));
  }
})()`;

test('finding 6: mute and hold are toggles with a pressed state and a banner, the other side is told, and there are a volume control and a keypad', async ({
  newUser,
  openPhone,
}) => {
  const alice = await openPhone(await newUser('alice'));
  const bob = await openPhone(await newUser('bob'));
  await answeredAudioCall(alice.page, bob.page, bob.displayName);

  // Mute: pressed, "you are muted" here, "Alice muted their microphone" there.
  const mute = alice.page.getByRole('button', { name: 'Mute', exact: true });
  await expect(mute).toHaveAttribute('aria-pressed', 'false');
  await mute.click();
  await expect(mute).toHaveAttribute('aria-pressed', 'true');
  await expect(alice.page.getByText(`You are muted: ${bob.displayName} cannot hear you`)).toBeVisible();
  await expect(bob.page.getByText(`${alice.displayName} muted their microphone`)).toBeVisible();
  await mute.click();
  await expect(mute).toHaveAttribute('aria-pressed', 'false');
  await expect(alice.page.getByText('You are muted', { exact: false })).toBeHidden();
  await expect(bob.page.getByText(`${alice.displayName} muted their microphone`)).toBeHidden();

  // Hold: pressed, a banner on both sides.
  const hold = alice.page.getByRole('button', { name: 'Hold', exact: true });
  await hold.click();
  await expect(hold).toHaveAttribute('aria-pressed', 'true');
  await expect(alice.page.getByText(`You put ${bob.displayName} on hold`)).toBeVisible();
  await expect(bob.page.getByText(`${alice.displayName} put you on hold`)).toBeVisible();
  await hold.click();
  await expect(hold).toHaveAttribute('aria-pressed', 'false');
  await expectConnected(alice.page, bob.page);

  // Volume: the other side's audio plays at the chosen volume, and the choice is kept.
  const volume = alice.page.getByRole('slider', { name: 'Call volume' });
  await volume.focus();
  await alice.page.keyboard.press('Home');
  for (let i = 0; i < 6; i++) await alice.page.keyboard.press('ArrowRight');
  await expect(volume).toHaveValue('30');
  await expect.poll(() => alice.page.locator('[data-call-audio]').evaluate((audio: HTMLAudioElement) => audio.volume)).toBeCloseTo(0.3, 5);

  // Keypad: tones go out as DTMF on the call's audio.
  await alice.page.evaluate(RECORD_TONES);
  await alice.page.getByRole('button', { name: 'Keypad' }).click();
  const keypad = alice.page.getByRole('group', { name: 'Keypad' });
  await keypad.getByRole('button', { name: '1', exact: true }).click();
  await keypad.getByRole('button', { name: '#', exact: true }).click();
  await expect(alice.page.getByRole('status', { name: 'Tones sent' })).toHaveText('1#');
  await expect.poll(() => alice.page.evaluate(() => (window as unknown as { __tones: string[] }).__tones)).toEqual(['1', '#']);

  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await callPerson(alice.page, bob.displayName);
  await bob.page.getByRole('button', { name: 'Answer', exact: true }).click();
  await expectConnected(alice.page);
  await expect(alice.page.getByRole('slider', { name: 'Call volume' })).toHaveValue('30');
});

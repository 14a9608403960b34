import type { Page } from '@playwright/test';
import { answeredVideoCall, expectConnected, homeHeading } from './support/call-helpers';
import { expect, test } from './support/fixtures';
import { mediaGrowth } from './support/media-stats';

/** The labels of the tracks this page's live peer connections are sending, by kind. */
function sentTrackLabels(page: Page, kind: 'audio' | 'video'): Promise<string[]> {
  return page.evaluate((wanted) => {
    const pcs = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections.filter((pc) => pc.connectionState !== 'closed');
    return pcs.flatMap((pc) => pc.getSenders().map((s) => s.track)).flatMap((track) => (track && track.kind === wanted && track.readyState === 'live' ? [track.label] : []));
  }, kind);
}

async function expectVideoFlowing(receiver: Page, flowing: boolean): Promise<void> {
  await expect.poll(async () => (await mediaGrowth(receiver, 1_000)).videoBytesReceived > 0, { timeout: 20_000 }).toBe(flowing);
}

test('camera off stops the video the other side receives, camera on brings it back; the call stays up', async ({ newUser, openPhone }) => {
  const alice = await openPhone(await newUser('alice'));
  const bob = await openPhone(await newUser('bob'));
  await answeredVideoCall(alice.page, bob.page, bob.displayName);
  await expectVideoFlowing(bob.page, true);
  await expect(alice.page.getByLabel('Your camera')).toBeVisible();

  const camera = alice.page.getByRole('button', { name: 'Camera', exact: true });
  await expect(camera).toHaveAttribute('aria-pressed', 'true');
  await camera.click();
  await expect(camera).toHaveAttribute('aria-pressed', 'false');
  await expect(alice.page.getByLabel('Your camera')).toBeHidden();
  await expectVideoFlowing(bob.page, false);
  expect(await sentTrackLabels(alice.page, 'video')).toEqual([]);
  // Only the video stopped: Bob still hears Alice and the call is still connected.
  await expect.poll(async () => (await mediaGrowth(bob.page, 1_000)).audioBytesReceived).toBeGreaterThan(0);
  await expectConnected(alice.page, bob.page);

  await camera.click();
  await expect(camera).toHaveAttribute('aria-pressed', 'true');
  await expectVideoFlowing(bob.page, true);
  await expect(alice.page.getByLabel('Your camera')).toBeVisible();
  await expectConnected(alice.page, bob.page);

  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(homeHeading(bob.page)).toBeAttached();
});

test('switching microphone and camera from the in-call device picker keeps the call up and sends the chosen devices', async ({ newUser, openPhone }) => {
  const alice = await openPhone(await newUser('alice'));
  const bob = await openPhone(await newUser('bob'));
  await answeredVideoCall(alice.page, bob.page, bob.displayName);
  await expect.poll(async () => (await mediaGrowth(bob.page, 1_000)).audioBytesReceived).toBeGreaterThan(0);
  const before = await sentTrackLabels(alice.page, 'audio');
  expect(before).toHaveLength(1);

  await alice.page.getByRole('button', { name: 'Devices', exact: true }).click();
  const microphone = alice.page.getByRole('combobox', { name: 'Microphone' });
  await expect(microphone).toBeVisible();
  // Pick a real device (not "System default") whose name differs from the one being sent now.
  const choices = (await microphone.getByRole('option').allTextContents()).filter((name) => name !== 'System default' && name !== before[0]);
  expect(choices.length).toBeGreaterThan(0);
  const chosen = choices[choices.length - 1]!;
  await microphone.selectOption({ label: chosen });

  await expect.poll(() => sentTrackLabels(alice.page, 'audio')).toEqual([chosen]);
  await expect(microphone).toHaveValue(/.+/);
  await expectConnected(alice.page, bob.page);
  // Audio from the new microphone reaches Bob: both what Alice sends and what Bob receives keep growing.
  await expect
    .poll(async () => {
      const [sent, received] = await Promise.all([mediaGrowth(alice.page, 1_000), mediaGrowth(bob.page, 1_000)]);
      return sent.audioBytesSent > 0 && received.audioBytesReceived > 0 && received.audioEnergyReceived > 0;
    })
    .toBe(true);


  // Another fake camera (the shared launch flags ask Chromium for three). fake_device_1 is Chromium's
  // Y16 (depth) fake, whose frames WebRTC cannot encode; fake_device_2 is an ordinary (MJPEG) camera.
  expect(await sentTrackLabels(alice.page, 'video')).toEqual(['fake_device_0']);
  const camera = alice.page.getByRole('combobox', { name: 'Camera' });
  const chosenCamera = 'fake_device_2';
  await camera.selectOption({ label: chosenCamera });
  await expect.poll(() => sentTrackLabels(alice.page, 'video')).toEqual([chosenCamera]);
  await expectVideoFlowing(bob.page, true);
  await expectConnected(alice.page, bob.page);

  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(homeHeading(bob.page)).toBeAttached();
});

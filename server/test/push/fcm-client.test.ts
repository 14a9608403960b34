import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ServiceAccount } from '../../src/push/fcm-access-token';
import { FcmClient } from '../../src/push/fcm-client';
import type { PushTarget } from '../../src/push/push-provider';
import { startFcmStandIn, type FcmStandIn } from './support/fcm-stand-in';
import { cancelPayload, fcmToken, invitePayload } from './support/payloads';
import { createTestCredentials, type TestCredentials } from './support/test-credentials';

let credentials: TestCredentials;
let standIn: FcmStandIn;

const target = (token: string): PushTarget => ({ platform: 'android-fcm', token, bundleId: null, environment: null });
const soon = (ms: number) => Date.now() + ms;

function newClient(): FcmClient {
  return new FcmClient({
    account: ServiceAccount.parse(JSON.parse(readFileSync(credentials.fcm.serviceAccountFile, 'utf8'))),
    originOverride: standIn.origin,
    requestTimeoutMs: 5_000,
    retryBaseDelayMs: 50,
    tls: { ca: credentials.tls.cert },
  });
}

beforeAll(async () => {
  credentials = await createTestCredentials();
  standIn = await startFcmStandIn(credentials);
});

afterAll(async () => {
  await standIn.close();
  credentials.remove();
});

afterEach(() => {
  expect(standIn.recorder.violations.splice(0)).toEqual([]);
});

describe('FCM client against the stand-in', () => {
  it('exchanges the service-account JWT once and sends data-only, high-priority, zero-TTL messages', async () => {
    const client = newClient();
    const exchangesBefore = standIn.tokenExchanges();
    const [first, second] = [fcmToken(), fcmToken()];
    const invite = invitePayload();
    expect(await client.send(target(first), invite, { deadline: soon(5_000) })).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(await client.send(target(second), cancelPayload(invite.callId), { deadline: soon(5_000) })).toMatchObject({ status: 'delivered' });
    client.close();
    expect(standIn.tokenExchanges() - exchangesBefore).toBe(1);
    expect(standIn.recorder.pushesTo(first)[0]?.payload).toEqual({
      type: 'invite',
      callId: invite.callId,
      callerUserId: invite.caller.userId,
      callerUsername: 'alice',
      callerDisplayName: 'Alice Example',
      media: 'audio',
      serverTime: invite.serverTime,
      ringUntil: invite.ringUntil,
    });
    expect(standIn.recorder.pushesTo(second)[0]?.payload).toMatchObject({ type: 'cancel', callId: invite.callId, reason: 'cancelled' });
  });

  it('reports UNREGISTERED as a dead token', async () => {
    const client = newClient();
    const token = fcmToken();
    standIn.recorder.script(token, { kind: 'error', status: 404 });
    expect(await client.send(target(token), invitePayload(), { deadline: soon(5_000) })).toMatchObject({ status: 'dead-token', attempts: 1 });
    client.close();
  });

  it('rejects INVALID_ARGUMENT without retrying and without calling the token dead', async () => {
    const client = newClient();
    const token = fcmToken();
    standIn.recorder.script(token, { kind: 'error', status: 400 });
    expect(await client.send(target(token), invitePayload(), { deadline: soon(5_000) })).toMatchObject({ status: 'rejected', attempts: 1 });
    client.close();
  });

  it('retries 429 and 5xx answers within the window', async () => {
    const client = newClient();
    const token = fcmToken();
    standIn.recorder.script(token, { kind: 'error', status: 429, retryAfter: '0' }, { kind: 'error', status: 500 }, { kind: 'error', status: 503 });
    expect(await client.send(target(token), invitePayload(), { deadline: soon(10_000) })).toMatchObject({ status: 'delivered', attempts: 4 });
    client.close();
  });

  it('fetches a new access token after a 401 and sends again', async () => {
    const client = newClient();
    const token = fcmToken();
    await client.send(target(fcmToken()), invitePayload(), { deadline: soon(5_000) });
    const exchangesBefore = standIn.tokenExchanges();
    standIn.recorder.script(token, { kind: 'error', status: 401 });
    expect(await client.send(target(token), invitePayload(), { deadline: soon(5_000) })).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(standIn.tokenExchanges() - exchangesBefore).toBe(1);
    client.close();
  });

  it('retries when the OAuth token endpoint fails for a moment', async () => {
    const client = newClient();
    standIn.scriptTokenEndpoint({ kind: 'error', status: 503 });
    expect(await client.send(target(fcmToken()), invitePayload(), { deadline: soon(5_000) })).toMatchObject({ status: 'delivered', attempts: 2 });
    client.close();
  });

  it('gives up on a hanging FCM at the deadline', async () => {
    const client = newClient();
    const token = fcmToken();
    standIn.recorder.script(token, { kind: 'hang' }, { kind: 'hang' }, { kind: 'hang' });
    const outcome = await client.send(target(token), invitePayload(), { deadline: soon(1_000) });
    expect(outcome.status).toBe('gave-up');
    client.close();
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApnsClient } from '../../src/push/apns-client';
import type { PushTarget } from '../../src/push/push-provider';
import { startApnsStandIn, type ApnsStandIn } from './support/apns-stand-in';
import { apnsToken, cancelPayload, invitePayload } from './support/payloads';
import { createTestCredentials, type TestCredentials } from './support/test-credentials';
import { readFileSync } from 'node:fs';

let credentials: TestCredentials;
let standIn: ApnsStandIn;
let client: ApnsClient;

const target = (token: string): PushTarget => ({ platform: 'ios-voip', token, bundleId: 'com.example.softphone', environment: 'sandbox' });
const soon = (ms: number) => Date.now() + ms;

beforeAll(async () => {
  credentials = await createTestCredentials();
  standIn = await startApnsStandIn(credentials);
  client = newClient(5_000);
});

function newClient(requestTimeoutMs: number): ApnsClient {
  return new ApnsClient({
    key: { pem: readFileSync(credentials.apns.keyFile, 'utf8'), keyId: credentials.apns.keyId, teamId: credentials.apns.teamId },
    bundleId: credentials.apns.bundleId,
    defaultEnvironment: 'production',
    originOverride: standIn.origin,
    requestTimeoutMs,
    retryBaseDelayMs: 50,
    tls: { ca: credentials.tls.cert },
  });
}

afterAll(async () => {
  client.close();
  await standIn.close();
  credentials.remove();
});

afterEach(() => {
  expect(standIn.recorder.violations.splice(0)).toEqual([]);
});

describe('APNs client against the stand-in', () => {
  it('delivers an invite with the VoIP headers, a valid provider JWT and the payload', async () => {
    const token = apnsToken();
    const payload = invitePayload();
    const outcome = await client.send(target(token), payload, { deadline: soon(5_000) });
    expect(outcome).toMatchObject({ status: 'delivered', attempts: 1 });
    const [push] = standIn.recorder.pushesTo(token);
    expect(push?.payload).toEqual(payload);
    expect(push?.headers['apns-push-type']).toBe('voip');
  });

  it('reuses the cached provider JWT across pushes', async () => {
    const before = standIn.jwts.length;
    await client.send(target(apnsToken()), cancelPayload(), { deadline: soon(5_000) });
    await client.send(target(apnsToken()), cancelPayload(), { deadline: soon(5_000) });
    const used = standIn.jwts.slice(before);
    expect(used).toHaveLength(2);
    expect(used[0]).toBe(used[1]);
  });

  it('falls back to the configured bundle id when a target has none', async () => {
    const token = apnsToken();
    const outcome = await client.send({ ...target(token), bundleId: null, environment: null }, invitePayload(), { deadline: soon(5_000) });
    expect(outcome.status).toBe('delivered');
  });

  it.each([
    [410, undefined],
    [400, 'BadDeviceToken'],
  ])('reports a dead token for %i %s', async (status, reason) => {
    const token = apnsToken();
    standIn.recorder.script(token, { kind: 'error', status, ...(reason ? { reason } : {}) });
    const outcome = await client.send(target(token), invitePayload(), { deadline: soon(5_000) });
    expect(outcome.status).toBe('dead-token');
    expect(standIn.recorder.pushesTo(token)).toHaveLength(1);
  });

  it('rejects without retrying on another 400', async () => {
    const token = apnsToken();
    standIn.recorder.script(token, { kind: 'error', status: 400, reason: 'PayloadTooLarge' });
    const outcome = await client.send(target(token), invitePayload(), { deadline: soon(5_000) });
    expect(outcome).toMatchObject({ status: 'rejected', attempts: 1 });
  });

  it('retries 429 and 5xx answers and delivers when the provider recovers', async () => {
    const token = apnsToken();
    standIn.recorder.script(token, { kind: 'error', status: 429, retryAfter: '0' }, { kind: 'error', status: 500 }, { kind: 'error', status: 503 });
    const outcome = await client.send(target(token), invitePayload(), { deadline: soon(10_000) });
    expect(outcome).toMatchObject({ status: 'delivered', attempts: 4 });
    expect(standIn.recorder.pushesTo(token).map((p) => p.answer.kind)).toEqual(['error', 'error', 'error', 'ok']);
  });

  it('gives up when the window closes while the provider keeps failing', async () => {
    const token = apnsToken();
    standIn.recorder.script(token, ...Array.from({ length: 50 }, () => ({ kind: 'error' as const, status: 500 })));
    const outcome = await client.send(target(token), invitePayload(), { deadline: soon(1_000) });
    expect(outcome.status).toBe('gave-up');
    expect(outcome.attempts).toBeGreaterThanOrEqual(2);
    expect(standIn.recorder.pushesTo(token)).toHaveLength(outcome.attempts);
  });

  it('does not wait for a Retry-After that reaches past the window', async () => {
    const token = apnsToken();
    standIn.recorder.script(token, { kind: 'error', status: 429, retryAfter: '30' });
    const outcome = await client.send(target(token), invitePayload(), { deadline: soon(3_000) });
    expect(outcome).toMatchObject({ status: 'gave-up', attempts: 1 });
  });

  it('signs a fresh JWT after APNs calls the provider token expired', async () => {
    const token = apnsToken();
    standIn.recorder.script(token, { kind: 'error', status: 403, reason: 'ExpiredProviderToken' });
    const before = standIn.jwts.length;
    const outcome = await client.send(target(token), invitePayload(), { deadline: soon(5_000) });
    expect(outcome).toMatchObject({ status: 'delivered', attempts: 2 });
    const [first, second] = standIn.jwts.slice(before);
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
  });

  it('times out a hung request, retries, and gives up at the deadline', async () => {
    const token = apnsToken();
    standIn.recorder.script(token, ...Array.from({ length: 10 }, () => ({ kind: 'hang' as const })));
    const impatient = newClient(300);
    const outcome = await impatient.send(target(token), invitePayload(), { deadline: soon(2_000) });
    expect(outcome.status).toBe('gave-up');
    expect(standIn.recorder.pushesTo(token).length).toBeGreaterThanOrEqual(2);
    // The connection is still usable for other devices.
    expect((await impatient.send(target(apnsToken()), invitePayload(), { deadline: soon(5_000) })).status).toBe('delivered');
    impatient.close();
  });

  it('stops retrying when the push is called off', async () => {
    const token = apnsToken();
    standIn.recorder.setDefault({ kind: 'hang' });
    const controller = new AbortController();
    const sending = client.send(target(token), invitePayload(), { deadline: soon(60_000), signal: controller.signal });
    await standIn.recorder.waitForPush((push) => push.token === token);
    controller.abort();
    expect(await sending).toMatchObject({ status: 'gave-up', reason: 'called off', attempts: 1 });
    standIn.recorder.setDefault({ kind: 'ok' });
  });

  it('reports a refused connection as a failure, not a crash', async () => {
    const offline = new ApnsClient({
      key: { pem: readFileSync(credentials.apns.keyFile, 'utf8'), keyId: 'K', teamId: 'T' },
      bundleId: 'com.example.softphone',
      defaultEnvironment: 'sandbox',
      originOverride: 'https://127.0.0.1:1',
      requestTimeoutMs: 500,
      retryBaseDelayMs: 50,
    });
    const outcome = await offline.send(target(apnsToken()), invitePayload(), { deadline: soon(600) });
    offline.close();
    expect(outcome.status).toBe('gave-up');
  });
});

import { randomUUID } from 'node:crypto';
import { jwtVerify } from 'jose';
import { PushPayload } from '../../../../shared/protocol/push';
import type { TestCredentials } from './test-credentials';
import { StandInRecorder, sendJson, startTlsServer, type Answer, type TlsServerHandle } from './stand-in-core';

/** APNs' reason strings for the statuses the tests ask for. */
const APNS_REASONS: Record<number, string> = {
  400: 'BadDeviceToken',
  403: 'ExpiredProviderToken',
  410: 'Unregistered',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  503: 'ServiceUnavailable',
};

export interface ApnsStandIn extends TlsServerHandle {
  recorder: StandInRecorder<PushPayload>;
  /** Provider JWTs seen, in order (to check caching and refresh). */
  jwts: string[];
  /** Requests answered 'hang' whose stream the client has not closed yet. */
  openHangs: () => number;
}

/**
 * A local APNs: HTTP/2 over TLS on 127.0.0.1. Checks the path, every APNs header, the provider
 * JWT (ES256 signature against the test key, kid, iss, age) and the payload schema, then
 * answers what the test scripted.
 */
export async function startApnsStandIn(credentials: TestCredentials): Promise<ApnsStandIn> {
  const recorder = new StandInRecorder<PushPayload>();
  const jwts: string[] = [];
  let openHangs = 0;
  const { apns } = credentials;

  const server = await startTlsServer(credentials.tls, false, (request, response, body) => {
    void (async () => {
      const problems: string[] = [];
      const expect = (ok: boolean, message: string) => ok || problems.push(message);
      const match = /^\/3\/device\/([0-9a-fA-F]+)$/.exec(request.url);
      expect(request.httpVersion === '2.0', `HTTP version ${request.httpVersion}`);
      expect(request.method === 'POST', `method ${request.method}`);
      expect(match !== null, `path ${request.url}`);
      const headers = request.headers;
      expect(headers['apns-push-type'] === 'voip', `apns-push-type ${headers['apns-push-type']}`);
      expect(headers['apns-topic'] === `${apns.bundleId}.voip`, `apns-topic ${headers['apns-topic']}`);
      expect(headers['apns-priority'] === '10', `apns-priority ${headers['apns-priority']}`);
      expect(headers['apns-expiration'] === '0', `apns-expiration ${headers['apns-expiration']}`);
      expect(headers['content-type'] === 'application/json', `content-type ${headers['content-type']}`);

      const jwt = /^bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
      if (!jwt) problems.push(`authorization ${headers.authorization}`);
      else {
        jwts.push(jwt);
        try {
          const { payload, protectedHeader } = await jwtVerify(jwt, apns.publicKey, { algorithms: ['ES256'], issuer: apns.teamId });
          expect(protectedHeader.kid === apns.keyId, `JWT kid ${protectedHeader.kid}`);
          const age = Date.now() / 1000 - (payload.iat ?? 0);
          expect(typeof payload.iat === 'number' && age > -60 && age < 3600, `JWT iat ${payload.iat}`);
        } catch (error) {
          problems.push(`JWT: ${(error as Error).message}`);
        }
      }

      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        problems.push('payload is not JSON');
      }
      const parsed = PushPayload.safeParse(json);
      if (!parsed.success) problems.push(`payload: ${parsed.error.message}`);

      if (problems.length > 0 || !match || !parsed.success) {
        for (const problem of problems) recorder.violation(`APNs: ${problem}`);
        sendJson(response, 400, { reason: 'StandInCheckFailed' });
        return;
      }
      const token = match[1]!;
      const answer: Answer = recorder.nextAnswer(token);
      recorder.record({ token, payload: parsed.data, headers, answer });
      if (answer.kind === 'hang') {
        openHangs += 1;
        response.on('close', () => (openHangs -= 1));
      }
      answerApns(response, answer);
    })();
  });
  return { ...server, recorder, jwts, openHangs: () => openHangs };
}

function answerApns(response: Parameters<typeof sendJson>[0], answer: Answer): void {
  if (answer.kind === 'hang') return;
  if (answer.kind === 'ok') {
    response.writeHead(200, { 'apns-id': randomUUID() });
    response.end();
    return;
  }
  const reason = answer.reason ?? APNS_REASONS[answer.status] ?? 'InternalServerError';
  const body = answer.status === 410 ? { reason, timestamp: Date.now() } : { reason };
  sendJson(response, answer.status, body, answer.retryAfter ? { 'retry-after': answer.retryAfter } : {});
}

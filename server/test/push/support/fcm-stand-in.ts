import { randomBytes } from 'node:crypto';
import { jwtVerify } from 'jose';
import { z } from 'zod';
import { FcmPushData } from '../../../../shared/protocol/push';
import type { TestCredentials } from './test-credentials';
import { StandInRecorder, sendJson, startTlsServer, type Answer, type TlsServerHandle } from './stand-in-core';

const FCM_ERRORS: Record<number, { status: string; errorCode: string }> = {
  400: { status: 'INVALID_ARGUMENT', errorCode: 'INVALID_ARGUMENT' },
  401: { status: 'UNAUTHENTICATED', errorCode: 'THIRD_PARTY_AUTH_ERROR' },
  404: { status: 'NOT_FOUND', errorCode: 'UNREGISTERED' },
  429: { status: 'RESOURCE_EXHAUSTED', errorCode: 'QUOTA_EXCEEDED' },
  500: { status: 'INTERNAL', errorCode: 'INTERNAL' },
  503: { status: 'UNAVAILABLE', errorCode: 'UNAVAILABLE' },
};

/** The whole HTTP v1 request body: a data-only, high-priority, zero-TTL message and nothing else. */
const SendRequest = z
  .object({
    message: z
      .object({
        token: z.string().min(1),
        data: FcmPushData,
        android: z.object({ priority: z.literal('high'), ttl: z.literal('0s') }).strict(),
      })
      .strict(),
  })
  .strict();

export interface FcmStandIn extends TlsServerHandle {
  recorder: StandInRecorder<FcmPushData>;
  /** How many access tokens the OAuth endpoint issued. */
  tokenExchanges: () => number;
  /** Answer for the next OAuth token requests (default: a fresh token). */
  scriptTokenEndpoint: (...answers: Answer[]) => void;
}

/**
 * A local FCM HTTP v1 and Google OAuth token endpoint on one HTTPS server (HTTP/2 and 1.1).
 * /token checks the service-account JWT (RS256 signature against the test key, iss, aud, scope,
 * kid) and issues access tokens; /v1/projects/<id>/messages:send checks the bearer token and
 * the message, then answers what the test scripted.
 */
export async function startFcmStandIn(credentials: TestCredentials): Promise<FcmStandIn> {
  const recorder = new StandInRecorder<FcmPushData>();
  const { fcm } = credentials;
  const issued = new Set<string>();
  const tokenAnswers: Answer[] = [];

  const server = await startTlsServer(credentials.tls, true, (request, response, body) => {
    void (async () => {
      if (request.method === 'POST' && request.url === '/token') {
        const answer = tokenAnswers.shift() ?? { kind: 'ok' };
        if (answer.kind === 'hang') return;
        if (answer.kind === 'error') return sendJson(response, answer.status, { error: 'stand-in', error_description: 'scripted' }, answer.retryAfter ? { 'retry-after': answer.retryAfter } : {});
        const form = new URLSearchParams(body);
        const problems: string[] = [];
        if (request.headers['content-type'] !== 'application/x-www-form-urlencoded') problems.push(`token content-type ${request.headers['content-type']}`);
        if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') problems.push(`grant_type ${form.get('grant_type')}`);
        try {
          const { payload, protectedHeader } = await jwtVerify(form.get('assertion') ?? '', fcm.publicKey, {
            algorithms: ['RS256'],
            issuer: fcm.clientEmail,
            audience: fcm.tokenUri,
            requiredClaims: ['iat', 'exp'],
          });
          if (payload.scope !== 'https://www.googleapis.com/auth/firebase.messaging') problems.push(`scope ${String(payload.scope)}`);
          if (protectedHeader.kid !== fcm.privateKeyId) problems.push(`kid ${protectedHeader.kid}`);
          if ((payload.exp ?? 0) - (payload.iat ?? 0) > 3600) problems.push('assertion lives longer than an hour');
        } catch (error) {
          problems.push(`assertion: ${(error as Error).message}`);
        }
        if (problems.length > 0) {
          for (const problem of problems) recorder.violation(`OAuth: ${problem}`);
          return sendJson(response, 400, { error: 'invalid_grant' });
        }
        const accessToken = `ya29.${randomBytes(24).toString('base64url')}`;
        issued.add(accessToken);
        return sendJson(response, 200, { access_token: accessToken, expires_in: 3599, token_type: 'Bearer' });
      }

      const problems: string[] = [];
      if (request.method !== 'POST' || request.url !== `/v1/projects/${fcm.projectId}/messages:send`) problems.push(`${request.method} ${request.url}`);
      const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      if (!bearer || !issued.has(bearer)) problems.push(`authorization ${request.headers.authorization}`);
      if (!String(request.headers['content-type']).startsWith('application/json')) problems.push(`content-type ${request.headers['content-type']}`);
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        problems.push('body is not JSON');
      }
      const parsed = SendRequest.safeParse(json);
      if (!parsed.success) problems.push(`message: ${parsed.error.message}`);
      if (problems.length > 0 || !parsed.success) {
        for (const problem of problems) recorder.violation(`FCM: ${problem}`);
        return sendJson(response, 400, { error: { code: 400, status: 'INVALID_ARGUMENT', message: 'stand-in check failed' } });
      }
      const { token, data } = parsed.data.message;
      const answer = recorder.nextAnswer(token);
      recorder.record({ token, payload: data, headers: request.headers, answer });
      if (answer.kind === 'hang') return;
      if (answer.kind === 'ok') return sendJson(response, 200, { name: `projects/${fcm.projectId}/messages/${randomBytes(8).toString('hex')}` });
      const error = FCM_ERRORS[answer.status] ?? FCM_ERRORS[500]!;
      sendJson(
        response,
        answer.status,
        {
          error: {
            code: answer.status,
            message: 'scripted by the test',
            status: error.status,
            details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: answer.reason ?? error.errorCode }],
          },
        },
        answer.retryAfter ? { 'retry-after': answer.retryAfter } : {},
      );
    })();
  });
  return { ...server, recorder, tokenExchanges: () => issued.size, scriptTokenEndpoint: (...answers) => tokenAnswers.push(...answers) };
}

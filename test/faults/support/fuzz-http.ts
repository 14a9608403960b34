import fc from 'fast-check';
import { DirectoryQuery, ErrorBody, HistoryQuery, LoginRequest, RefreshRequest, RegisterRequest, type ErrorCode } from '../../../shared/protocol';
import { RegisterPushDeviceRequest } from '../../../shared/protocol/push';
import type { FuzzBed } from './fuzz-bed';
import { LINE_ROUTES } from './fuzz-line-http';
import { hugeString, junk, malformed, type Json } from './malformed';

/**
 * HTTP fuzzing: per route, generated requests with malformed bodies (bad JSON, wrong types, huge,
 * deep, unknown fields, wrong content type, oversized), malformed query strings, and malformed or
 * missing credentials. Each must be refused with a 4xx and a typed `{ error: ErrorBody }`.
 * (GET /healthz takes no input at all, so it has nothing to fuzz.)
 */

export interface HttpCase {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Acceptable error codes (the typed refusal this input deserves). */
  expect: ErrorCode[];
}

export interface Route {
  name: string;
  cases(bed: FuzzBed): fc.Arbitrary<HttpCase>;
}

const json = { 'content-type': 'application/json' };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Header values that are not a valid bearer token of ours. */
const badAuthorization: fc.Arbitrary<Record<string, string>> = fc.oneof(
  fc.constant({}),
  fc.constantFrom('Bearer', 'Bearer ', 'Basic Zm9vOmJhcg==', 'bearer x', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 'Bearer a.b.c').map((value) => ({ authorization: value })),
  fc.string({ maxLength: 200 }).map((s) => ({ authorization: `Bearer ${s.replace(/[^\x21-\x7e]/g, 'x')}` })),
  hugeString.map((s) => ({ authorization: `Bearer ${s.slice(0, 7_000).replace(/[^\x21-\x7e]/g, 'x')}` })),
);

/** Malformed request bodies for a JSON route whose schema is `isValid`. */
function badBodies(example: Json, isValid: (value: unknown) => boolean): fc.Arbitrary<{ headers: Record<string, string>; body: string }> {
  return fc.oneof(
    { weight: 6, arbitrary: malformed(example, isValid).map((value) => ({ headers: json, body: JSON.stringify(value) })) },
    { weight: 1, arbitrary: fc.string({ maxLength: 300 }).filter((s) => !isParsableValid(s, isValid)).map((body) => ({ headers: json, body })) },
    { weight: 1, arbitrary: fc.constantFrom('{', '{"a":', '[1,2', 'nul', '\u0000', '{"username":"a"}}').map((body) => ({ headers: json, body })) },
    { weight: 1, arbitrary: fc.constant(JSON.stringify(example)).map((body) => ({ headers: { 'content-type': 'text/plain' }, body })) },
    { weight: 1, arbitrary: fc.integer({ min: 70_000, max: 200_000 }).map((n) => ({ headers: json, body: JSON.stringify({ pad: 'x'.repeat(n) }) })) },
  );
}

function isParsableValid(text: string, isValid: (value: unknown) => boolean): boolean {
  try {
    return isValid(JSON.parse(text));
  } catch {
    return false;
  }
}

/**
 * Node's HTTP parser refuses request heads over 16 KB with a bare 431 before any of our code runs, so
 * generated URLs stay below that; oversized bodies (past express.json's 64 KB) are generated and must
 * get our typed error.
 */
const MAX_URL_BYTES = 12_000;

/** Query strings whose parsed form fails `schema`. Express 5 parses queries with node:querystring. */
function badQueries(isValid: (value: unknown) => boolean, known: string[]): fc.Arbitrary<string> {
  const key = fc.oneof(fc.constantFrom(...known), fc.string({ minLength: 1, maxLength: 20 }), fc.constantFrom('__proto__', 'constructor', 'q[]', 'limit[a]'));
  const value = fc.oneof(fc.string({ maxLength: 50 }), fc.constantFrom('-1', '0', '1e9', 'NaN', 'true', '', '999999999999'), hugeString.map((s) => s.slice(0, 20_000)));
  return fc
    .array(fc.tuple(key, value), { minLength: 1, maxLength: 6 })
    .map((pairs) => new URLSearchParams(pairs).toString())
    .filter((query) => query.length < MAX_URL_BYTES && !isValid(queryObject(query)));
}

function queryObject(query: string): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(query)) {
    const prev = result[k];
    result[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return result;
}

const valid = (schema: { safeParse(v: unknown): { success: boolean } }) => (value: unknown) => schema.safeParse(value).success;

function postRoute(name: string, path: string, example: Json, isValid: (value: unknown) => boolean, expect: ErrorCode[]): Route {
  return { name, cases: () => badBodies(example, isValid).map((b) => ({ method: 'POST', path, ...b, expect })) };
}

function authedGet(name: string, path: string, query?: { isValid: (value: unknown) => boolean; known: string[] }): Route {
  return {
    name,
    cases: (bed) => {
      const noAuth = badAuthorization.map((headers): HttpCase => ({ method: 'GET', path, headers, expect: ['UNAUTHORIZED', 'TOKEN_EXPIRED'] }));
      if (!query) return noAuth;
      const badQuery = badQueries(query.isValid, query.known).map((q): HttpCase => ({ method: 'GET', path: `${path}?${q}`, headers: bearer(bed.mallory.accessToken), expect: ['VALIDATION_FAILED'] }));
      return fc.oneof({ weight: 3, arbitrary: badQuery }, { weight: 1, arbitrary: noAuth });
    },
  };
}

export const ROUTES: Route[] = [
  postRoute('POST /api/auth/register', '/api/auth/register', { username: 'fuzz-new', displayName: 'New', password: 'password-new' }, valid(RegisterRequest), ['VALIDATION_FAILED']),
  postRoute('POST /api/auth/login', '/api/auth/login', { username: 'fuzz-mallory', password: 'wrong-password' }, valid(LoginRequest), ['VALIDATION_FAILED']),
  postRoute('POST /api/auth/refresh', '/api/auth/refresh', { refreshToken: 'x' }, valid(RefreshRequest), ['VALIDATION_FAILED']),
  authedGet('GET /api/me', '/api/me'),
  authedGet('GET /api/directory', '/api/directory', { isValid: valid(DirectoryQuery), known: ['q', 'limit'] }),
  authedGet('GET /api/history', '/api/history', { isValid: valid(HistoryQuery), known: ['limit', 'cursor', 'missedOnly'] }),
  authedGet('GET /api/ice-servers', '/api/ice-servers'),
  authedGet('GET /api/push/devices', '/api/push/devices'),
  {
    name: 'PUT /api/push/devices/:deviceId',
    cases: (bed) =>
      fc.oneof(
        badBodies({ platform: 'android-fcm', token: 'fcm-token-0123456789' }, valid(RegisterPushDeviceRequest)).map(
          (b): HttpCase => ({ method: 'PUT', path: '/api/push/devices/fuzz-mallory-push', ...b, headers: { ...b.headers, ...bearer(bed.mallory.accessToken) }, expect: ['VALIDATION_FAILED'] }),
        ),
        fc
          .string({ minLength: 1, maxLength: 100 })
          .filter((id) => !/^[A-Za-z0-9_-]{8,64}$/.test(id))
          .map((id): HttpCase => ({
            method: 'PUT',
            path: `/api/push/devices/${encodeURIComponent(id)}`,
            headers: { ...json, ...bearer(bed.mallory.accessToken) },
            body: JSON.stringify({ platform: 'android-fcm', token: 'fcm-token-0123456789' }),
            expect: ['VALIDATION_FAILED', 'NOT_FOUND'],
          })),
        badAuthorization.map((headers): HttpCase => ({ method: 'PUT', path: '/api/push/devices/fuzz-mallory-push', headers: { ...json, ...headers }, body: '{}', expect: ['UNAUTHORIZED', 'TOKEN_EXPIRED'] })),
      ),
  },
  {
    name: 'DELETE /api/push/devices/:deviceId',
    cases: (bed) =>
      fc.oneof(
        fc.string({ minLength: 1, maxLength: 100 }).map((id): HttpCase => ({ method: 'DELETE', path: `/api/push/devices/${encodeURIComponent(id)}`, headers: bearer(bed.mallory.accessToken), expect: ['VALIDATION_FAILED', 'NOT_FOUND'] })),
        badAuthorization.map((headers): HttpCase => ({ method: 'DELETE', path: '/api/push/devices/fuzz-bob-device', headers, expect: ['UNAUTHORIZED', 'TOKEN_EXPIRED'] })),
      ),
  },
  ...LINE_ROUTES,
];

/** Sends one case; returns what went wrong, or null. */
export async function checkHttpCase(url: string, c: HttpCase): Promise<string | null> {
  const response = await fetch(`${url}${c.path}`, { method: c.method, headers: c.headers, ...(c.body !== undefined ? { body: c.body } : {}) });
  const text = await response.text();
  if (response.status < 400 || response.status >= 500) return `status ${response.status}: ${text.slice(0, 300)}`;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `status ${response.status} without a JSON body: ${text.slice(0, 200)}`;
  }
  const error = ErrorBody.safeParse((body as { error?: unknown }).error);
  if (!error.success) return `status ${response.status} without a typed error: ${text.slice(0, 300)}`;
  return c.expect.includes(error.data.code) ? null : `expected ${c.expect.join('|')}, got ${error.data.code} (${response.status})`;
}

export { junk };

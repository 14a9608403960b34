import fc from 'fast-check';
import { CreateLineRequest, RecordsQuery, RolesRequest, UpdateLineRequest } from '../../../shared/protocol';
import type { FuzzBed } from './fuzz-bed';
import type { HttpCase, Route } from './fuzz-http';
import { malformed } from './malformed';

/**
 * The line and role routes (LINE_API_ROUTES), fuzzed as the bed's admin (malformed bodies, queries and path
 * segments: typed 4xx, nothing changes), as mallory (no role: FORBIDDEN before the input is even read) and
 * without credentials (401).
 */

const json = { 'content-type': 'application/json' };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const valid = (schema: { safeParse(v: unknown): { success: boolean } }) => (value: unknown) => schema.safeParse(value).success;
const noAuth = (method: string, path: string): fc.Arbitrary<HttpCase> =>
  fc
    .constantFrom<Record<string, string>>({}, { authorization: 'Bearer a.b.c' }, { authorization: 'Basic Zm9vOmJhcg==' }, { authorization: 'Bearer' })
    .map((headers): HttpCase => ({ method, path, headers, expect: ['UNAUTHORIZED', 'TOKEN_EXPIRED'] }));
/**
 * Path segments that are no line id or name (or name no line). Not `.` or `..`: URL parsing resolves those
 * before the request leaves (`/api/lines/x/members/..` IS `DELETE /api/lines/x`, a valid request).
 */
const badSegment = fc
  .oneof(fc.string({ minLength: 1, maxLength: 80 }), fc.constantFrom('%00', 'UPPER', 'a', '00000000-0000-0000-0000-00000000000g', 'x'.repeat(200)))
  .filter((segment) => segment !== '.' && segment !== '..');
const seg = (value: string) => encodeURIComponent(value);

function bodyRoute(name: string, method: string, path: (bed: FuzzBed) => string, example: object, isValid: (value: unknown) => boolean): Route {
  return {
    name,
    cases: (bed) =>
      fc.oneof(
        {
          weight: 4,
          arbitrary: malformed(example as never, isValid).map((value): HttpCase => ({ method, path: path(bed), headers: { ...json, ...bearer(bed.admin.accessToken) }, body: JSON.stringify(value), expect: ['VALIDATION_FAILED'] })),
        },
        { weight: 1, arbitrary: fc.constant<HttpCase>({ method, path: path(bed), headers: { ...json, ...bearer(bed.mallory.accessToken) }, body: JSON.stringify(example), expect: ['FORBIDDEN'] }) },
        { weight: 1, arbitrary: noAuth(method, path(bed)) },
      ),
  };
}

function lineRoute(name: string, method: string, suffix: string, role: 'admin' | 'member'): Route {
  return {
    name,
    cases: (bed) =>
      fc.oneof(
        {
          weight: 3,
          arbitrary: badSegment.map((id): HttpCase => ({ method, path: `/api/lines/${seg(id)}${suffix}`, headers: bearer(bed.admin.accessToken), expect: ['VALIDATION_FAILED', 'LINE_NOT_FOUND', 'NOT_FOUND', 'USER_NOT_FOUND'] })),
        },
        { weight: 1, arbitrary: fc.constant<HttpCase>({ method, path: `/api/lines/${bed.lineId}${suffix}`, headers: bearer(bed.mallory.accessToken), expect: role === 'admin' ? ['FORBIDDEN'] : ['FORBIDDEN', 'LINE_NOT_FOUND'] }) },
        { weight: 1, arbitrary: noAuth(method, `/api/lines/${bed.lineId}${suffix}`) },
      ),
  };
}

function memberRoute(name: string, method: string): Route {
  return {
    name,
    cases: (bed) =>
      fc.oneof(
        {
          weight: 3,
          arbitrary: badSegment.map((user): HttpCase => ({ method, path: `/api/lines/${bed.lineId}/members/${seg(user)}`, headers: bearer(bed.admin.accessToken), expect: ['VALIDATION_FAILED', 'USER_NOT_FOUND', 'NOT_FOUND'] })),
        },
        { weight: 1, arbitrary: fc.constant<HttpCase>({ method, path: `/api/lines/${bed.lineId}/members/fuzz-mallory`, headers: bearer(bed.mallory.accessToken), expect: ['FORBIDDEN'] }) },
        { weight: 1, arbitrary: noAuth(method, `/api/lines/${bed.lineId}/members/fuzz-mallory`) },
      ),
  };
}

const recordsRoute: Route = {
  name: 'GET /api/lines/:lineId/records',
  cases: (bed) =>
    fc.oneof(
      {
        weight: 4,
        arbitrary: fc
          .dictionary(fc.constantFrom('from', 'to', 'format', 'x', '__proto__'), fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('2026-01-01', '2026-13-01', '2027-01-01', 'csv', 'xml')), { maxKeys: 4 })
          .filter((query) => !valid(RecordsQuery)(query))
          .map((query): HttpCase => ({ method: 'GET', path: `/api/lines/${bed.lineId}/records?${new URLSearchParams(query).toString()}`, headers: bearer(bed.admin.accessToken), expect: ['VALIDATION_FAILED'] })),
      },
      { weight: 1, arbitrary: fc.constant<HttpCase>({ method: 'GET', path: `/api/lines/${bed.lineId}/records?from=2026-01-01&to=2026-01-02`, headers: bearer(bed.mallory.accessToken), expect: ['FORBIDDEN'] }) },
      { weight: 1, arbitrary: noAuth('GET', `/api/lines/${bed.lineId}/records?from=2026-01-01&to=2026-01-02`) },
    ),
};

export const LINE_ROUTES: Route[] = [
  { name: 'GET /api/lines', cases: () => noAuth('GET', '/api/lines') },
  bodyRoute('POST /api/lines', 'POST', () => '/api/lines', { name: 'fuzz-new-line', displayName: 'New line', strategy: 'ring-all' }, valid(CreateLineRequest)),
  lineRoute('GET /api/lines/:lineId', 'GET', '', 'member'),
  bodyRoute('PATCH /api/lines/:lineId', 'PATCH', (bed) => `/api/lines/${bed.lineId}`, { maxWaitMs: 60_000, wrapUp: { mode: 'optional', timeMs: 5_000 } }, valid(UpdateLineRequest)),
  lineRoute('DELETE /api/lines/:lineId', 'DELETE', '', 'admin'),
  lineRoute('GET /api/lines/:lineId/members', 'GET', '/members', 'admin'),
  memberRoute('PUT /api/lines/:lineId/members/:username', 'PUT'),
  memberRoute('DELETE /api/lines/:lineId/members/:username', 'DELETE'),
  recordsRoute,
  {
    name: 'GET /api/users/:username/roles',
    cases: (bed) =>
      fc.oneof(
        badSegment.map((user): HttpCase => ({ method: 'GET', path: `/api/users/${seg(user)}/roles`, headers: bearer(bed.admin.accessToken), expect: ['VALIDATION_FAILED', 'USER_NOT_FOUND', 'NOT_FOUND'] })),
        fc.constant<HttpCase>({ method: 'GET', path: '/api/users/fuzz-admin/roles', headers: bearer(bed.mallory.accessToken), expect: ['FORBIDDEN'] }),
        noAuth('GET', '/api/users/fuzz-bob/roles'),
      ),
  },
  bodyRoute('PUT /api/users/:username/roles', 'PUT', () => '/api/users/fuzz-bob/roles', { roles: ['supervisor'] }, valid(RolesRequest)),
];

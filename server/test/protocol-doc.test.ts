import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_ROUTES, clientEvents, ERROR_CODES, LINE_API_ROUTES, serverEvents } from '../../shared/protocol';
import { PUSH_API_ROUTES } from '../../shared/protocol/push';

/** docs/protocol.md keeps up with the schemas: a row for every event, error code and HTTP route. */
const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');
const rowFor = (name: string) => doc.split('\n').some((line) => line.startsWith(`| \`${name}`));

describe('docs/protocol.md', () => {
  it('has a row for every client and server event', () => {
    const missing = [...Object.keys(clientEvents), ...Object.keys(serverEvents)].filter((event) => !rowFor(`${event}\``));
    expect(missing).toEqual([]);
  });

  it('has a row for every error code, and none for codes that do not exist', () => {
    expect(ERROR_CODES.filter((code) => !rowFor(`${code}\``))).toEqual([]);
    const table = doc.slice(doc.indexOf('## Error codes'), doc.indexOf('## HTTP API'));
    const documented = [...table.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((match) => match[1]);
    expect(documented.sort()).toEqual([...ERROR_CODES].sort());
  });

  it('has a row for every HTTP route, push and line routes included', () => {
    const routes = [...Object.values(API_ROUTES), ...Object.values(PUSH_API_ROUTES), ...Object.values(LINE_API_ROUTES)];
    // The doc writes query strings after the path: `GET /api/history?limit=...`.
    expect(routes.filter((route) => !rowFor(route))).toEqual([]);
  });
});

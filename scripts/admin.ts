/**
 * `npm run admin -- --server URL --user NAME --password PW <command> [args]`: manages service lines and roles
 * through the signalling service's admin API (docs/lines.md), signed in as an admin (ADMIN_USERS or granted).
 * It talks HTTP, not the database: the running service holds DATA_DIR's lock, and in the cluster profile
 * every node must see the change at once. Prints one JSON document; exits 1 with the error body on failure.
 */
import { parseArgs } from 'node:util';
import { LINE_API_ROUTES, type CreateLineRequest, type ErrorBody } from '../shared/protocol';

const USAGE = `usage: npm run admin -- --server URL --user NAME [--password PW | env SOFTPHONE_PASSWORD] <command>
commands:
  lines                                  the open lines
  line:create NAME "Display name" [settings]
  line:update LINE [settings] [--rename NEW] [--display "Display name"]
  line:delete LINE                       close the line (its name stays reserved)
  members LINE                           members with their agent state
  member:add LINE USER | member:remove LINE USER
  roles USER [admin] [supervisor] [none] show, or replace the stored roles ('none' clears them)
  records LINE FROM TO [--csv]           call records, days YYYY-MM-DD in the line's time zone
settings: --strategy ring-all|longest-idle --offer-timeout S --max-wait S --no-agent wait|reject
          --wrap-up none|optional|time-boxed --wrap-up-time S --outcomes code=Label,... --outcome-required yes|no
          --expected-handle S --time-zone Europe/Berlin`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    server: { type: 'string', default: 'http://127.0.0.1:4600' },
    user: { type: 'string' },
    password: { type: 'string' },
    strategy: { type: 'string' },
    'offer-timeout': { type: 'string' },
    'max-wait': { type: 'string' },
    'no-agent': { type: 'string' },
    'wrap-up': { type: 'string' },
    'wrap-up-time': { type: 'string' },
    outcomes: { type: 'string' },
    'outcome-required': { type: 'string' },
    'expected-handle': { type: 'string' },
    'time-zone': { type: 'string' },
    rename: { type: 'string' },
    display: { type: 'string' },
    csv: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

class CliError extends Error {}
const seconds = (value: string | undefined) => (value === undefined ? undefined : Math.round(Number(value) * 1000));

/** The settings flags as a partial LineConfig (the server validates every value). */
function settings(current?: { wrapUp: { mode: string; timeMs: number } }): Partial<CreateLineRequest> {
  const out: Record<string, unknown> = {};
  if (values.strategy) out.strategy = values.strategy;
  if (values['offer-timeout']) out.offerTimeoutMs = seconds(values['offer-timeout']);
  if (values['max-wait']) out.maxWaitMs = seconds(values['max-wait']);
  if (values['no-agent']) out.whenNoAgent = values['no-agent'];
  if (values['expected-handle']) out.expectedHandleMs = seconds(values['expected-handle']);
  if (values['time-zone']) out.timeZone = values['time-zone'];
  if (values['outcome-required']) out.outcomeRequired = values['outcome-required'] === 'yes';
  if (values.outcomes !== undefined) {
    out.outcomeCodes = values.outcomes
      .split(',')
      .filter(Boolean)
      .map((pair) => {
        const [code = '', ...label] = pair.split('=');
        return { code: code.trim(), label: (label.join('=') || code).trim() };
      });
  }
  if (values['wrap-up'] || values['wrap-up-time']) {
    out.wrapUp = { mode: values['wrap-up'] ?? current?.wrapUp.mode ?? 'time-boxed', timeMs: seconds(values['wrap-up-time']) ?? current?.wrapUp.timeMs ?? 30_000 };
  }
  return out as Partial<CreateLineRequest>;
}

async function request(method: string, path: string, token: string | null, body?: unknown): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(new URL(path, values.server), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) {
    const error = (text ? (JSON.parse(text) as { error?: ErrorBody }).error : undefined) ?? { code: 'INTERNAL', message: `HTTP ${response.status}` };
    throw new CliError(JSON.stringify({ status: response.status, error }));
  }
  return { status: response.status, text };
}

const route = (name: keyof typeof LINE_API_ROUTES, params: Record<string, string>) =>
  LINE_API_ROUTES[name].replace(/^\w+ /, '').replace(/:(\w+)/g, (_, key: string) => encodeURIComponent(params[key] ?? ''));

async function run(): Promise<string> {
  const [command, ...args] = positionals;
  if (values.help || !command) return USAGE;
  const password = values.password ?? process.env.SOFTPHONE_PASSWORD;
  if (!values.user || !password) throw new CliError(`--user and --password (or SOFTPHONE_PASSWORD) are required\n${USAGE}`);
  const login = await request('POST', '/api/auth/login', null, { username: values.user, password });
  const token = (JSON.parse(login.text) as { accessToken: string }).accessToken;
  const call = async (name: keyof typeof LINE_API_ROUTES, params: Record<string, string> = {}, body?: unknown) => {
    const method = LINE_API_ROUTES[name].split(' ')[0] ?? 'GET';
    const { text } = await request(method, route(name, params), token, body);
    return text || JSON.stringify({ ok: true });
  };
  const need = (count: number) => {
    if (args.length < count) throw new CliError(`${command} needs ${count} argument(s)\n${USAGE}`);
    return args as [string, string, string];
  };
  switch (command) {
    case 'lines':
      return call('lines');
    case 'line:create': {
      const [name, displayName] = need(2);
      return call('createLine', {}, { name, displayName, ...settings() });
    }
    case 'line:update': {
      const [lineId] = need(1);
      const current = JSON.parse(await call('line', { lineId })) as { line: { wrapUp: { mode: string; timeMs: number } } };
      const patch = { ...settings(current.line), ...(values.rename ? { name: values.rename } : {}), ...(values.display ? { displayName: values.display } : {}) };
      return call('updateLine', { lineId }, patch);
    }
    case 'line:delete':
      return call('deleteLine', { lineId: need(1)[0] });
    case 'members':
      return call('members', { lineId: need(1)[0] });
    case 'member:add': {
      const [lineId, username] = need(2);
      return call('addMember', { lineId, username });
    }
    case 'member:remove': {
      const [lineId, username] = need(2);
      return call('removeMember', { lineId, username });
    }
    case 'roles': {
      const [username] = need(1);
      const roles = args.slice(1);
      if (roles.length === 0) return call('roles', { username });
      return call('setRoles', { username }, { roles: roles.filter((role) => role !== 'none') });
    }
    case 'records': {
      const [lineId, from, to] = need(3);
      const format = values.csv ? 'csv' : 'json';
      const { text } = await request('GET', `${route('records', { lineId })}?${new URLSearchParams({ from, to, format }).toString()}`, token);
      return text;
    }
    default:
      throw new CliError(`unknown command ${command}\n${USAGE}`);
  }
}

run().then(
  (output) => process.stdout.write(output.endsWith('\n') ? output : `${output}\n`),
  (error: unknown) => {
    process.stderr.write(`${error instanceof CliError ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);

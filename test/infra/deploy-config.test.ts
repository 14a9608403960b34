import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { generate } from 'selfsigned';
import { afterAll, describe, expect, it } from 'vitest';
import { SERVER_BUNDLE } from '../../scripts/build-server.mjs';
import { HAPROXY_EXAMPLE, productionExample, renderHaproxyConfig } from '../../scripts/haproxy-config';
import { checkHaproxyConfig } from '../support/infra';

/** What can be validated here of deploy/: the HAProxy configurations, the systemd unit, the container file's inputs. */

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const run = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), 'deploy-config-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const rigConfig = (extra: string[] = []) =>
  renderHaproxyConfig({
    binds: ['127.0.0.1:8080'],
    nodes: [1, 2, 3].map((n) => ({ name: `n${n}`, address: `127.0.0.1:${4600 + n}` })),
    statsSocket: join(scratch, 'admin.sock'),
    healthHost: '127.0.0.1:8080',
    checkInter: '500ms',
    checkFastinter: '250ms',
    maxconn: 1_000,
    backendExtra: extra,
  });

describe('HAProxy configuration', () => {
  it('the template renders a configuration haproxy -c accepts, and the check rejects a broken one', async () => {
    const good = join(scratch, 'good.cfg');
    writeFileSync(good, rigConfig());
    expect(await checkHaproxyConfig(good)).toContain('Configuration file is valid');
    const broken = join(scratch, 'broken.cfg');
    writeFileSync(broken, rigConfig(['balance sometimes']));
    await expect(checkHaproxyConfig(broken)).rejects.toThrow(/balance/);
  });

  it('every node is health-checked on GET /healthz with a Host header, with no stickiness and a tunnel timeout', () => {
    const config = rigConfig();
    expect(config).toContain('http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host 127.0.0.1:8080');
    expect(config).toMatch(/^ {4}default-server check inter 500ms fastinter 250ms/m);
    expect(config).toMatch(/^ {4}timeout tunnel 1h$/m);
    const directives = config.split('\n').filter((line) => !line.trim().startsWith('#'));
    expect(directives.filter((line) => /^\s*(cookie|stick|stick-table|balance source|hash-type)\b/.test(line))).toEqual([]);
    expect(config.match(/^ {4}server n\d 127\.0\.0\.1:460\d$/gm)).toHaveLength(3);
  });

  it('the production example is the template rendered with the example values (regenerate: npx tsx scripts/haproxy-config.ts --write)', () => {
    expect(readFileSync(HAPROXY_EXAMPLE, 'utf8')).toBe(productionExample());
  });

  it('the production example passes haproxy -c with a real certificate in place of the placeholder path', async () => {
    const pems = await generate([{ name: 'commonName', value: 'phone.example.com' }], { keyType: 'ec', curve: 'P-256' });
    const pem = join(scratch, 'softphone.pem');
    writeFileSync(pem, `${pems.cert.trim()}\n${pems.private.trim()}\n`);
    const config = readFileSync(HAPROXY_EXAMPLE, 'utf8');
    expect(config).toContain('crt /etc/haproxy/certs/softphone.pem');
    const file = join(scratch, 'production.cfg');
    writeFileSync(file, config.replace('/etc/haproxy/certs/softphone.pem', pem));
    expect(await checkHaproxyConfig(file)).toContain('Configuration file is valid');
  });
});

describe('systemd unit', () => {
  const unit = join(ROOT, 'deploy/systemd/softphone@.service');
  const hasSystemdAnalyze = existsSync('/usr/bin/systemd-analyze') || existsSync('/bin/systemd-analyze');

  /** systemd-analyze verify prints a line per problem but exits 0 on most of them: no output means clean. */
  const verify = async (content: string) => {
    const dir = mkdtempSync(join(scratch, 'unit-'));
    writeFileSync(join(dir, 'softphone@.service'), content);
    const { stdout, stderr } = await run('systemd-analyze', ['verify', join(dir, 'softphone@4600.service')]).catch(
      (error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? '', stderr: error.stderr ?? 'failed' }),
    );
    return `${stdout}${stderr}`.trim();
  };
  // The unit names Debian's /usr/bin/node; here the check runs against the node that runs the tests.
  const local = () => readFileSync(unit, 'utf8').replaceAll('/usr/bin/node', process.execPath);

  it.skipIf(!hasSystemdAnalyze)('passes systemd-analyze verify without a warning (skipped where systemd is not installed)', async () => {
    expect(await verify(local())).toBe('');
  });

  it.skipIf(!hasSystemdAnalyze)('the check reports a misspelt key (so it can fail)', async () => {
    expect(await verify(local().replace('KillMode=mixed', 'KilMode=mixed'))).toMatch(/Unknown key 'KilMode'/);
  });

  it('runs the compiled bundle and drains on SIGTERM', () => {
    const content = readFileSync(unit, 'utf8');
    expect(content).toContain(`ExecStart=/usr/bin/node --enable-source-maps /opt/softphone/${relative(ROOT, SERVER_BUNDLE)}`);
    expect(content).toMatch(/^Environment=DRAIN_MS=\d+$/m);
    expect(content).toMatch(/^KillSignal=SIGTERM$/m);
  });
});

describe('container file (cannot be built here: no container runtime)', () => {
  const containerfile = readFileSync(join(ROOT, 'deploy/Containerfile'), 'utf8');

  it('copies only files that exist, and runs the bundle the build writes', () => {
    const sources = [...containerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((match) => (match[1] ?? '').split(' '));
    expect(sources.length).toBeGreaterThan(3);
    expect(sources.filter((source) => !existsSync(join(ROOT, source)))).toEqual([]);
    expect(containerfile).toContain(`CMD ["node", "--enable-source-maps", "${relative(ROOT, SERVER_BUNDLE)}"]`);
    expect(containerfile).toMatch(/^RUN npm run build:server/m);
  });
});

/**
 * Renders deploy/haproxy/haproxy.cfg.template: the test rig (test/support/infra/haproxy.ts) and the
 * production example (deploy/haproxy/haproxy.example.cfg) come from the same file.
 *
 *   npx tsx scripts/haproxy-config.ts            prints the production example
 *   npx tsx scripts/haproxy-config.ts --write    rewrites deploy/haproxy/haproxy.example.cfg
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const HAPROXY_TEMPLATE = fileURLToPath(new URL('../deploy/haproxy/haproxy.cfg.template', import.meta.url));
export const HAPROXY_EXAMPLE = fileURLToPath(new URL('../deploy/haproxy/haproxy.example.cfg', import.meta.url));

/** The backend's name in the template (`show stat` rows, `set server signalling/<node>`). */
export const HAPROXY_BACKEND = 'signalling';

export interface HaproxyNode {
  /** Server name in HAProxy: n1, n2, ... */
  name: string;
  /** host:port of the node's HTTP and socket.io listener. */
  address: string;
}

export interface HaproxyConfigOptions {
  /** One or more `bind` arguments, e.g. ['127.0.0.1:8080'] or [':443 ssl crt /etc/haproxy/certs/softphone.pem alpn http/1.1']. */
  binds: string[];
  nodes: HaproxyNode[];
  /** Unix socket of the runtime API. */
  statsSocket: string;
  /** Host header of the health check: the public host name the nodes accept. */
  healthHost: string;
  /** Health check interval while a node is steady, and while it changes state (HAProxy time units: 500ms, 2s). */
  checkInter: string;
  checkFastinter: string;
  maxconn: number;
  /** Extra lines of each section (indented by four spaces here). */
  globalExtra?: string[];
  frontendExtra?: string[];
  backendExtra?: string[];
}

const lines = (items: readonly string[] | undefined) => (items ?? []).map((line) => `    ${line}`).join('\n');

export function renderHaproxyConfig(options: HaproxyConfigOptions): string {
  if (options.nodes.length === 0) throw new Error('HAProxy needs at least one node');
  const values: Record<string, string> = {
    global_extra: lines(options.globalExtra),
    maxconn: String(options.maxconn),
    stats_socket: options.statsSocket,
    bind: lines(options.binds.map((bind) => `bind ${bind}`)),
    frontend_extra: lines(options.frontendExtra),
    health_host: options.healthHost,
    check_inter: options.checkInter,
    check_fastinter: options.checkFastinter,
    backend_extra: lines(options.backendExtra),
    servers: lines(options.nodes.map((node) => `server ${node.name} ${node.address}`)),
  };
  const fill = (line: string) =>
    line.replace(/\{\{(\w+)\}\}/g, (_match, key: string) => {
      const value = values[key];
      if (value === undefined) throw new Error(`${HAPROXY_TEMPLATE}: unknown placeholder {{${key}}}`);
      return value;
    });
  // A placeholder alone on its line that renders to nothing (no extra lines) leaves no empty line behind.
  const template = readFileSync(HAPROXY_TEMPLATE, 'utf8').trimEnd().split('\n');
  return `${template.map(fill).filter((line, i) => line !== '' || !/^\{\{\w+\}\}$/.test(template[i] ?? '')).join('\n')}\n`;
}

/** Production: three nodes on a private network, TLS at the front, HAProxy as Debian runs it. */
export const PRODUCTION_EXAMPLE: HaproxyConfigOptions = {
  binds: [':443 ssl crt /etc/haproxy/certs/softphone.pem alpn http/1.1', ':80'],
  nodes: [
    { name: 'n1', address: '10.0.0.11:4600' },
    { name: 'n2', address: '10.0.0.12:4600' },
    { name: 'n3', address: '10.0.0.13:4600' },
  ],
  statsSocket: '/run/haproxy/admin.sock',
  healthHost: 'phone.example.com',
  checkInter: '2s',
  checkFastinter: '500ms',
  maxconn: 100_000,
  globalExtra: ['log /dev/log local0', 'chroot /var/lib/haproxy', 'user haproxy', 'group haproxy', 'daemon'],
  frontendExtra: ['http-request redirect scheme https code 301 unless { ssl_fc }', 'http-request set-header X-Forwarded-Proto https if { ssl_fc }'],
};

/** The content of deploy/haproxy/haproxy.example.cfg. */
export function productionExample(): string {
  return [
    '# Generated from haproxy.cfg.template by `npx tsx scripts/haproxy-config.ts --write`: edit the template or the',
    '# example values in scripts/haproxy-config.ts, not this file. Replace the addresses, host name and certificate.',
    renderHaproxyConfig(PRODUCTION_EXAMPLE),
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--write')) writeFileSync(HAPROXY_EXAMPLE, productionExample());
  else process.stdout.write(productionExample());
}

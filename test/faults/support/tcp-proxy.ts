import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of one server port, under the test's control:
 * - `cut()` destroys every proxied connection and refuses new ones until `restore()`: the signalling
 *   path of one client going down while everything else (the media between the browsers) keeps its own path;
 * - `blackhole()` stops forwarding in both directions without closing anything, and holds new connections
 *   without an answer: a silent drop (a dead Wi-Fi, a NAT that forgot the flow), which only a heartbeat
 *   notices. `restore()` forwards again: what the ends still hold flows on, held connections go through.
 */
export interface TcpProxy {
  url: string;
  port: number;
  cut(): void;
  blackhole(): void;
  restore(): void;
  /** Connections refused while cut (the client's reconnect attempts). */
  refused(): number;
  close(): Promise<void>;
}

interface Link {
  client: Socket;
  upstream: Socket | null;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const links = new Set<Link>();
  let mode: 'open' | 'cut' | 'blackhole' = 'open';
  let refused = 0;

  const drop = (link: Link) => {
    link.client.destroy();
    link.upstream?.destroy();
    links.delete(link);
  };
  const forward = (link: Link) => {
    if (!link.upstream) {
      const upstream = connect(targetPort, '127.0.0.1');
      link.upstream = upstream;
      upstream.on('error', () => drop(link)).on('close', () => drop(link));
    }
    link.client.pipe(link.upstream);
    link.upstream.pipe(link.client);
    link.client.resume();
    link.upstream.resume();
  };
  const silence = (link: Link) => {
    link.client.unpipe();
    link.upstream?.unpipe();
    link.client.pause();
    link.upstream?.pause();
  };

  const server = createServer((client) => {
    if (mode === 'cut') {
      refused++;
      client.destroy();
      return;
    }
    const link: Link = { client, upstream: null };
    links.add(link);
    client.on('error', () => drop(link)).on('close', () => drop(link));
    if (mode === 'open') forward(link);
    else client.pause();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    cut() {
      mode = 'cut';
      for (const link of [...links]) drop(link);
    },
    blackhole() {
      mode = 'blackhole';
      for (const link of links) silence(link);
    },
    restore() {
      mode = 'open';
      for (const link of links) forward(link);
    },
    refused: () => refused,
    close() {
      for (const link of [...links]) drop(link);
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

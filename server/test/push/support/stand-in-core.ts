import { EventEmitter } from 'node:events';
import http2, { type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';

/** What a stand-in answers to the next push for a token. */
export type Answer =
  | { kind: 'ok' }
  | { kind: 'error'; status: number; reason?: string; retryAfter?: string }
  /** Accept the request and never answer it. */
  | { kind: 'hang' };

export interface RecordedPush<P> {
  token: string;
  payload: P;
  headers: Record<string, string | string[] | undefined>;
  answer: Answer;
  /** Order of arrival across everything this stand-in received. */
  seq: number;
  /** Epoch ms of arrival. */
  at: number;
}

/**
 * Records what a provider stand-in received, answers from per-token scripts, and collects every
 * check that failed (tests assert `violations` is empty).
 */
export class StandInRecorder<P> extends EventEmitter {
  readonly pushes: RecordedPush<P>[] = [];
  readonly violations: string[] = [];
  private readonly scripts = new Map<string, Answer[]>();
  private fallback: Answer = { kind: 'ok' };
  private seq = 0;

  /** The next pushes to `token` get these answers, in order; then the default. */
  script(token: string, ...answers: Answer[]): void {
    this.scripts.set(token, [...(this.scripts.get(token) ?? []), ...answers]);
  }

  setDefault(answer: Answer): void {
    this.fallback = answer;
  }

  nextAnswer(token: string): Answer {
    return this.scripts.get(token)?.shift() ?? this.fallback;
  }

  record(push: Omit<RecordedPush<P>, 'seq' | 'at'>): void {
    const recorded = { ...push, seq: ++this.seq, at: Date.now() };
    this.pushes.push(recorded);
    this.emit('push', recorded);
  }

  violation(message: string): void {
    this.violations.push(message);
  }

  pushesTo(token: string): RecordedPush<P>[] {
    return this.pushes.filter((push) => push.token === token);
  }

  /** Resolves with the first push (already received or arriving later) that matches. */
  waitForPush(match: (push: RecordedPush<P>) => boolean, timeoutMs = 15_000): Promise<RecordedPush<P>> {
    const found = this.pushes.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('push', onPush);
        reject(new Error(`stand-in: no matching push within ${timeoutMs} ms (received ${this.pushes.length})`));
      }, timeoutMs);
      const onPush = (push: RecordedPush<P>) => {
        if (!match(push)) return;
        clearTimeout(timer);
        this.off('push', onPush);
        resolve(push);
      };
      this.on('push', onPush);
    });
  }
}

export interface TlsServerHandle {
  origin: string;
  close(): Promise<void>;
}

/** An HTTP/2 TLS server on 127.0.0.1 (HTTP/1.1 too when asked), whose close() also ends hung requests. */
export async function startTlsServer(
  tls: { key: string; cert: string },
  allowHTTP1: boolean,
  handle: (request: Http2ServerRequest, response: Http2ServerResponse, body: string) => void,
): Promise<TlsServerHandle> {
  const server = http2.createSecureServer({ key: tls.key, cert: tls.cert, allowHTTP1 }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handle(request, response, Buffer.concat(chunks).toString('utf8')));
  });
  const sockets = new Set<Socket>();
  server.on('secureConnection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(response: Http2ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

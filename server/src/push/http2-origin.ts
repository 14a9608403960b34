import http2, { type ClientHttp2Session, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http2';

export interface Http2Response {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Http2Request {
  method: 'GET' | 'POST';
  path: string;
  headers: OutgoingHttpHeaders;
  body?: string;
  /** The attempt fails with a TransportError after this long without a complete answer. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** The request never got a complete answer: connection refused or reset, timeout, abort. Worth a retry. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly kind: 'timeout' | 'aborted' | 'network',
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export interface Http2OriginOptions {
  /** Extra trusted certificate authorities (tests); production uses the system store. */
  ca?: string | Buffer;
}

/**
 * One long-lived HTTP/2 connection to one origin, as APNs asks clients to keep. Reconnects
 * lazily after the server closes it or it fails. Each provider owns its own origins, so a
 * provider that hangs only delays its own requests.
 */
export class Http2Origin {
  private session: ClientHttp2Session | null = null;

  constructor(
    readonly origin: string,
    private readonly options: Http2OriginOptions = {},
  ) {}

  request(request: Http2Request): Promise<Http2Response> {
    return new Promise<Http2Response>((resolve, reject) => {
      if (request.signal?.aborted) return reject(new TransportError(`${this.origin}: aborted`, 'aborted'));
      const session = this.connect();
      let settled = false;
      const finish = (error: TransportError | null, response?: Http2Response) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        request.signal?.removeEventListener('abort', onAbort);
        if (error) {
          if (!stream.closed) stream.close(http2.constants.NGHTTP2_CANCEL);
          // A connection that never came up (or hangs in the handshake) is not reused.
          if (session.connecting || error.kind === 'network') this.drop(session);
          reject(error);
        } else resolve(response!);
      };
      const onAbort = () => finish(new TransportError(`${this.origin}: aborted`, 'aborted'));
      const timer = setTimeout(
        () => finish(new TransportError(`${this.origin}: no answer within ${request.timeoutMs} ms`, 'timeout')),
        Math.max(1, request.timeoutMs),
      );
      request.signal?.addEventListener('abort', onAbort, { once: true });

      const stream = session.request({ ':method': request.method, ':path': request.path, ...request.headers });
      let status = 0;
      let headers: IncomingHttpHeaders = {};
      const chunks: Buffer[] = [];
      stream.on('response', (incoming) => {
        headers = incoming;
        status = Number(incoming[':status']);
      });
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (status === 0) finish(new TransportError(`${this.origin}: stream ended without a response`, 'network'));
        else finish(null, { status, headers, body: Buffer.concat(chunks).toString('utf8') });
      });
      stream.on('error', (error) => finish(new TransportError(`${this.origin}: ${error.message}`, 'network')));
      stream.on('close', () => {
        if (status === 0) finish(new TransportError(`${this.origin}: stream closed (code ${stream.rstCode})`, 'network'));
      });
      stream.end(request.body);
    });
  }

  close(): void {
    if (this.session) this.drop(this.session);
  }

  private connect(): ClientHttp2Session {
    if (this.session && !this.session.closed && !this.session.destroyed) return this.session;
    const session = http2.connect(this.origin, this.options.ca ? { ca: this.options.ca } : {});
    session.on('error', () => this.forget(session)); // streams report the failure to their callers
    session.on('goaway', () => this.forget(session));
    session.on('close', () => this.forget(session));
    session.unref(); // an idle provider connection never keeps the process alive
    this.session = session;
    return session;
  }

  private forget(session: ClientHttp2Session): void {
    if (this.session === session) this.session = null;
  }

  private drop(session: ClientHttp2Session): void {
    this.forget(session);
    session.destroy();
  }
}

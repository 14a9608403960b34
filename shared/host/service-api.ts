import type { z } from 'zod';
import { ErrorBody } from '../protocol';
import { BridgeError } from '../bridge';
import type { HttpPort } from './ports';

/** Minimal structural type of WHATWG fetch (Node's, Electron's net.fetch and the browser's all fit). */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<{ status: number; text(): Promise<string> }>;

/** The HttpPort over fetch: JSON in, JSON out. */
export function httpOverFetch(fetchImpl: FetchLike): HttpPort {
  return async (request) => {
    const response = await fetchImpl(request.url, {
      method: request.method,
      headers: request.body === undefined ? request.headers : { ...request.headers, 'content-type': 'application/json' },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
    });
    const text = await response.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    return { status: response.status, body };
  };
}

/** Joins a server URL (with or without a trailing slash or path) and an /api path. */
export function serviceUrl(serverUrl: string, path: string, query?: Record<string, string | number | boolean | undefined>): string {
  const base = serverUrl.replace(/\/+$/, '');
  const params = Object.entries(query ?? {})
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  return `${base}${path}${params.length ? `?${params.join('&')}` : ''}`;
}

/**
 * Calls the signalling service's HTTP API and turns every outcome into a parsed value or a
 * typed BridgeError: OFFLINE when unreachable, the service's own ErrorBody otherwise.
 */
export async function callService<T extends z.ZodType>(
  http: HttpPort,
  request: {
    method: 'GET' | 'POST';
    serverUrl: string;
    path: string;
    query?: Record<string, string | number | boolean | undefined>;
    body?: unknown;
    token?: string;
    headers?: Record<string, string>;
  },
  schema: T,
): Promise<z.infer<T>> {
  const url = serviceUrl(request.serverUrl, request.path, request.query);
  let response;
  try {
    response = await http({
      method: request.method,
      url,
      headers: { accept: 'application/json', ...request.headers, ...(request.token ? { authorization: `Bearer ${request.token}` } : {}) },
      ...(request.body === undefined ? {} : { body: request.body }),
    });
  } catch {
    throw new BridgeError('OFFLINE', `The service at ${request.serverUrl} cannot be reached.`);
  }
  if (response.status >= 200 && response.status < 300) {
    const parsed = schema.safeParse(response.body);
    if (!parsed.success) throw new BridgeError('INTERNAL', `The service at ${request.serverUrl} answered in an unexpected format.`);
    return parsed.data;
  }
  const error = ErrorBody.safeParse((response.body as { error?: unknown } | null)?.error);
  if (error.success) throw new BridgeError(error.data.code, error.data.message, error.data.issues);
  if (response.status >= 500 || response.status === 404) {
    throw new BridgeError('OFFLINE', `The service at ${request.serverUrl} is not answering (HTTP ${response.status}).`);
  }
  throw new BridgeError('INTERNAL', `The service answered HTTP ${response.status}.`);
}

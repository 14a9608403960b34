/**
 * The production Content-Security-Policy, sent with every app:// response. No 'unsafe-inline',
 * no 'unsafe-eval'. The renderer never talks to the network itself: signalling and the HTTP
 * API go through the bridge to the main process, and WebRTC media is not governed by
 * connect-src, so connect-src stays 'self'.
 */
export const PRODUCTION_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

import { Username, type Media } from '../protocol';
import type { DeepLinkScheme } from '../bridge';

export type DeepLinkParse =
  | { ok: true; scheme: DeepLinkScheme; username: string; media: Media }
  | { ok: false; message: string };

const MAX_LINK_LENGTH = 300;
/** Visual separators people put in phone numbers. */
const PHONE_NUMBER = /^\+?[\d\s().-]+$/;

/** Finds the deep link among a process's command-line arguments (Windows/Linux hand links over that way). */
export function findDeepLinkArg(argv: readonly string[]): string | null {
  return argv.find((arg) => /^(softphone|tel|callto):/i.test(arg)) ?? null;
}

/**
 * Parses and validates a link. Accepted:
 * - softphone://call/<username>[?media=audio|video]
 * - tel:<username or number>  (separators in numbers are dropped; ;params ignored)  — when enabled
 * - callto:<username> or callto://<username>                                          — when enabled
 * Anything else gets a message a user can read. Parsing never dials: the host prompts first.
 */
export function parseDeepLink(link: string, enabled: { tel: boolean; callto: boolean }): DeepLinkParse {
  if (typeof link !== 'string' || link.length === 0) return fail('The link is empty.');
  if (link.length > MAX_LINK_LENGTH) return fail('The link is too long.');
  const match = /^([a-z][a-z0-9+.-]*):(.*)$/is.exec(link.trim());
  if (!match) return fail('This is not a link the softphone understands.');
  const scheme = match[1]!.toLowerCase();
  const rest = match[2]!;
  switch (scheme) {
    case 'softphone':
      return parseSoftphone(rest);
    case 'tel':
      if (!enabled.tel) return fail('Calling tel: links is turned off. Turn it on in Settings to use them.');
      return toUsername('tel', telTarget(rest), 'audio');
    case 'callto':
      if (!enabled.callto) return fail('Calling callto: links is turned off. Turn it on in Settings to use them.');
      return toUsername('callto', rest.replace(/^\/\//, '').split(/[?;#]/)[0] ?? '', 'audio');
    default:
      return fail(`Links starting with "${scheme.slice(0, 20)}:" are not supported.`);
  }
}

function parseSoftphone(rest: string): DeepLinkParse {
  const match = /^\/\/([^/?#]*)\/([^?#]*)(?:\?([^#]*))?(?:#.*)?$/.exec(rest);
  if (!match) return fail('A softphone link looks like softphone://call/USERNAME.');
  const [, action, target, query] = match;
  if (action!.toLowerCase() !== 'call') return fail(`The softphone link action "${action!.slice(0, 20)}" is not supported; only "call" is.`);
  let media: Media = 'audio';
  for (const pair of (query ?? '').split('&').filter(Boolean)) {
    const [key, value] = pair.split('=');
    if (key === 'media') {
      if (value !== 'audio' && value !== 'video') return fail('The media in a softphone link must be audio or video.');
      media = value;
    }
  }
  return toUsername('softphone', target!.replace(/\/$/, ''), media);
}

function telTarget(rest: string): string {
  const target = rest.replace(/^\/\//, '').split(/[;?#]/)[0] ?? '';
  const decoded = safeDecode(target);
  return decoded !== null && PHONE_NUMBER.test(decoded) ? decoded.replace(/\D/g, '') : target;
}

function toUsername(scheme: DeepLinkScheme, raw: string, media: Media): DeepLinkParse {
  const decoded = safeDecode(raw);
  if (decoded === null) return fail('The link is not encoded correctly.');
  const candidate = decoded.trim().toLowerCase();
  if (!candidate) return fail('The link does not say whom to call.');
  const parsed = Username.safeParse(candidate);
  if (!parsed.success) return fail(`"${candidate.slice(0, 40)}" is not a valid username.`);
  return { ok: true, scheme, username: parsed.data, media };
}

function safeDecode(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

function fail(message: string): DeepLinkParse {
  return { ok: false, message };
}

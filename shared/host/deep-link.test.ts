import { describe, expect, it } from 'vitest';
import { findDeepLinkArg, parseDeepLink } from './deep-link';

const ALL = { tel: true, callto: true };
const NONE = { tel: false, callto: false };

describe('deep links', () => {
  it.each([
    ['softphone://call/bob', { scheme: 'softphone', username: 'bob', media: 'audio' }],
    ['SOFTPHONE://CALL/Bob/', { scheme: 'softphone', username: 'bob', media: 'audio' }],
    ['softphone://call/bob.smith?media=video', { scheme: 'softphone', username: 'bob.smith', media: 'video' }],
    ['softphone://call/b%6Fb#x', { scheme: 'softphone', username: 'bob', media: 'audio' }],
    ['tel:+1 (555) 010-0199', { scheme: 'tel', username: '15550100199', media: 'audio' }],
    ['tel:alice;phone-context=example.com', { scheme: 'tel', username: 'alice', media: 'audio' }],
    ['callto://carol', { scheme: 'callto', username: 'carol', media: 'audio' }],
    ['callto:carol?x=1', { scheme: 'callto', username: 'carol', media: 'audio' }],
  ])('accepts %s', (link, expected) => {
    expect(parseDeepLink(link, ALL)).toEqual({ ok: true, ...expected });
  });

  it.each([
    ['', /empty/],
    ['softphone://call/' + 'a'.repeat(400), /too long/],
    ['just text', /not a link/],
    ['https://evil.example/call/bob', /"https:" are not supported/],
    ['softphone://dial/bob', /action "dial" is not supported/],
    ['softphone://call/', /does not say whom/],
    ['softphone:call/bob', /looks like softphone:\/\/call\/USERNAME/],
    ['softphone://call/bob/extra', /not a valid username/],
    ['softphone://call/<script>', /not a valid username/],
    ['softphone://call/%E0%A4%A', /not encoded correctly/],
    ['softphone://call/bob?media=hologram', /audio or video/],
    ['tel:', /does not say whom/],
  ])('rejects %j with a clear message', (link, message) => {
    const parsed = parseDeepLink(link, ALL);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });

  it('refuses tel: and callto: until the user opts in', () => {
    expect(parseDeepLink('tel:alice', NONE)).toEqual({ ok: false, message: expect.stringMatching(/tel: links is turned off/) });
    expect(parseDeepLink('callto:alice', NONE)).toEqual({ ok: false, message: expect.stringMatching(/callto: links is turned off/) });
    expect(parseDeepLink('softphone://call/alice', NONE).ok).toBe(true);
  });

  it('finds the link among command-line arguments', () => {
    expect(findDeepLinkArg(['/opt/softphone', '--hidden', 'softphone://call/bob'])).toBe('softphone://call/bob');
    expect(findDeepLinkArg(['/opt/softphone', '--hidden'])).toBeNull();
  });
});

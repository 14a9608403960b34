/** Lines need protocol 1.3 or newer: an older client cannot show a queue or an offer. */
export function isLineCapable(version: string | undefined): boolean {
  const match = /^(\d+)\.(\d+)\.\d+$/.exec(version ?? '');
  if (!match) return false;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major > 1 || (major === 1 && minor >= 3);
}

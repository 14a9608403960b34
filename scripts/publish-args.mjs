// electron-builder's extra arguments for the update feed (used by scripts/dist.mjs and the packaging test).
// With SOFTPHONE_UPDATE_URL (https) the generic provider is added and electron-builder writes
// app-update.yml into the app; without it the app is packaged with updates off. The choice is made here
// because a `${env.X}` macro in electron-builder.yml throws when the variable is unset.

/** @param {string | undefined} updateUrl @returns {string[]} */
export function publishArgs(updateUrl) {
  if (!updateUrl) return [];
  if (!/^https:\/\/\S+$/.test(updateUrl)) throw new Error(`SOFTPHONE_UPDATE_URL must be an https URL, got "${updateUrl}"`);
  return ['-c.publish.provider=generic', `-c.publish.url=${updateUrl}`];
}

/** Packages left out of the bundle and required from node_modules at run time (native addons, optional packages). */
export const SERVER_EXTERNALS: string[];
export const SERVER_BUNDLE_DIR: string;
/** dist/server/main.js */
export const SERVER_BUNDLE: string;
/** dist/server/meta.json: `{ startedAtMs: number, inputs: string[] }`: when the last build started and the files it read (relative to the repository root). */
export const SERVER_BUNDLE_META: string;
/** esbuild's bundle of server/src/main.ts into dist/server (atomic per file). */
export function buildServer(): Promise<{ outfile: string; ms: number; inputs: string[] }>;

/** Where the Electron executable is, or why there is none. */
export function electronBinary(): { path: string } | { missing: string };
/** The app folder after the Electron executable (`electron .`): Electron then reads package.json. */
export function electronAppArgs(root: string): string[];

/** Where the Electron executable is, or why there is none. */
export function electronBinary(): { path: string } | { missing: string };

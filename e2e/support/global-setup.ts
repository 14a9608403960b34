import { electronBinary } from '../../scripts/electron-binary.mjs';

/** Runs once per Playwright run: says in one line why the `_electron` suite will skip, where it will. */
export default function globalSetup(): void {
  const binary = electronBinary();
  if ('missing' in binary) console.log(`The _electron suite (e2e/electron) skips: Electron binary not available (${binary.missing}).`);
}

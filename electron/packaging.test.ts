import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FuseV1Options } from '@electron/fuses';
import { APP_ID } from './main/config';

const require = createRequire(import.meta.url);
/** js-yaml comes with electron-builder, which reads electron-builder.yml with it. */
const { load } = require('js-yaml') as { load(text: string): unknown };
const afterPack = require('../build/after-pack.cjs') as {
  fuseConfig(platform: string, arch: string): Record<string | number, unknown>;
  electronBinaryPath(appOutDir: string, platform: string, productFilename: string, executableName: string): string;
};

interface BuilderConfig {
  appId: string;
  asar: boolean;
  afterPack: string;
  beforeBuild: string;
  executableName?: string;
  publish?: unknown;
  protocols: { schemes: string[] }[];
  linux: { target: string[]; executableName: string; syncDesktopName: boolean; desktop?: unknown };
  win: { target: string[] };
  mac: { target: string[]; notarize: boolean; hardenedRuntime: boolean; protocols: { schemes: string[] }[]; extendInfo: Record<string, string> };
}

const builderConfig = () => load(readFileSync(new URL('../electron-builder.yml', import.meta.url), 'utf8')) as BuilderConfig;
const packageJson = () => JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as Record<string, unknown>;

describe('packaging', () => {
  it('flips every security fuse the issue asks for', () => {
    const fuses = afterPack.fuseConfig('linux', 'x64');
    expect(fuses).toMatchObject({
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    });
    expect(afterPack.fuseConfig('darwin', 'arm64').resetAdHocDarwinSignature).toBe(true);
  });

  it('finds the Electron binary per platform', () => {
    expect(afterPack.electronBinaryPath('/o', 'darwin', 'Softphone', 'softphone')).toBe('/o/Softphone.app/Contents/MacOS/Softphone');
    expect(afterPack.electronBinaryPath('/o', 'win32', 'Softphone', 'softphone')).toBe('/o/Softphone.exe');
    expect(afterPack.electronBinaryPath('/o', 'linux', 'Softphone', 'softphone')).toBe('/o/softphone');
  });

  it('electron-builder targets, protocol, hooks and macOS privacy strings', () => {
    const config = builderConfig();
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z]+)+$/);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    // electron-updater's MacUpdater installs from the zip; notarization reads the environment.
    expect(config.mac.target).toEqual(['dmg', 'zip']);
    expect(config.mac).toMatchObject({ notarize: true, hardenedRuntime: true });
    expect(config.protocols[0]?.schemes).toEqual(['softphone']);
    expect(config.afterPack).toBe('build/after-pack.cjs');
    expect(config.beforeBuild).toBe('build/before-build.cjs');
    expect(config.asar).toBe(true);
    // No ${env.X} publish macro: it throws when the variable is unset (scripts/publish-args.mjs adds the feed).
    expect(config.publish).toBeUndefined();
    expect(config.mac.extendInfo.NSCameraUsageDescription).toMatch(/camera/);
    expect(config.mac.extendInfo.NSMicrophoneUsageDescription).toMatch(/microphone/);
    expect(readFileSync(new URL('../build/entitlements.mac.plist', import.meta.url), 'utf8')).toContain('com.apple.security.device.camera');
    for (const file of ['build/icon.icns', 'build/icon.ico', 'build/icons/512x512.png', 'build/icons/tray/tray-ringing.png']) {
      expect(readFileSync(new URL(`../${file}`, import.meta.url)).length).toBeGreaterThan(500);
    }
  });

  it('identity: Windows AppUserModelID, Linux names, one softphone: entry in Info.plist, deb metadata', () => {
    const config = builderConfig();
    const pkg = packageJson();
    expect(APP_ID).toBe(config.appId);
    // A top-level executableName would rename Softphone.app's binary and Softphone.exe too.
    expect(config.executableName).toBeUndefined();
    expect(config.linux).toMatchObject({ executableName: 'softphone', syncDesktopName: true });
    expect(config.linux.desktop).toBeUndefined();
    expect(pkg).toMatchObject({ productName: 'Softphone', desktopName: 'softphone.desktop', main: 'dist/electron/main/index.js' });
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.author).toMatchObject({ name: expect.any(String), email: expect.stringMatching(/@/) });
    const macSchemes = [...config.protocols, ...config.mac.protocols].flatMap((protocol) => protocol.schemes);
    expect(macSchemes.filter((scheme) => scheme === 'softphone')).toHaveLength(1);
    expect(macSchemes.sort()).toEqual(['callto', 'softphone', 'tel']);
  });
});

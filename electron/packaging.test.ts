import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FuseV1Options } from '@electron/fuses';

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
  protocols: { schemes: string[] }[];
  publish: { provider: string };
  linux: { target: string[] };
  win: { target: string[] };
  mac: { target: string[]; extendInfo: Record<string, string> };
}

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

  it('electron-builder targets, protocol, hook, updater and macOS privacy strings', () => {
    const config = load(readFileSync(new URL('../electron-builder.yml', import.meta.url), 'utf8')) as BuilderConfig;
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z]+)+$/);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.protocols[0]?.schemes).toEqual(['softphone']);
    expect(config.afterPack).toBe('build/after-pack.cjs');
    expect(config.asar).toBe(true);
    expect(config.publish.provider).toBe('generic');
    expect(config.mac.extendInfo.NSCameraUsageDescription).toMatch(/camera/);
    expect(config.mac.extendInfo.NSMicrophoneUsageDescription).toMatch(/microphone/);
    expect(readFileSync(new URL('../build/entitlements.mac.plist', import.meta.url), 'utf8')).toContain('com.apple.security.device.camera');
    for (const file of ['build/icon.icns', 'build/icon.ico', 'build/icons/512x512.png', 'build/icons/tray/tray-ringing.png']) {
      expect(readFileSync(new URL(`../${file}`, import.meta.url)).length).toBeGreaterThan(500);
    }
  });
});

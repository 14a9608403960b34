/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS hook that electron-builder loads */
// electron-builder afterPack hook: flips Electron's fuses in the packaged binary with @electron/fuses
// before signing. See docs/security.md for what each fuse does.
const path = require('node:path');
const { flipFuses, FuseVersion, FuseV1Options } = require('@electron/fuses');

/** The fuse settings of every packaged build. */
function fuseConfig(platform, arch) {
  return {
    version: FuseVersion.V1,
    // Apple Silicon binaries are ad-hoc signed; flipping fuses invalidates that signature.
    resetAdHocDarwinSignature: platform === 'darwin' && arch === 'arm64',
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  };
}

/** Path of the Electron executable inside electron-builder's output folder. */
function electronBinaryPath(appOutDir, platform, productFilename, executableName) {
  if (platform === 'darwin') return path.join(appOutDir, `${productFilename}.app`, 'Contents', 'MacOS', productFilename);
  if (platform === 'win32') return path.join(appOutDir, `${productFilename}.exe`);
  return path.join(appOutDir, executableName);
}

const ARCH = { 0: 'ia32', 1: 'x64', 2: 'armv7l', 3: 'arm64', 4: 'universal' };

async function afterPack(context) {
  const platform = context.electronPlatformName;
  const arch = ARCH[context.arch] ?? String(context.arch);
  const info = context.packager.appInfo;
  const executableName = context.packager.executableName ?? info.productFilename.toLowerCase();
  const binary = electronBinaryPath(context.appOutDir, platform, info.productFilename, executableName);
  await flipFuses(binary, fuseConfig(platform, arch));
  console.log(`  • fuses flipped in ${binary}`);
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.fuseConfig = fuseConfig;
module.exports.electronBinaryPath = electronBinaryPath;

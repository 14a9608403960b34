/* eslint-disable @typescript-eslint/no-require-imports -- an electron-builder hook (CommonJS) */
// The packaging test's afterPack: runs the hook electron-builder.yml configures (the fuses), then
// asks electron-builder's own Linux code what the .desktop entry and the deb metadata would be
// (the AppImage and deb targets cannot be built here: their tools are downloaded from GitHub).
const fs = require('node:fs');
const path = require('node:path');
const { load } = require('js-yaml');
const { LinuxTargetHelper } = require('app-builder-lib/out/targets/LinuxTargetHelper');
const FpmTarget = require('app-builder-lib/out/targets/FpmTarget').default;

module.exports = async function probeAfterPack(context) {
  const root = context.packager.projectDir;
  const config = load(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'));
  const configured = require(path.join(root, config.afterPack));
  await (configured.default ?? configured)(context);
  const helper = new LinuxTargetHelper(context.packager);
  const desktopEntry = await helper.computeDesktopEntry(context.packager.platformSpecificBuildOptions);
  const deb = await new FpmTarget('deb', context.packager, helper, context.outDir).checkOptions();
  fs.writeFileSync(path.join(context.outDir, 'probe.json'), JSON.stringify({ desktopEntry, desktopFileName: helper.getDesktopFileName(), deb }));
};

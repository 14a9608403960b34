// electron-builder beforeBuild hook. Returning false tells electron-builder that node_modules are
// handled outside of it: it neither installs, rebuilds nor copies any. The app needs none: the main
// process is one bundle with its npm packages inside, the preload one file, the renderer a Vite build
// (scripts/build-electron.mjs, vite.config.ts).
module.exports = async function beforeBuild() {
  return false;
};
module.exports.default = module.exports;

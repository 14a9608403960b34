import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Electron 41's own identity, what default_app (its package.json: productName "Electron") leaves in place. */
const DEFAULT_APP = { name: 'Electron', version: '41.7.1' };

export interface Launch {
  packaged: boolean;
  /** app.getAppPath() */
  appPath: string;
  /** The main script Electron loads. */
  mainFile: string;
  /** app.name (userData and logs are named after it) */
  name: string;
  version: string;
  /** app.getDesktopName() (Linux app_id) */
  desktopName: string;
  /** process.argv of the main process */
  argv: string[];
}

interface PackageJson {
  name?: string;
  productName?: string;
  version?: string;
  desktopName?: string;
  main?: string;
}

const readPackage = (folder: string): PackageJson | null => {
  const file = join(folder, 'package.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as PackageJson) : null;
};

/**
 * How Electron finds the app and names it.
 * Packaged (lib/browser/init.ts): the app in resources (here `appFolder` stands in for
 * app.asar), named by its package.json; argv is the executable and the user's arguments.
 * Unpackaged, `electron <path> ...` (default_app/main.ts loadApplicationPackage): when
 * <path>/package.json exists it sets the version, `app.name` = productName || name, the desktop
 * name = desktopName || `${name}.desktop`, and the app path = <path>; the main script is
 * Module._resolveFilename(<path>) (a folder's package.json `main`). A script path has no
 * package.json beside it, so the app keeps default_app's identity ("Electron") and the app path
 * is the script's folder.
 */
export function resolveLaunch(options: { packaged: boolean; appFolder: string; launchArgs: string[]; userArgs: string[]; execPath: string }): Launch {
  if (options.packaged) {
    const pkg = readPackage(options.appFolder) ?? {};
    const name = pkg.productName ?? pkg.name ?? DEFAULT_APP.name;
    return {
      packaged: true,
      appPath: options.appFolder,
      mainFile: join(options.appFolder, pkg.main ?? 'index.js'),
      name,
      version: pkg.version ?? DEFAULT_APP.version,
      desktopName: pkg.desktopName ?? `${name}.desktop`,
      argv: [options.execPath, ...options.userArgs],
    };
  }
  const target = options.launchArgs.find((arg) => !arg.startsWith('-'));
  if (!target) throw new Error('the Electron model needs the app path to launch (electron <path>)');
  const path = resolve(target);
  const pkg = readPackage(path);
  const mainFile = createRequire(join(process.cwd(), 'noop.js')).resolve(path);
  const name = pkg ? (pkg.productName ?? pkg.name ?? DEFAULT_APP.name) : DEFAULT_APP.name;
  return {
    packaged: false,
    appPath: pkg ? path : dirname(mainFile),
    mainFile,
    name,
    version: pkg?.version ?? DEFAULT_APP.version,
    desktopName: pkg?.desktopName ?? `${name}.desktop`,
    argv: [options.execPath, ...options.launchArgs, ...options.userArgs],
  };
}

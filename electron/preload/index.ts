// The sandboxed preload: bundled to one CommonJS file by scripts/build-electron.mjs.
// It exposes exactly one object, window.softphone, and nothing else.
import '../../shared/zod-jitless';
import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadBridge } from './bridge-preload';

contextBridge.exposeInMainWorld(
  'softphone',
  createPreloadBridge(ipcRenderer, (what, detail) => console.warn(`softphone bridge: dropped invalid ${what}: ${detail}`)),
);

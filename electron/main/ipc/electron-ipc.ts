import { ipcMain } from 'electron';
import type { IpcMainPort } from './bridge-ipc';

/** The real ipcMain, seen through the typed port (the only place main touches it). */
export const electronIpcMain: IpcMainPort = ipcMain;

import { join } from 'node:path';
import type { Logger, LogFields } from '../../shared/phone';
import { redactSecrets } from '../../shared/host';

/** The last log lines, for "copy diagnostics" (redacted again when copied). */
export class RecentLines {
  private readonly lines: string[] = [];

  constructor(private readonly capacity = 200) {}

  push(line: string): void {
    this.lines.push(redactSecrets(line).slice(0, 1_000));
    if (this.lines.length > this.capacity) this.lines.splice(0, this.lines.length - this.capacity);
  }

  all(): string[] {
    return [...this.lines];
  }
}

/** The level functions of electron-log (or any console-like logger). */
export interface LevelFunctions {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

/** PhoneCore's Logger over electron-log; every line also goes to the recent-lines buffer. */
export function loggerOver(target: LevelFunctions, recent: RecentLines, now: () => Date = () => new Date()): Logger {
  const write = (level: keyof LevelFunctions) => (message: string, fields?: LogFields) => {
    const suffix = fields && Object.keys(fields).length ? ` ${safeJson(fields)}` : '';
    recent.push(`${now().toISOString()} [${level}] ${message}${suffix}`);
    if (fields) target[level](message, fields);
    else target[level](message);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return '[unserializable]';
  }
}

/**
 * electron-log's Node logger, writing `<logs>/main.log`. Its Electron entry (electron-log/main)
 * is not used: importing it registers ipcMain channels (`__ELECTRON_LOG__`) that any renderer can
 * reach without the app's sender check, and the app's only IPC is the bridge.
 */
export function fileLog(logsDir: string, appName: string, log: FileLogTarget): LevelFunctions {
  // The Node entry cannot ask Electron for the app's name (it would search for a package.json).
  log.transports.file.setAppName(appName);
  log.transports.file.resolvePathFn = () => join(logsDir, 'main.log');
  log.transports.file.maxSize = 5 * 1024 * 1024;
  return log;
}

export interface FileLogTarget extends LevelFunctions {
  transports: { file: { resolvePathFn: (...args: never[]) => string; maxSize: number; setAppName(name: string): void } };
}

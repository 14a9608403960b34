import { describe, expect, it, vi } from 'vitest';

/** contextBridge and ipcRenderer are the two Electron objects the preload touches; the fakes record what it did. */
const exposed: [string, unknown][] = [];
const invoked: unknown[][] = [];
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.push([key, api]) },
  ipcRenderer: {
    invoke: async (...args: unknown[]) => {
      invoked.push(args);
      return { ok: true, value: { missedCount: 0 } };
    },
    on: () => undefined,
    removeListener: () => undefined,
  },
}));

describe('preload', () => {
  it('exposes exactly one object, window.softphone, with invoke and on, over the one invoke channel', async () => {
    await import('./index');
    expect(exposed.map(([key]) => key)).toEqual(['softphone']);
    const api = exposed[0]![1] as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
    expect(Object.isFrozen(api)).toBe(true);
    const bridge = api as { invoke(name: string, request: unknown): Promise<unknown> };
    expect(await bridge.invoke('history.opened', {})).toEqual({ ok: true, value: { missedCount: 0 } });
    expect(invoked).toEqual([['softphone:invoke', { name: 'history.opened', request: {} }]]);
    expect(await bridge.invoke('fs.readFile', {})).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(invoked).toHaveLength(1);
  });
});

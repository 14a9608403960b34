import type { Browser, Page } from '@playwright/test';
import type { CallBenchApi } from './call-bench-page';

/** Opens the bench page in a fresh context (its own origin storage) and waits for the fake microphone. */
export async function openBenchPage(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[bench page] ${error.message}`));
  await page.goto(url);
  await page.waitForFunction(() => 'callBench' in window);
  await bench(page, 'init');
  return page;
}

type Method = keyof CallBenchApi;
type Result<M extends Method> = Awaited<ReturnType<CallBenchApi[M]>>;

/** Calls `window.callBench[method](...args)` in the page. */
export function bench<M extends Method>(page: Page, method: M, ...args: Parameters<CallBenchApi[M]>): Promise<Result<M>> {
  return page.evaluate(
    ([name, params]) => {
      const api = (window as unknown as { callBench: Record<string, (...a: unknown[]) => unknown> }).callBench;
      const fn = api[name as string];
      if (!fn) throw new Error(`no callBench.${String(name)}`);
      return fn(...(params as unknown[]));
    },
    [method, args] as const,
  ) as Promise<Result<M>>;
}

export interface SetupTiming {
  /** Accept on the callee -> both peers `connect`. */
  totalMs: number;
  /** Accept on the callee -> the caller starts its peer (the signalling of the accept). */
  acceptToCallerPeerMs: number;
}

/** Waits until both pages report the call connected (or `timeoutMs`). */
export async function setupTime(callee: Page, caller: Page, calleeKey: string, callerKey: string, timeoutMs = 20_000): Promise<SetupTiming> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [b, a] = await Promise.all([bench(callee, 'result', calleeKey), bench(caller, 'result', callerKey)]);
    if (b.acceptAt !== null && b.connectAt !== null && a.connectAt !== null && a.peerStartedAt !== null) {
      return { totalMs: Math.max(a.connectAt, b.connectAt) - b.acceptAt, acceptToCallerPeerMs: a.peerStartedAt - b.acceptAt };
    }
    if (a.error || b.error) throw new Error(`peer error: ${a.error ?? b.error}`);
    if (Date.now() > deadline) throw new Error(`call ${calleeKey} did not connect within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

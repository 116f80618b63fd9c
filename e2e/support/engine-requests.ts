import type { Page } from '@playwright/test';

interface Counted {
  __engineRequests?: Record<string, number>;
}

/**
 * Counts the engine requests the page posts to its Web Workers, by method (the worker protocol's `{ type: 'request',
 * method }` messages, src/engine/worker/protocol.ts), so a test can prove what the engine was asked to do: e.g. no
 * `generate` when reasonings come from the cache. Counting starts afresh on every navigation, reloads included.
 * Call before the first `goto`.
 */
export async function countEngineRequests(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const counts: Record<string, number> = {};
    (globalThis as Counted).__engineRequests = counts;
    const proto = Worker.prototype;
    const post = Object.getOwnPropertyDescriptor(proto, 'postMessage')?.value as (this: Worker, ...args: unknown[]) => void;
    Object.defineProperty(proto, 'postMessage', {
      configurable: true,
      writable: true,
      value(this: Worker, ...args: unknown[]) {
        const message = args[0] as { type?: unknown; method?: unknown } | null;
        if (message?.type === 'request' && typeof message.method === 'string') counts[message.method] = (counts[message.method] ?? 0) + 1;
        post.apply(this, args);
      },
    });
  });
}

/** The counts so far, e.g. `{ load: 1, generate: 4 }`; `{}` when no engine request was posted. */
export function engineRequests(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => ({ ...((globalThis as Counted).__engineRequests ?? {}) }));
}

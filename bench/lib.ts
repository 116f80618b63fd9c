import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { chromiumArgs } from '../playwright.config.ts';

/** Shared plumbing for the benchmarks: build, serve with `vite preview`, drive /usr/bin/chromium. */
export const root = new URL('..', import.meta.url).pathname;
export const port = Number(process.env.BENCH_PORT ?? 4199);
export const baseUrl = `http://127.0.0.1:${port}/`;

export function build(mode: 'production' | 'e2e'): void {
  if (process.argv.includes('--no-build')) return;
  console.log(`building (${mode})...`);
  execFileSync('npx', ['vite', 'build', '--mode', mode, '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
}

export async function startPreview(outDir: string, mode: 'production' | 'e2e'): Promise<ChildProcess> {
  const server = spawn('npx', ['vite', 'preview', '--mode', mode, '--outDir', outDir, '--port', String(port), '--strictPort', '--host', '127.0.0.1'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(baseUrl)).ok) return server;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  stopPreview(server);
  throw new Error(`vite preview did not start on port ${port}`);
}

export function stopPreview(server: ChildProcess): void {
  if (server.pid !== undefined) process.kill(-server.pid, 'SIGTERM');
}

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs, headless: true });
}

/** A task of the page that ran past 50 ms (the Long Tasks API's threshold), in the page's clock. */
export interface LongTask {
  start: number;
  end: number;
}

/** Record every long task of the context's pages from their first script on (read with longTasks). */
export async function observeLongTasks(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const w = window as unknown as { __longTasks: { start: number; end: number }[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, end: e.startTime + e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
}

/** The long tasks recorded so far (observeLongTasks). */
export function longTasks(page: Page): Promise<LongTask[]> {
  return page.evaluate(() => (window as unknown as { __longTasks: { start: number; end: number }[] }).__longTasks);
}

export function stats(values: readonly number[]): { n: number; median: number; p95: number; max: number; mean: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
  return {
    n: sorted.length,
    median: at(0.5),
    p95: at(0.95),
    max: sorted.at(-1) ?? NaN,
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
  };
}

export const ms = (x: number) => `${x.toFixed(2)} ms`;

/** Write a result file under bench/results/ (git-ignored). */
export function saveResult(name: string, result: unknown): void {
  mkdirSync(`${root}bench/results`, { recursive: true });
  const file = `${root}bench/results/${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote ${file}`);
}

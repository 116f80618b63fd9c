import { formatBytes } from '../../../fiat/dataset/read.ts';
import type { LoaderState } from '../../../providers/in-browser-loader.ts';
import type { TokenUsage } from '../../../providers/types.ts';

/** Display formats shared by the reasoning views. */

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes} min ${seconds.toString().padStart(2, '0')} s`;
}

export function formatUsage(usage: TokenUsage): string {
  const approx = usage.estimated ? ' (estimated)' : '';
  const reasoning = usage.reasoningTokens === undefined ? '' : ` (${usage.reasoningTokens.toLocaleString()} of them reasoning)`;
  return `${usage.promptTokens.toLocaleString()} prompt + ${usage.completionTokens.toLocaleString()} completion tokens${reasoning}${approx}`;
}

export function formatPercent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

/** A price in the user's currency (the studio does not know which: no symbol). */
export function formatCost(cost: number): string {
  return cost === 0 ? '0' : cost < 0.01 ? cost.toPrecision(2) : cost.toFixed(2);
}

/** The in-browser model's load as one status line: which model, how far, from the network or the browser's cache. */
export function modelLoadingLine(state: Extract<LoaderState, { status: 'loading' }>): string {
  const progress = state.progress;
  if (!progress) return `Loading the model ${state.model}…`;
  const total = progress.totalBytes === null ? '' : ` of ${formatBytes(progress.totalBytes)}`;
  const from = progress.fromCache ? ', from this browser’s cache' : '';
  return `Loading the model ${state.model}… ${formatBytes(progress.loadedBytes)}${total} (${progress.file}${from})`;
}

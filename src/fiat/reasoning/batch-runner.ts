import { collectReasoning } from '../../providers/collect.ts';
import { isProviderError, ProviderError, type ProviderErrorKind } from '../../providers/errors.ts';
import type { GenerationParams, ReasoningProvider } from '../../providers/types.ts';
import { planReasoningBatch, type PlannedPrompt, type ReasoningJob } from './batch-plan.ts';
import { betaReasoningOf, unfinishedReason } from './beta-output.ts';
import type { ReasoningCache, ReasoningCacheEntry } from './cache.ts';
import { promptHash } from './cache-key.ts';
import { addUsage, costOf, EMPTY_USAGE, type TokenPrice, type UsageTotals } from './cost.ts';
import { DEFAULT_RETRY_POLICY, retryDecision, systemClock, type Clock, type RetryPolicy } from './retry.ts';

export interface BatchFailure {
  kind: ProviderErrorKind | 'storage';
  message: string;
}

/** What happened to one example. */
export type JobOutcome =
  | { exampleId: string; key: string; status: 'cached'; entry: ReasoningCacheEntry }
  | { exampleId: string; key: string; status: 'generated'; entry: ReasoningCacheEntry; attempts: number }
  /**
   * Generated but unfinished: stopped at max tokens, or empty. Kept in the cache as such (the preview
   * shows it), never counted as done; not retried (the same request would stop at the same place): a
   * larger max tokens, or Resume, generates it again.
   */
  | { exampleId: string; key: string; status: 'truncated'; entry: ReasoningCacheEntry; reason: 'length' | 'empty'; attempts: number }
  | { exampleId: string; key: string; status: 'failed'; error: BatchFailure; attempts: number }
  /** Not finished because the batch was cancelled or stopped first; a resume picks it up. */
  | { exampleId: string; key: string; status: 'not-run' };

export type BatchEvent =
  | { type: 'retry'; exampleIds: string[]; attempt: number; delayMs: number; error: BatchFailure }
  | { type: 'outcome'; outcome: JobOutcome };

export interface BatchProgress {
  /** Examples in the batch. */
  total: number;
  /** Examples that have a finished reasoning (cached + generated). */
  done: number;
  cached: number;
  generated: number;
  /** Examples whose generation stopped at max tokens or came back empty (counted apart from done and failed). */
  truncated: number;
  failed: number;
  /** Requests in flight now. */
  inFlight: number;
  /** Requests sent so far, retries included. */
  requests: number;
  retries: number;
  elapsedMs: number;
  /** Time left at the rate requests have completed so far; null until one has. */
  etaMs: number | null;
  /** Tokens of the reasoning generated in this run. */
  usage: UsageTotals;
  /** Cost of `usage` when a price was given. */
  cost: number | null;
}

export interface BatchReport extends BatchProgress {
  /**
   * completed: every example has a reasoning; completed-with-failures: some failed after their
   * retries, or were truncated; cancelled: the signal aborted; stopped: an error that would fail
   * every request (wrong key, storage full) stopped it early.
   */
  status: 'completed' | 'completed-with-failures' | 'cancelled' | 'stopped';
  /** One per job, in job order. */
  outcomes: JobOutcome[];
  stoppedBy: BatchFailure | null;
}

export interface BatchOptions {
  provider: ReasoningProvider;
  cache: ReasoningCache;
  jobs: readonly ReasoningJob[];
  params: GenerationParams;
  /** Requests at once (default 4). */
  concurrency?: number;
  retry?: Partial<RetryPolicy>;
  signal?: AbortSignal;
  clock?: Clock;
  /** Random numbers in [0, 1) for backoff jitter (tests pass a fixed one). */
  random?: () => number;
  price?: TokenPrice;
  onProgress?: (progress: BatchProgress) => void;
  onEvent?: (event: BatchEvent) => void;
}

export const DEFAULT_CONCURRENCY = 4;

/**
 * Generates the reasoning ŷ_β for every job that is not cached yet.
 *
 * Invariants: a prompt is requested at most once per run however many examples share it (retries
 * aside); each reasoning is written to the cache the moment it is complete, so whatever finished
 * is kept when the rest fails or the run is cancelled; running again with the same jobs (resume)
 * requests only what is still missing (or truncated). A stream cut short (dropped, stalled, garbled)
 * is an error, never a partial entry; a generation the model itself ended at max tokens, or empty,
 * is cached as it is (beta-output.ts unfinishedReason), reported as truncated and never counted as
 * done. The function does not throw for provider failures; they are in the outcomes.
 */
export async function runReasoningBatch(options: BatchOptions): Promise<BatchReport> {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY));
  const { signal } = options;
  const identity = options.provider.describe().identity;
  const started = clock.now();

  const ids = new Set(options.jobs.map((job) => job.exampleId));
  if (ids.size !== options.jobs.length) throw new Error('runReasoningBatch: example ids must be unique');
  const plan = await planReasoningBatch(identity, options.params, options.jobs, options.cache);
  const outcomeByExample = new Map<string, JobOutcome>();
  const progress: BatchProgress = {
    total: options.jobs.length,
    done: 0,
    cached: 0,
    generated: 0,
    truncated: 0,
    failed: 0,
    inFlight: 0,
    requests: 0,
    retries: 0,
    elapsedMs: 0,
    etaMs: null,
    usage: { ...EMPTY_USAGE },
    cost: options.price ? 0 : null,
  };
  let settledPrompts = 0;
  let stoppedBy: BatchFailure | null = null;
  let pausedUntil = 0;

  const emit = () => {
    progress.elapsedMs = clock.now() - started;
    const remaining = plan.toGenerate.length - settledPrompts;
    progress.etaMs = settledPrompts > 0 ? Math.round((progress.elapsedMs / settledPrompts) * remaining) : null;
    options.onProgress?.({ ...progress, usage: { ...progress.usage } });
  };
  const record = (outcome: JobOutcome) => {
    outcomeByExample.set(outcome.exampleId, outcome);
    if (outcome.status === 'cached') progress.cached += 1;
    if (outcome.status === 'generated') progress.generated += 1;
    if (outcome.status === 'truncated') progress.truncated += 1;
    if (outcome.status === 'failed') progress.failed += 1;
    if (outcome.status === 'cached' || outcome.status === 'generated') progress.done += 1;
    options.onEvent?.({ type: 'outcome', outcome });
  };

  options.jobs.forEach((job, i) => {
    const key = plan.keys[i]!;
    const entry = plan.cached.get(key);
    if (entry) record({ exampleId: job.exampleId, key, status: 'cached', entry });
  });
  emit();

  const generate = async (prompt: PlannedPrompt): Promise<void> => {
    for (let attempt = 1; ; attempt += 1) {
      if (clock.now() < pausedUntil) await clock.sleep(pausedUntil - clock.now(), signal);
      if (signal?.aborted || stoppedBy) return;
      progress.requests += 1;
      progress.inFlight += 1;
      emit();
      let failure: ProviderError;
      try {
        const result = await collectReasoning(
          options.provider,
          { messages: prompt.messages, params: options.params },
          { ...(signal ? { signal } : {}), now: () => clock.now() },
        );
        progress.inFlight -= 1;
        const entry: ReasoningCacheEntry = {
          key: prompt.key,
          endpoint: identity.endpoint,
          model: identity.model,
          params: options.params,
          promptHash: await promptHash(prompt.messages),
          ...betaReasoningOf(result),
          finishReason: result.finishReason,
          usage: result.usage,
          latencyMs: result.latencyMs,
          createdAt: clock.now(),
        };
        try {
          await options.cache.put(entry);
        } catch (cause) {
          // Paid for but not stored: stop rather than pay for more that cannot be kept.
          stoppedBy = { kind: 'storage', message: `could not store the reasoning: ${cause instanceof Error ? cause.message : String(cause)}` };
        }
        settledPrompts += 1;
        progress.usage = addUsage(progress.usage, result.usage);
        if (options.price) progress.cost = costOf(progress.usage, options.price);
        const unfinished = unfinishedReason(entry);
        for (const exampleId of prompt.exampleIds) {
          record(
            unfinished
              ? { exampleId, key: prompt.key, status: 'truncated', entry, reason: unfinished, attempts: attempt }
              : { exampleId, key: prompt.key, status: 'generated', entry, attempts: attempt },
          );
        }
        emit();
        return;
      } catch (cause) {
        progress.inFlight -= 1;
        failure = isProviderError(cause) ? cause : new ProviderError('bad-response', cause instanceof Error ? cause.message : String(cause));
      }
      if (failure.kind === 'aborted' || signal?.aborted) {
        emit();
        return;
      }
      const error: BatchFailure = { kind: failure.kind, message: failure.message };
      if (failure.kind === 'auth') stoppedBy ??= error;
      const decision = retryDecision(attempt, failure, policy, random);
      if (!decision.retry) {
        const final = failure.kind === 'auth' || !policy.retryOn.includes(failure.kind) ? error : { ...error, message: `${error.message} (${decision.reason})` };
        settledPrompts += 1;
        for (const exampleId of prompt.exampleIds) record({ exampleId, key: prompt.key, status: 'failed', error: final, attempts: attempt });
        emit();
        return;
      }
      // A rate limit with Retry-After applies to the whole endpoint: hold every worker back.
      if (failure.kind === 'rate-limit' && failure.retryAfterMs !== undefined) {
        pausedUntil = Math.max(pausedUntil, clock.now() + decision.delayMs);
      }
      progress.retries += 1;
      options.onEvent?.({ type: 'retry', exampleIds: [...prompt.exampleIds], attempt, delayMs: decision.delayMs, error });
      emit();
      await clock.sleep(decision.delayMs, signal);
    }
  };

  const queue = [...plan.toGenerate];
  const worker = async () => {
    for (let prompt = queue.shift(); prompt; prompt = queue.shift()) {
      if (signal?.aborted || stoppedBy) return;
      await generate(prompt);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));

  const outcomes = options.jobs.map(
    (job, i): JobOutcome => outcomeByExample.get(job.exampleId) ?? { exampleId: job.exampleId, key: plan.keys[i]!, status: 'not-run' },
  );
  progress.inFlight = 0;
  emit();
  const status: BatchReport['status'] = signal?.aborted
    ? 'cancelled'
    : stoppedBy
      ? 'stopped'
      : progress.failed > 0 || progress.truncated > 0
        ? 'completed-with-failures'
        : 'completed';
  return { ...progress, usage: { ...progress.usage }, status, outcomes, stoppedBy };
}

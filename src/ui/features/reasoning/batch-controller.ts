import type { QueryClient } from '@tanstack/react-query';
import { setupOf } from '../../../fiat/project/project.ts';
import { runReasoningBatch } from '../../../fiat/reasoning/batch-runner.ts';
import { describeBetaErrors } from '../../../fiat/prompt/assemble.ts';
import { betaPromptsInSlices } from '../../../fiat/reasoning/prompt-keys.ts';
import type { Example, Task } from '../../../fiat/task/task.ts';
import { buildProvider, reasoningCache } from '../../lib/reasoning.ts';
import { studioStore } from '../../state/store.ts';
import { useBatchStore } from './batch-store.ts';
import { invalidateReasoning, knownTaskKeys } from './reasoning-queries.ts';

/**
 * Runs one reasoning batch at a time for the studio, outside React (a batch goes on while the user
 * switches tabs), and reports into the feature's batch store (batch-store.ts). Whatever finished is in the cache the
 * moment it finishes; starting again with the same examples resumes (only missing ones are sent).
 */
let running: AbortController | null = null;

/**
 * Cache views (badges, plan, quality) refresh at most this often while a batch writes: each refresh
 * reads the task's entries again, which for 10,000 examples is not free. Counts come from progress.
 */
const REFRESH_MS = 1000;

export interface BatchRequest {
  task: Task;
  examples: readonly Example[];
  /** e.g. "the train split": shown with the progress. */
  scopeLabel: string;
}

export async function startBatch({ task, examples, scopeLabel }: BatchRequest, client: QueryClient): Promise<void> {
  if (running) return;
  const { project } = studioStore.getState();
  const { setBatch, updateBatch: update } = useBatchStore.getState();
  const setup = setupOf(project);
  const settings = project.reasoning.provider;
  const base = { taskId: task.id, scopeLabel, progress: null, lastRetry: null, report: null };
  if (!settings) {
    setBatch({ ...base, phase: 'finished', error: 'No large model is set up: set up a provider first.' });
    return;
  }
  const controller = new AbortController();
  running = controller;
  setBatch({ ...base, phase: 'running', error: null });
  const refresh = throttle(() => void invalidateReasoning(client), REFRESH_MS);
  const { beta } = setup.instructions;
  const { exemplars } = setup;
  try {
    // In slices: rendering 100,000 prompts in one task would freeze the page.
    const prompts = await betaPromptsInSlices({ spec: task.spec, beta, exemplars, examples, signal: controller.signal });
    if (!prompts.ok) {
      update({ phase: 'finished', error: describeBetaErrors(prompts.errors) });
      return;
    }
    // The plan's keys, when they are those of this very I_β: nothing is hashed twice.
    const known = knownTaskKeys(client, { task, beta, exemplars, settings })?.keys;
    const report = await runReasoningBatch({
      provider: buildProvider(settings),
      cache: reasoningCache,
      jobs: known ? prompts.jobs.map((job) => ({ ...job, key: known.get(job.exampleId) })) : prompts.jobs,
      params: settings.params,
      concurrency: project.reasoning.concurrency,
      signal: controller.signal,
      ...(settings.pricePerMillion ? { price: settings.pricePerMillion } : {}),
      onProgress: (progress) => update({ progress }),
      onEvent: (event) => {
        if (event.type === 'retry') update({ lastRetry: { exampleIds: event.exampleIds, attempt: event.attempt, delayMs: event.delayMs, error: event.error } });
        else if (event.outcome.status === 'generated') refresh();
      },
    });
    update({ phase: 'finished', report, progress: report });
  } catch (error) {
    // Cancelled while the prompts were being rendered: nothing was sent.
    const message = controller.signal.aborted ? 'Cancelled before anything was sent.' : `The batch could not run: ${error instanceof Error ? error.message : String(error)}`;
    update({ phase: 'finished', error: message });
  } finally {
    running = null;
    await invalidateReasoning(client);
  }
}

/** Stops sending; requests in flight are aborted and nothing partial is cached. */
export function cancelBatch(): void {
  if (!running) return;
  running.abort();
  useBatchStore.getState().updateBatch({ phase: 'cancelling' });
}

/** Calls `fn` at most once per `ms`, and once more after the last call in a burst. */
function throttle(fn: () => void, ms: number): () => void {
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    const wait = last + ms - Date.now();
    if (wait <= 0) {
      last = Date.now();
      fn();
    } else if (timer === undefined) {
      timer = setTimeout(() => {
        timer = undefined;
        last = Date.now();
        fn();
      }, wait);
    }
  };
}

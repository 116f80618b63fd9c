import type { StoreApi, UseBoundStore } from 'zustand';
import { QueueDriver, type AnswerWithoutTraining, type DriverEnd, type QueueStore, type RunOne } from '../../../fiat/experiments/driver.ts';
import { methodTraits } from '../../../fiat/experiments/methods.ts';
import { cancelItem, itemsFor, recover, requeue, type Experiment } from '../../../fiat/experiments/queue.ts';
import { blockedItems, type Preflight } from '../../../fiat/experiments/schedule.ts';
import { expandGrid, type ExperimentGrid, type ModelRef } from '../../../fiat/experiments/spec.ts';
import type { ExperimentRepository } from '../../../fiat/storage/experiment-repository.ts';
import type { Task } from '../../../fiat/task/task.ts';
import { newId } from '../../lib/ids.ts';
import type { GridChoices } from './grid-choices.ts';
import type { QueueSessionState } from './queue-store.ts';
import type { RunnerContext } from './runner/context.ts';
import { experimentDataHash } from './runner/data-hash.ts';
import { modelRefOf } from './runner/model-ref.ts';
import type { SettingsSnapshot } from './runner/settings-snapshot.ts';

/**
 * The studio's queue session: one experiment open, its queue run by one QueueDriver (fiat/experiments/driver.ts) at a
 * time, outside React (a queue goes on while the user switches tabs). Every change is saved (the repository) before
 * the state shows it. What it does:
 * - create: the grid of the loaded small model × the choices, with the Tuning tab's settings snapshot and the data
 *   hash of the task's data and reasoning, expanded into queue items; add: the same grid's new cells only;
 * - open: a queue found with a running item (the page was reloaded mid-run) is recovered (queue.ts recover: the item
 *   is pending with its run, to resume from its last checkpoint) and the notice says to load the model and resume;
 * - start: the pending items that cannot start are listed first (blocked), then the driver runs; it ends finished,
 *   paused, with the GPU lost (the notice says so: the item resumes on the new device), or with runs waiting for the
 *   model they tune (the notice says which to load; Resume runs them once it is); a run the launcher cannot start fails
 *   its item, and the Web Lock of the run launcher keeps a second tab from running one meanwhile;
 * - cancel and re-run work running or not (while the queue runs, the driver owns it and applies them: it stops a
 *   running item's run, and reaches a re-run item in its order); delete waits for a pause.
 */
export interface QueueSessionDeps {
  readonly repository: ExperimentRepository;
  readonly store: UseBoundStore<StoreApi<QueueSessionState>>;
  readonly context: (task: Task) => Promise<RunnerContext>;
  readonly snapshot: () => SettingsSnapshot;
  readonly runOne: (experimentId: string, task: Task) => RunOne;
  readonly answer: (task: Task) => AnswerWithoutTraining;
  readonly preflight: (task: Task) => Preflight;
  /**
   * What a run waits for rather than fails on (the model it tunes loaded on the Tuning tab: runner/preflight.ts
   * createModelWait): the driver keeps it pending and the queue stops 'waiting' with the reason once the rest is done.
   */
  readonly waitFor?: (task: Task) => Preflight;
  /** After each save of a queue or a result (react-query invalidation). */
  readonly onSaved?: () => void;
  readonly now?: () => number;
}

export interface QueueSession {
  createExperiment(task: Task, choices: GridChoices): Promise<Experiment | null>;
  addToExperiment(task: Task, choices: GridChoices): Promise<Experiment | null>;
  openExperiment(id: string): Promise<Experiment | null>;
  /** Lists the pending items that cannot start now (the state's `blocked`). */
  checkQueue(task: Task): Promise<void>;
  startQueue(task: Task): Promise<DriverEnd | null>;
  pauseQueue(): void;
  cancelQueueItem(id: string): Promise<void>;
  requeueQueueItem(id: string, force: boolean): Promise<void>;
  deleteExperiment(id: string): Promise<void>;
}

export const RELOAD_NOTICE = 'The queue stopped when the page was reloaded. Load the small model on the Tuning tab, then press Resume: the interrupted run goes on from its last checkpoint.';
const BUSY_NOTICE = 'The queue is running: pause it first.';

export function gridOf(choices: GridChoices, model: ModelRef, dataHash: string, settings: SettingsSnapshot): ExperimentGrid {
  return {
    methods: choices.methods,
    models: [{ model, baseCheckpoint: choices.baseCheckpoint }],
    tauVersions: choices.tauVersions,
    sizes: choices.sizes,
    seeds: choices.seeds,
    dataHash,
    settings,
  };
}

export function endNotice(end: DriverEnd): string | null {
  switch (end.status) {
    case 'finished':
      return null;
    case 'paused':
      return 'The queue is paused: press Resume to go on (a paused run resumes from its checkpoint).';
    case 'device-lost':
      return `${end.message}. The queue stopped; press Resume to go on with that run on the new GPU device.`;
    case 'waiting': {
      const n = end.itemIds.length;
      return `The queue stopped with ${n} run${n === 1 ? '' : 's'} waiting: ${end.message}, then press Resume.`;
    }
  }
}

/** A check that throws (the context could not be read, the estimate failed) gives its message as the reason. */
function reasonOnThrow(preflight: Preflight): Preflight {
  return async (spec) => {
    try {
      return await preflight(spec);
    } catch (error) {
      return messageOf(error);
    }
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function createQueueSession(deps: QueueSessionDeps): QueueSession {
  const { repository, store } = deps;
  const now = deps.now ?? Date.now;
  let driver: QueueDriver | null = null;
  const set = (patch: Partial<QueueSessionState>) => store.setState(patch);

  const saving: QueueStore = {
    saveExperiment: async (experiment) => {
      await repository.saveExperiment(experiment);
      deps.onSaved?.();
    },
    finishedKeys: (keys) => repository.finishedKeys(keys),
    getResult: (key) => repository.getResult(key),
    saveResult: async (result) => {
      await repository.saveResult(result);
      deps.onSaved?.();
    },
  };

  const commit = async (experiment: Experiment, notice: string | null = null) => {
    await saving.saveExperiment(experiment);
    set({ experiment, notice });
  };

  /** The grid's queue items for the loaded model, or why there are none (the notice). */
  const newItems = async (task: Task, choices: GridChoices, existing: Experiment | null) => {
    const context = await deps.context(task);
    if (context.model === null) {
      set({ notice: "Load a small model on the Tuning tab first: an experiment's runs tune it." });
      return null;
    }
    const settings = deps.snapshot();
    const dataHash = await experimentDataHash(context, settings.run.validationSize);
    const specs = await expandGrid(gridOf(choices, modelRefOf(context.model), dataHash, settings), methodTraits);
    return itemsFor(specs, existing?.items ?? []);
  };

  const session: QueueSession = {
    async createExperiment(task, choices) {
      if (store.getState().running) {
        set({ notice: BUSY_NOTICE });
        return null;
      }
      const items = await newItems(task, choices, null);
      if (items === null) return null;
      const at = now();
      const name = choices.name.trim() || `Experiment of ${new Date(at).toISOString().slice(0, 16).replace('T', ' ')}`;
      const experiment: Experiment = { id: newId(), taskId: task.id, name, createdAt: at, updatedAt: at, items };
      await commit(experiment);
      set({ currentItemId: null, blocked: [] });
      await session.checkQueue(task);
      return experiment;
    },

    async addToExperiment(task, choices) {
      const current = store.getState().experiment;
      if (current === null || current.taskId !== task.id) return session.createExperiment(task, choices);
      if (store.getState().running) {
        set({ notice: BUSY_NOTICE });
        return null;
      }
      const items = await newItems(task, choices, current);
      if (items === null) return null;
      if (items.length === 0) {
        set({ notice: 'Those runs are in the queue already.' });
        return current;
      }
      const experiment: Experiment = { ...current, updatedAt: now(), items: [...current.items, ...items] };
      await commit(experiment);
      await session.checkQueue(task);
      return experiment;
    },

    async openExperiment(id) {
      const state = store.getState();
      if (state.running && state.experiment?.id !== id) {
        set({ notice: BUSY_NOTICE });
        return null;
      }
      if (state.running) return state.experiment;
      const found = await repository.getExperiment(id);
      if (!found) {
        set({ notice: 'This experiment is no longer saved.' });
        return null;
      }
      const recovered = recover(found);
      if (recovered !== found) await commit(recovered, RELOAD_NOTICE);
      else set({ experiment: found, notice: null });
      set({ currentItemId: null, blocked: [] });
      return recovered;
    },

    async checkQueue(task) {
      const experiment = store.getState().experiment;
      if (experiment === null) return;
      const finished = await repository.finishedKeys([...new Set(experiment.items.map((i) => i.key))]);
      const blocked = await blockedItems(experiment, finished, reasonOnThrow(deps.preflight(task)));
      // The queue may have changed meanwhile (another experiment opened): only the same one's list is kept.
      if (store.getState().experiment?.id === experiment.id) set({ blocked });
    },

    async startQueue(task) {
      const experiment = store.getState().experiment;
      if (experiment === null || driver !== null) return null;
      if (experiment.taskId !== task.id) {
        set({ notice: "This experiment belongs to another task: choose its task to run it." });
        return null;
      }
      driver = new QueueDriver(experiment, {
        store: saving,
        runOne: deps.runOne(experiment.id, task),
        answerWithoutTraining: deps.answer(task),
        preflight: deps.preflight(task),
        ...(deps.waitFor ? { waitFor: reasonOnThrow(deps.waitFor(task)) } : {}),
        onChange: (next) => set({ experiment: next, currentItemId: next.items.find((i) => i.status === 'running')?.id ?? null }),
        now,
      });
      set({ running: true, notice: null });
      try {
        await session.checkQueue(task);
        const end = await driver.run();
        set({ notice: endNotice(end) });
        return end;
      } catch (error) {
        set({ notice: `The queue stopped: ${messageOf(error)}` });
        return null;
      } finally {
        driver = null;
        set({ running: false, currentItemId: null });
      }
    },

    pauseQueue() {
      if (!driver) return;
      driver.pause();
      set({ notice: 'Pausing: the run in flight stops at a checkpoint.' });
    },

    async cancelQueueItem(id) {
      if (driver) return driver.cancel(id);
      const experiment = store.getState().experiment;
      if (experiment) await commit(cancelItem(experiment, id));
    },

    async requeueQueueItem(id, force) {
      const experiment = store.getState().experiment;
      if (!experiment) return;
      // While the queue runs, the driver owns the queue: it takes the item back and reaches it in its order.
      if (driver) return driver.requeue(id, { force });
      await commit(requeue(experiment, id, { force }));
    },

    async deleteExperiment(id) {
      const state = store.getState();
      if (state.running && state.experiment?.id === id) {
        set({ notice: BUSY_NOTICE });
        return;
      }
      await repository.deleteExperiment(id);
      deps.onSaved?.();
      if (state.experiment?.id === id) set({ experiment: null, currentItemId: null, blocked: [], notice: null });
    },
  };
  // What the user started and could not finish (the project's setup unreadable, the repository failing) says why.
  const guarded =
    <A extends unknown[]>(action: (...args: A) => Promise<Experiment | null>) =>
    async (...args: A): Promise<Experiment | null> => {
      try {
        return await action(...args);
      } catch (error) {
        set({ notice: messageOf(error) });
        return null;
      }
    };
  return {
    ...session,
    createExperiment: guarded((task: Task, choices: GridChoices) => session.createExperiment(task, choices)),
    addToExperiment: guarded((task: Task, choices: GridChoices) => session.addToExperiment(task, choices)),
    openExperiment: guarded((id: string) => session.openExperiment(id)),
  };
}

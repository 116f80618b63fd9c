import { buildImportedTask, parseImportFile } from '../../fiat/dataset/import.ts';
import { formatRowIssue } from '../../fiat/dataset/records.ts';
import { setupOf } from '../../fiat/project/project.ts';
import { lintTemplate } from '../../fiat/template/lint.ts';
import { parseTemplateCached } from '../../fiat/template/parse.ts';
import type { Task } from '../../fiat/task/task.ts';
import { bootStudio, flushSave } from '../app/boot.ts';
import { readEditorMarkers } from '../components/monaco/lazy.tsx';
import { taskQueries } from '../features/tasks/queries.ts';
import { initialChoices } from '../features/import/initial-choices.ts';
import { newId } from '../lib/ids.ts';
import { reasoningCache } from '../lib/reasoning.ts';
import { useRunStore } from '../features/tuning/run-store.ts';
import { overrideNextRunPlan } from '../features/tuning/plan-override.ts';
import { debugLoseTuningDevice, loadSmallModel, smallModelStore, tuningEngine, tuningEngineRecovered } from '../lib/tuning-engine.ts';
import { queryClient } from '../lib/query-client.ts';
import { repository } from '../lib/repository.ts';
import { tuningRepository } from '../lib/tuning-repository.ts';
import { invalidateRuns } from '../features/tuning/runs-queries.ts';
import { studioStore } from '../state/store.ts';
import { previewTimings, startKeystrokeProbe } from './perf.ts';
import { seededRun } from './seeded-run.ts';
import type { FiatTestApi } from './test-api-types.ts';

const currentTask = (): Task | undefined =>
  queryClient.getQueryData(taskQueries.detail(studioStore.getState().project.taskId).queryKey);

/** Install `window.__fiat` (e2e builds only; see test-api-types.ts for the contract). */
export function installTestApi(): void {
  const api: FiatTestApi = {
    async ready() {
      await bootStudio();
      await queryClient.ensureQueryData(taskQueries.detail(studioStore.getState().project.taskId));
    },
    project: () => studioStore.getState().project,
    setInstruction: (role, text) => studioStore.getState().setInstruction(role, text),
    diagnostics(role) {
      const setup = setupOf(studioStore.getState().project);
      const kind = currentTask()?.spec.kind ?? 'classification';
      return lintTemplate(parseTemplateCached(setup.instructions[role]), { role, kind, exemplarCount: setup.exemplars.length });
    },
    markers: (role) => readEditorMarkers(role),
    task() {
      const task = currentTask();
      return task ? { id: task.id, name: task.name, kind: task.spec.kind, exampleCount: task.examples.length } : null;
    },
    exampleIds: (limit) => (currentTask()?.examples ?? []).slice(0, limit).map((e) => e.id),
    selectExample: (id) => studioStore.getState().selectExample(id),
    async importDataset(text, fileName, choices) {
      const parsed = parseImportFile(new TextEncoder().encode(text));
      if (!parsed.ok) throw new Error(parsed.error);
      const built = buildImportedTask(parsed.value, { ...initialChoices(fileName, parsed.value), ...choices }, newId('imported:'), new Date());
      if (!built.ok) throw new Error(built.error);
      const { task, issues } = built.value;
      await repository.saveDataset(task);
      queryClient.setQueryData(taskQueries.detail(task.id).queryKey, task);
      await queryClient.invalidateQueries({ queryKey: taskQueries.list().queryKey });
      studioStore.getState().setTask(task.id, task.spec.kind);
      return { taskId: task.id, examples: task.examples.length, issues: issues.map(formatRowIssue) };
    },
    reasoningCacheCount: () => reasoningCache.count(),
    async loadSmallModel(hub) {
      // What the model panel does: the tuning engine loads it, and its tokenizer becomes the studio's.
      const info = await loadSmallModel({ kind: 'hub', ...hub }, `${hub.repo}@${hub.revision}`);
      if (!info) throw new Error(`the small model did not load: ${smallModelStore.getState().error?.message ?? 'cancelled'}`);
      return info.label;
    },
    setTrainingShapes(shapes) {
      studioStore.getState().setTuning('shapes', shapes);
    },
    smallModel() {
      const { info, loading } = smallModelStore.getState();
      return { status: loading ? 'loading' : info ? 'loaded' : 'empty', label: info?.label ?? null, randomWeights: info?.randomWeights ?? null };
    },
    tuningRun() {
      const run = useRunStore.getState().run;
      return run ? { runId: run.runId, status: run.status, active: run.active, losses: [...run.losses], evaluations: run.evaluations.map((e) => e.step) } : null;
    },
    async seedRun(id, count) {
      const task = currentTask();
      if (!task) throw new Error('no task is loaded');
      const run = seededRun(task, id, count, Date.now());
      await tuningRepository.saveRun(run);
      await invalidateRuns(queryClient);
      return run;
    },
    async prepareTinyTraining() {
      await tuningEngine().prepareTraining({ lora: { r: 2, alpha: 4, targets: ['q', 'v'] }, batchSize: 1, seqLen: 16, ep: 'wasm', wasmThreads: 1 });
    },
    async seedCheckpoint(runId, steps) {
      const engine = tuningEngine();
      await engine.prepareTraining({ lora: { r: 2, alpha: 4, targets: ['q', 'v'] }, batchSize: 1, seqLen: 16, ep: 'wasm', wasmThreads: 1 });
      const examples = [
        { prompt: 'Is it so?', completion: ' yes' },
        { prompt: 'Is it not?', completion: ' no' },
      ];
      await engine.train({ examples, steps, lr: 0.05 });
      const checkpoint = await engine.readCheckpoint();
      await tuningRepository.saveCheckpoint(runId, checkpoint);
      return checkpoint.step;
    },
    loseTuningDevice: (atStep) => debugLoseTuningDevice(atStep),
    tuningEngineRecovered,
    runIds: async () => (await tuningRepository.listAllRuns()).map((r) => r.id),
    overrideNextRunPlan,
    async shownRunRecord() {
      const id = useRunStore.getState().run?.runId;
      const stored = id === undefined ? undefined : await tuningRepository.getRun(id);
      if (!stored) return null;
      const checkpoint = await tuningRepository.latestCheckpoint(stored.id);
      return { id: stored.id, status: stored.status, step: stored.step, message: stored.message ?? null, latestCheckpointStep: checkpoint?.step ?? null };
    },
    flushSave,
    perf: { start: startKeystrokeProbe, timings: previewTimings },
  };
  window.__fiat = api;
}

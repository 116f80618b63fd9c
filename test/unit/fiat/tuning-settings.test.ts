import { describe, expect, it } from 'vitest';
import { buildProjectFile, parseProjectFile, readStoredProject, serializeProjectFile } from '../../../src/fiat/project/project-file.ts';
import { chooseTask, newProject, setupOf, updateSetup, type Project } from '../../../src/fiat/project/project.ts';
import { repairTuningSettings } from '../../../src/fiat/project/tuning-repair.ts';
import { defaultTuningSettings, TRAINING_METHODS, type TuningSettings } from '../../../src/fiat/project/tuning-settings.ts';
import { emptyReasoningCacheExport } from '../../../src/fiat/reasoning/cache-export.ts';
import { DEFAULT_TRAINING_SHAPES } from '../../../src/fiat/tuning/training-shapes.ts';

const now = new Date('2026-12-03T10:00:00Z');
const QA = 'sample:xquad_xling';

/** The Tuning tab's choices changed away from every default. */
const changed: TuningSettings = {
  trainingSet: { method: 'fine-tune', withoutReasoning: 'train-without', chatTemplate: false },
  run: { length: 'epochs', steps: 7, epochs: 2.5, lr: 1e-3, warmupSteps: 2, decay: 'cosine', seed: 42, evalEvery: 3, checkpointEvery: 5, validationSize: 9 },
  shapes: { lora: { r: 4, alpha: 8, targets: ['q', 'k', 'v'] }, batchSize: 4, microBatchSize: 1, seqLen: 256, memoryBudgetBytes: 1024 * 1024 * 1024 },
  model: { kind: 'hub', repo: 'HuggingFaceTB/SmolLM2-135M-Instruct', revision: 'main', endpoint: 'http://127.0.0.1:8788' },
};

/** Two tasks, the chosen one with changed tuning settings, the other with the defaults. */
function projectWithTuning(): Project {
  const project = chooseTask(newProject(), QA, 'extractive-qa');
  return updateSetup(project, (setup) => ({ ...setup, tuning: changed }));
}

const fileOf = (project: Project) => buildProjectFile(project, [], [], emptyReasoningCacheExport(), now);

/** A stored project as the studio before schema 5 saved it: no tuning settings anywhere. */
function v4Stored(project: Project): Record<string, unknown> {
  const tasks = Object.fromEntries(Object.entries(project.tasks).map(([id, { tuning: _tuning, ...setup }]) => [id, setup]));
  return { ...project, schemaVersion: 4, tasks };
}

/** The stored project with the chosen task's raw tuning settings replaced (what a damaged database could hold). */
function withRawTuning(project: Project, tuning: unknown): Record<string, unknown> {
  return { ...project, tasks: { ...project.tasks, [project.taskId]: { ...setupOf(project), tuning } } };
}

describe('tuning settings in the project', () => {
  it('a new task starts with the defaults: FIAT, the default run and shapes, the demo model', () => {
    const tuning = setupOf(newProject()).tuning;
    expect(tuning).toEqual(defaultTuningSettings());
    expect(tuning.shapes).toEqual(DEFAULT_TRAINING_SHAPES);
    expect(tuning.model).toEqual({ kind: 'demo' });
  });

  it('round-trip per task through the stored project and the project file', () => {
    const project = projectWithTuning();
    const repaired: string[] = [];
    expect(readStoredProject(structuredClone(project), repaired)).toEqual({ ok: true, value: project });
    expect(repaired).toEqual([]);
    const file = fileOf(project);
    const read = parseProjectFile(serializeProjectFile(file), repaired);
    expect(read).toEqual({ ok: true, value: file });
    expect(repaired).toEqual([]);
    if (!read.ok) return;
    expect(setupOf(read.value.project).tuning).toEqual(changed);
    // The other task kept its own (default) settings.
    expect(read.value.project.tasks['sample:xor_attriqa']?.tuning).toEqual(defaultTuningSettings());
  });

  it('an old stored project (schema 4) and an old file open with the defaults for every task, with no note', () => {
    const project = projectWithTuning();
    const repaired: string[] = [];
    const stored = readStoredProject(v4Stored(project), repaired);
    expect(repaired).toEqual([]);
    expect(stored.ok).toBe(true);
    if (!stored.ok) return;
    for (const setup of Object.values(stored.value.tasks)) expect(setup.tuning).toEqual(defaultTuningSettings());
    expect(setupOf(stored.value).instructions).toEqual(setupOf(project).instructions);

    const file = fileOf(project);
    const v4File = { ...file, schemaVersion: 4, project: v4Stored(project) };
    const read = parseProjectFile(JSON.stringify(v4File), repaired);
    expect(repaired).toEqual([]);
    expect(read.ok && setupOf(read.value.project).tuning).toEqual(defaultTuningSettings());
  });

  it('a damaged field gets its default and a note naming it; the other fields and the rest of the project are kept', () => {
    const project = projectWithTuning();
    const damaged = {
      ...changed,
      trainingSet: { ...changed.trainingSet, method: 'icl' },
      run: { ...changed.run, steps: 'many', lr: -1 },
      shapes: { ...changed.shapes, seqLen: 300, lora: { ...changed.shapes.lora, targets: ['q', 'x'] } },
      colour: 'blue',
    };
    const repaired: string[] = [];
    const read = readStoredProject(withRawTuning(project, damaged), repaired);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    const defaults = defaultTuningSettings();
    expect(setupOf(read.value).tuning).toEqual({
      trainingSet: { ...changed.trainingSet, method: defaults.trainingSet.method },
      run: { ...changed.run, steps: defaults.run.steps, lr: defaults.run.lr },
      shapes: { ...changed.shapes, seqLen: defaults.shapes.seqLen, lora: { ...changed.shapes.lora, targets: defaults.shapes.lora.targets } },
      model: changed.model,
    });
    expect(setupOf(read.value).instructions).toEqual(setupOf(project).instructions);
    expect(repaired).toHaveLength(6);
    for (const field of ['trainingSet.method', 'run.steps', 'run.lr', 'shapes.lora.targets', 'shapes.seqLen', 'colour']) {
      expect(repaired.some((note) => note.startsWith(`Task "${QA}", tuning setting ${field}: `))).toBe(true);
    }
    expect(repaired.find((n) => n.includes('run.steps'))).toContain('the default 100 is used');
  });

  it('a damaged field in a file is repaired the same way, and the file still imports', () => {
    const file = fileOf(projectWithTuning());
    const raw = JSON.parse(serializeProjectFile(file)) as { project: Record<string, unknown> };
    const project = withRawTuning(file.project, { ...changed, model: { kind: 'hub', repo: 'a/b', revision: 'main', endpoint: 'https://user:pw@hub.example' } });
    const repaired: string[] = [];
    const read = parseProjectFile(JSON.stringify({ ...raw, project }), repaired);
    expect(read.ok && setupOf(read.value.project).tuning).toEqual({ ...changed, model: { kind: 'demo' } });
    expect(repaired).toEqual([expect.stringMatching(/^Task "sample:xquad_xling", tuning setting model: .*; the default \{"kind":"demo"\} is used$/)]);
  });

  it('never keeps a token: a saved model with one is damaged and becomes the demo model', () => {
    const model = { kind: 'hub', repo: 'a/b', revision: 'main', endpoint: 'https://huggingface.co', token: 'hf_secret' };
    const { project, notes } = repairTuningSettings(withRawTuning(projectWithTuning(), { ...changed, model }));
    expect(JSON.stringify(project)).not.toContain('hf_secret');
    expect(notes).toHaveLength(1);
  });

  it('missing settings in a current project, and a micro-batch larger than the batch, are noted and defaulted', () => {
    const project = projectWithTuning();
    const missing: string[] = [];
    const read = readStoredProject(withRawTuning(project, undefined), missing);
    expect(read.ok && setupOf(read.value).tuning).toEqual(defaultTuningSettings());
    expect(missing).toEqual([`Task "${QA}", tuning setting (all of them): missing; the defaults are used`]);

    const tooLarge: string[] = [];
    const larger = readStoredProject(withRawTuning(project, { ...changed, shapes: { ...changed.shapes, batchSize: 2, microBatchSize: 8 } }), tooLarge);
    expect(larger.ok && setupOf(larger.value).tuning.shapes).toMatchObject({ batchSize: 2, microBatchSize: 2 });
    expect(tooLarge).toEqual([`Task "${QA}", tuning setting shapes.microBatchSize: 8 is larger than the batch; 2 is used`]);
  });

  it('every training method the tab offers is saved and read back, in the stored project and the file', () => {
    expect(TRAINING_METHODS).toEqual(['fiat', 'instruction-only', 'fine-tune', 'distilled-cot']);
    for (const method of TRAINING_METHODS) {
      const project = updateSetup(projectWithTuning(), (setup) => ({ ...setup, tuning: { ...changed, trainingSet: { ...changed.trainingSet, method } } }));
      const repaired: string[] = [];
      const stored = readStoredProject(structuredClone(project), repaired);
      expect(stored.ok && setupOf(stored.value).tuning.trainingSet.method).toBe(method);
      const read = parseProjectFile(serializeProjectFile(fileOf(project)), repaired);
      expect(read.ok && setupOf(read.value.project).tuning.trainingSet.method).toBe(method);
      expect(repaired).toEqual([]);
    }
  });

  it('an old file (schema 5, before the new methods) reads its method unchanged; a method this studio does not know gets FIAT and a note', () => {
    const file = fileOf(projectWithTuning());
    const { experiments: _e, experimentResults: _r, ...rest } = file;
    const v5 = { ...rest, schemaVersion: 5, project: { ...file.project, schemaVersion: 5 } };
    const repaired: string[] = [];
    const read = parseProjectFile(JSON.stringify(v5), repaired);
    expect(repaired).toEqual([]);
    expect(read.ok && setupOf(read.value.project).tuning).toEqual(changed);

    const newer = withRawTuning(file.project, { ...changed, trainingSet: { ...changed.trainingSet, method: 'no-peft' } });
    const notes: string[] = [];
    const stored = readStoredProject(newer, notes);
    expect(stored.ok && setupOf(stored.value).tuning.trainingSet).toEqual({ ...changed.trainingSet, method: 'fiat' });
    expect(notes).toEqual([expect.stringMatching(/^Task "sample:xquad_xling", tuning setting trainingSet\.method: .*; the default "fiat" is used$/)]);
  });
});

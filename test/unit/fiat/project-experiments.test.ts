import { describe, expect, it } from 'vitest';
import { itemsFor, markDone, type Experiment, type ExperimentResult } from '../../../src/fiat/experiments/queue.ts';
import { expandGrid } from '../../../src/fiat/experiments/spec.ts';
import { skippedSummary } from '../../../src/fiat/project/experiments-repair.ts';
import { buildProjectFile, parseProjectFile, serializeProjectFile } from '../../../src/fiat/project/project-file.ts';
import { newProject, PROJECT_SCHEMA_VERSION } from '../../../src/fiat/project/project.ts';
import { readStoredProject } from '../../../src/fiat/project/project-file.ts';
import { emptyReasoningCacheExport } from '../../../src/fiat/reasoning/cache-export.ts';
import { accuracyEvaluation, final, grid, traitsOf } from './experiments/fixtures.ts';

const now = new Date('2026-12-03T23:00:00Z');
const noCache = emptyReasoningCacheExport();

/** An experiment of the fixtures' grid with its first item done, and that item's result. */
async function experimentWithResult(id = 'exp-1'): Promise<{ experiment: Experiment; result: ExperimentResult }> {
  const queued: Experiment = { id, taskId: 'sample:xor_attriqa', name: 'FIAT vs ICL', createdAt: 1, updatedAt: 2, items: await itemsFor(await expandGrid(grid(), traitsOf)) };
  const first = queued.items[0]!;
  const experiment = markDone(queued, first.id, null);
  return { experiment, result: { key: first.key, taskId: queued.taskId, runId: null, evaluations: final(accuracyEvaluation(3, 4), 0), finishedAt: 3 } };
}

describe('experiments in the project file (schema version 6)', () => {
  it('round-trips the experiments with their queue items and the results of their items', async () => {
    const { experiment, result } = await experimentWithResult();
    const file = buildProjectFile(newProject(), [], [], noCache, now, [], { experiments: [experiment], results: [result] });
    expect(file.schemaVersion).toBe(6);
    const skipped: string[] = [];
    const read = parseProjectFile(serializeProjectFile(file), [], skipped);
    expect(read).toEqual({ ok: true, value: file });
    expect(skipped).toEqual([]);
    if (!read.ok) return;
    expect(read.value.experiments).toEqual([experiment]);
    expect(read.value.experimentResults).toEqual([result]);
  });

  it('reads a v5 file, which had no experiments, as one with none; a v5 stored project migrates unchanged', () => {
    const file = buildProjectFile(newProject(), [], [], noCache, now);
    const { experiments: _e, experimentResults: _r, ...v5 } = { ...file, schemaVersion: 5, project: { ...file.project, schemaVersion: 5 } };
    const skipped: string[] = [];
    const read = parseProjectFile(JSON.stringify(v5), [], skipped);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.value.experiments).toEqual([]);
    expect(read.value.experimentResults).toEqual([]);
    expect(read.value.project).toEqual(file.project);
    expect(skipped).toEqual([]);
    const stored = readStoredProject({ ...file.project, schemaVersion: 5 });
    expect(stored).toEqual({ ok: true, value: { ...file.project, schemaVersion: PROJECT_SCHEMA_VERSION } });
  });

  it('leaves out a damaged experiment or result with a note naming it, and imports the rest', async () => {
    const { experiment, result } = await experimentWithResult();
    const file = buildProjectFile(newProject(), [], [], noCache, now, [], { experiments: [experiment], results: [result] });
    const damagedItem = { ...experiment, id: 'exp-2', name: 'Broken', items: [{ ...experiment.items[0]!, status: 'flying' }] };
    const damagedResult = { ...result, key: 'f00dfeedbeef0123456789', runId: 'run-9', evaluations: [{ step: 0, evaluation: { accuracy: 1 } }] };
    const raw = { ...file, experiments: [experiment, damagedItem, { name: 'no id' }], experimentResults: [damagedResult, result] };
    const skipped: string[] = [];
    const read = parseProjectFile(JSON.stringify(raw), [], skipped);
    expect(read.ok && read.value.experiments).toEqual([experiment]);
    expect(read.ok && read.value.experimentResults).toEqual([result]);
    expect(skipped).toHaveLength(3);
    expect(skipped[0]).toMatch(/^experiment "Broken" \(exp-2\) is damaged at items\.0\.status: /);
    expect(skipped[1]).toMatch(/^experiment number 3 \("no id"\) is damaged at id: /);
    expect(skipped[2]).toMatch(/^result f00dfeedbeef… of run run-9 is damaged at evaluations\.0\.evaluation: not an evaluation/);
    expect(skippedSummary(skipped)).toContain('experiment "Broken" (exp-2)');
  });

  it('a file whose experiments are not a list is damaged as a whole', () => {
    const file = buildProjectFile(newProject(), [], [], noCache, now);
    const read = parseProjectFile(JSON.stringify({ ...file, experiments: 'many' }));
    expect(read.ok ? '' : read.error).toMatch(/^The project file is damaged at experiments: /);
  });
});

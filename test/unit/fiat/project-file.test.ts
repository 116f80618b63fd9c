import { describe, expect, it } from 'vitest';
import {
  buildProjectFile, parseProjectFile, PROJECT_FILE_FORMAT, readStoredProject, serializeProjectFile,
} from '../../../src/fiat/project/project-file.ts';
import { chooseTask, newProject, PROJECT_SCHEMA_VERSION, setupOf, type Project } from '../../../src/fiat/project/project.ts';
import { defaultReasoningSettings } from '../../../src/fiat/project/reasoning-settings.ts';
import { defaultTuningSettings } from '../../../src/fiat/project/tuning-settings.ts';
import { DEFAULT_ANSWER_PATTERN_SETTINGS } from '../../../src/fiat/reasoning/answer-pattern.ts';
import type { ReasoningCacheEntry } from '../../../src/fiat/reasoning/cache.ts';
import type { StoredRun } from '../../../src/fiat/storage/tuning-repository.ts';
import { emptyReasoningCacheExport, toReasoningCacheExport } from '../../../src/fiat/reasoning/cache-export.ts';
import type { Task } from '../../../src/fiat/task/task.ts';
import { defaultProviderSettings } from '../../../src/providers/settings.ts';

const dataset: Task = {
  id: 'imported:abc', name: 'Mine', description: '', spec: { kind: 'extractive-qa', noAnswer: 'none' }, metrics: ['token-f1'],
  attribution: { source: 'me', licence: 'not stated' },
  examples: [{ id: 'e1', split: 'train', lang: 'und', question: 'q', passage: 'p', answer: null }],
};
const version = { id: 'v1', taskId: 'imported:abc', role: 'tau' as const, name: 'first', text: 'T {{question}}', createdAt: 1 };
const now = new Date('2026-05-01T10:00:00Z');
const noCache = emptyReasoningCacheExport();
const KEY = 'sk-unit-made-up-key-9988776655';

const hex = (n: number) => n.toString(16).padStart(64, '0');
const entry: ReasoningCacheEntry = {
  key: hex(1), endpoint: 'http://127.0.0.1:11434/v1', model: 'llama3.1:8b', params: { temperature: 0, maxTokens: 256, stop: ['\n\n'] },
  promptHash: hex(2), reasoning: 'The passage says so. So the answer is supported.', finishReason: 'stop',
  usage: { promptTokens: 10, completionTokens: 9, estimated: false }, latencyMs: 120, createdAt: 1_700_000_000_000,
};

function projectWithProvider(): Project {
  const provider = defaultProviderSettings({ id: 'provider-1', presetId: 'ollama', baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3.1:8b', pricePerMillion: { input: 0.1, output: 0.2 } });
  const project = newProject();
  const tasks = { [project.taskId]: { ...setupOf(project), answerPattern: { source: 'Answer: (.+)', caseSensitive: true } } };
  return { ...project, tasks, reasoning: { ...defaultReasoningSettings(), provider, onlyAgreeing: true } };
}

const exemplar = {
  id: 'x1', exampleId: 'e1', lang: 'ja', question: 'q', passage: 'p', answer: 'a', reasoning: 'Because the passage says so.', label: '1',
};
const settings = { filters: { split: 'train', lang: 'ja', label: 'all', search: 'tokyo' }, selectedExampleId: 'e1' };
const instructions = { beta: 'My I_β {{question}} {{exemplars}}', tau: 'My I_τ {{reasoning}}' };

/** A version 1 project, as issue 2's studio saved and exported it. */
function v1Project(): Record<string, unknown> {
  return { schemaVersion: 1, taskId: 'sample:xor_attriqa', instructions, exemplars: [exemplar], settings };
}

/** A version 2 project: one set of instructions, exemplars and answer pattern for whichever task. */
function v2Project(taskId: string): Record<string, unknown> {
  const { provider: _provider, ...reasoning } = defaultReasoningSettings();
  return {
    schemaVersion: 2, taskId, instructions, exemplars: [exemplar], settings,
    reasoning: { ...reasoning, provider: null, onlyAgreeing: true, answerPattern: { source: 'Label: (.+)', caseSensitive: true } },
  };
}

describe('project file', () => {
  it('round-trips project, versions, datasets and the reasoning cache', () => {
    const project = chooseTask(projectWithProvider(), 'imported:abc', 'extractive-qa');
    const file = buildProjectFile(project, [version], [dataset], toReasoningCacheExport([entry]), now);
    const back = parseProjectFile(serializeProjectFile(file));
    expect(back).toEqual({ ok: true, value: file });
    expect(back.ok && back.value.reasoningCache.entries).toEqual([entry]);
    expect(back.ok && back.value.project.reasoning.provider?.pricePerMillion).toEqual({ input: 0.1, output: 0.2 });
  });

  it('refuses to build a file with an unlisted (secret) field', () => {
    const project = { ...newProject(), apiKey: 'sk-secret' };
    expect(() => buildProjectFile(project, [], [], noCache, now)).toThrow();
    // Nor inside the provider settings, nor in its parameters.
    const withKey = projectWithProvider();
    const provider = { ...withKey.reasoning.provider!, apiKey: KEY };
    expect(() => buildProjectFile({ ...withKey, reasoning: { ...withKey.reasoning, provider } }, [], [], noCache, now)).toThrow();
    const params = { ...withKey.reasoning.provider!.params, apiKey: KEY };
    const inParams = { ...withKey.reasoning.provider!, params };
    expect(() => buildProjectFile({ ...withKey, reasoning: { ...withKey.reasoning, provider: inParams } }, [], [], noCache, now)).toThrow();
  });

  it('refuses a base URL that could carry a key (query string, credentials) or is not normalised', () => {
    const base = projectWithProvider();
    for (const baseUrl of [`http://127.0.0.1:8000/v1?key=${KEY}`, `http://user:${KEY}@127.0.0.1/v1`, 'http://127.0.0.1:8000/v1/']) {
      const provider = { ...base.reasoning.provider!, baseUrl };
      expect(() => buildProjectFile({ ...base, reasoning: { ...base.reasoning, provider } }, [], [], noCache, now), baseUrl).toThrow();
    }
  });

  it('drops whatever a cache entry carries beyond its fields', () => {
    const cache = { ...toReasoningCacheExport([entry]), entries: [{ ...entry, apiKey: KEY }] };
    const text = serializeProjectFile(buildProjectFile(newProject(), [], [], cache, now));
    expect(text).not.toContain(KEY);
    expect(text).toContain(entry.reasoning);
  });

  it('contains only the listed keys', () => {
    const text = serializeProjectFile(buildProjectFile(projectWithProvider(), [version], [dataset], noCache, now));
    expect(text).not.toMatch(/"(apiKey|api_key|key|secret|token|password|authorization)"/i);
  });

  it('gives one clear message for files that are not projects', () => {
    const message = (text: string) => {
      const r = parseProjectFile(text);
      return r.ok ? 'ok' : r.error;
    };
    expect(message('not json')).toBe('This file is not JSON, so it is not a fiat-studio project file.');
    expect(message('{"name":"package"}')).toContain('not a fiat-studio project file');
    expect(message(JSON.stringify({ format: PROJECT_FILE_FORMAT, schemaVersion: 99 }))).toContain('newer studio');
    const file = buildProjectFile(newProject(), [], [], noCache, now);
    const setup = { ...setupOf(file.project), instructions: { beta: 1, tau: '' } };
    expect(message(JSON.stringify({ ...file, project: { ...file.project, tasks: { [file.project.taskId]: setup } } }))).toMatch(
      /damaged at project\.tasks\.sample:xor_attriqa\.instructions\.beta/,
    );
    expect(message(JSON.stringify({ ...file, project: { ...file.project, tasks: {} } }))).toMatch(/damaged at project\.tasks: the chosen task has no setup/);
    expect(message(JSON.stringify({ ...file, project: chooseTask(file.project, 'imported:gone', 'classification') }))).toContain('imported:gone');
    expect(message(JSON.stringify({ ...file, extra: 1 }))).toMatch(/damaged/);
    const badEntry = { ...file, reasoningCache: { ...file.reasoningCache, entries: [{ ...entry, key: 'short' }] } };
    expect(message(JSON.stringify(badEntry))).toMatch(/damaged at reasoningCache\.entries\.0\.key/);
  });

  it('reads a stored project, and reports a damaged one', () => {
    expect(readStoredProject(newProject())).toEqual({ ok: true, value: newProject() });
    expect(readStoredProject({ ...newProject(), exemplars: 'x' })).toMatchObject({ ok: false });
    const newer = readStoredProject({ schemaVersion: PROJECT_SCHEMA_VERSION + 1 });
    expect(newer.ok ? '' : newer.error).toContain('newer studio');
  });
});

describe('migration to schema version 3', () => {
  it('moves a stored v2 project’s instructions, exemplars and answer pattern into its task’s setup, losing nothing', () => {
    const read = readStoredProject(v2Project('sample:xor_attriqa'));
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.value.schemaVersion).toBe(PROJECT_SCHEMA_VERSION);
    expect(read.value.settings).toEqual(settings);
    expect(read.value.reasoning).toEqual({ ...defaultReasoningSettings(), onlyAgreeing: true });
    expect(read.value.tasks).toEqual({
      'sample:xor_attriqa': {
        instructions, exemplars: [exemplar], answerPattern: { source: 'Label: (.+)', caseSensitive: true },
        answerSynonyms: expect.objectContaining({ '1': expect.arrayContaining(['yes']) as unknown, '0': expect.arrayContaining(['no']) as unknown }) as unknown,
        tuning: defaultTuningSettings(),
      },
    });
  });

  it('gives an imported task’s v2 setup no answer synonyms', () => {
    const read = readStoredProject(v2Project('imported:abc'));
    expect(read.ok && read.value.tasks['imported:abc']?.answerSynonyms).toEqual({});
  });

  it('migrates a v2 project file: its project, and each version gets the project’s task', () => {
    const { taskId: _taskId, ...oldVersion } = version;
    const v2 = {
      format: PROJECT_FILE_FORMAT, schemaVersion: 2, exportedAt: now.toISOString(), project: v2Project('imported:abc'),
      versions: [oldVersion], datasets: [dataset], reasoningCache: toReasoningCacheExport([entry]),
    };
    const read = parseProjectFile(JSON.stringify(v2));
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.value.schemaVersion).toBe(PROJECT_SCHEMA_VERSION);
    expect(read.value.project.tasks['imported:abc']).toMatchObject({ instructions, exemplars: [exemplar] });
    expect(read.value.versions).toEqual([version]);
    expect(read.value.reasoningCache.entries).toEqual([entry]);
  });
});

describe('migration from schema version 1', () => {
  it('takes a stored v1 project through both steps: default reasoning settings, its text in its task’s setup', () => {
    const read = readStoredProject(v1Project());
    expect(read).toEqual({
      ok: true,
      value: {
        schemaVersion: PROJECT_SCHEMA_VERSION, taskId: 'sample:xor_attriqa', settings, reasoning: defaultReasoningSettings(),
        tasks: { 'sample:xor_attriqa': { instructions, exemplars: [exemplar], answerPattern: DEFAULT_ANSWER_PATTERN_SETTINGS, answerSynonyms: expect.any(Object) as unknown, tuning: defaultTuningSettings() } },
      },
    });
    expect(read.ok && read.value.reasoning).toMatchObject({ provider: null, onlyAgreeing: false, concurrency: 4 });
  });

  it('migrates a v1 project file: its project, versions with the project’s task, and an empty reasoning cache', () => {
    const { taskId: _taskId, ...oldVersion } = version;
    const v1 = {
      format: PROJECT_FILE_FORMAT, schemaVersion: 1, exportedAt: now.toISOString(),
      project: { ...v1Project(), taskId: 'imported:abc' }, versions: [oldVersion], datasets: [dataset],
    };
    const read = parseProjectFile(JSON.stringify(v1));
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.value.schemaVersion).toBe(PROJECT_SCHEMA_VERSION);
    expect(read.value.project.tasks).toEqual({
      'imported:abc': { instructions, exemplars: [exemplar], answerPattern: DEFAULT_ANSWER_PATTERN_SETTINGS, answerSynonyms: {}, tuning: defaultTuningSettings() },
    });
    expect(read.value.project.reasoning).toEqual(defaultReasoningSettings());
    expect(read.value.reasoningCache.entries).toEqual([]);
    expect(read.value.versions).toEqual([version]);
  });

  it('reports a damaged v1 file at its place after migrating', () => {
    const v1 = { format: PROJECT_FILE_FORMAT, schemaVersion: 1, exportedAt: '', project: { ...v1Project(), exemplars: 3 }, versions: [], datasets: [] };
    const read = parseProjectFile(JSON.stringify(v1));
    expect(read.ok ? '' : read.error).toMatch(/damaged at project\.tasks\.sample:xor_attriqa\.exemplars/);
  });
});

/** A finished run with one evaluation, as the tuning repository stores it. */
const run: StoredRun = {
  id: 'run-1', taskId: 'imported:abc', createdAt: 1_700_000_000_000, updatedAt: 1_700_000_100_000,
  model: { label: 'demo/llama@abc', repo: 'demo/llama', revision: 'abc' }, settings: { rank: 8, ep: 'webgpu' },
  tauVersion: 'v1', dataHash: 'f00d', status: 'done', step: 4, totalSteps: 4,
  losses: [{ step: 1, loss: 2.5 }, { step: 4, loss: 1.25 }],
  evaluations: [{ step: 4, result: { report: { kind: 'extractive-qa', metrics: ['exact-match'] }, predictions: [{ exampleId: 'e1', lang: 'und', output: null }] } }],
};

describe('tuning runs in the project file (schema version 4)', () => {
  it('round-trips the runs: settings, curves and evaluations as they were', () => {
    const file = buildProjectFile(chooseTask(newProject(), 'imported:abc', 'extractive-qa'), [version], [dataset], noCache, now, [run]);
    const read = parseProjectFile(serializeProjectFile(file));
    expect(read).toEqual({ ok: true, value: file });
    expect(read.ok && read.value.runs).toEqual([run]);
  });

  it('reads a v3 file, which had no runs, as one with none', () => {
    const file = buildProjectFile(chooseTask(newProject(), 'imported:abc', 'extractive-qa'), [version], [dataset], noCache, now);
    const { runs: _runs, ...v3 } = { ...file, schemaVersion: 3, project: { ...file.project, schemaVersion: 3 } };
    const read = parseProjectFile(JSON.stringify(v3));
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.value.runs).toEqual([]);
    expect(read.value.project).toEqual(file.project);
  });

  it('carries the evaluations made after a run, with their split and model state, and records of evaluations without a run', () => {
    const notEvaluated = { noGold: 0, noReasoning: 2, tooLong: 1 };
    const tagged: StoredRun = {
      ...run,
      evaluations: [...run.evaluations, { step: 4, result: run.evaluations[0]!.result, tag: { split: 'test', sample: 20, state: { kind: 'run' }, asked: 20, notEvaluated, at: 5 } }],
    };
    const base: StoredRun = {
      ...run, id: 'run-2', kind: 'evaluations', step: 0, totalSteps: 1, losses: [],
      evaluations: [{ step: 0, result: run.evaluations[0]!.result, tag: { split: 'train', sample: null, state: { kind: 'imported', from: 'adapter/' }, asked: 9, notEvaluated, at: 6 } }],
    };
    const file = buildProjectFile(chooseTask(newProject(), 'imported:abc', 'extractive-qa'), [version], [dataset], noCache, now, [tagged, base]);
    const read = parseProjectFile(serializeProjectFile(file));
    expect(read.ok && read.value.runs).toEqual([tagged, base]);
  });

  it('names a damaged run by its id, and where it is damaged', () => {
    const file = buildProjectFile(chooseTask(newProject(), 'imported:abc', 'extractive-qa'), [version], [dataset], noCache, now, [run]);
    const damaged = { ...file, runs: [run, { ...run, id: 'run-2', status: 'flying' }] };
    const read = parseProjectFile(JSON.stringify(damaged));
    expect(read.ok ? '' : read.error).toMatch(/^The project file's run "run-2" is damaged at status: /);
    const nameless = parseProjectFile(JSON.stringify({ ...file, runs: [3] }));
    expect(nameless.ok ? '' : nameless.error).toMatch(/^The project file's run number 1 is damaged at \(the run itself\)/);
  });
});

import { describe, expect, it } from 'vitest';
import {
  buildProjectFile, parseProjectFile, PROJECT_FILE_FORMAT, readStoredProject, serializeProjectFile,
} from '../../../src/fiat/project/project-file.ts';
import { newProject, type Project } from '../../../src/fiat/project/project.ts';
import { defaultReasoningSettings } from '../../../src/fiat/project/reasoning-settings.ts';
import type { ReasoningCacheEntry } from '../../../src/fiat/reasoning/cache.ts';
import { emptyReasoningCacheExport, toReasoningCacheExport } from '../../../src/fiat/reasoning/cache-export.ts';
import type { Task } from '../../../src/fiat/task/task.ts';
import { defaultProviderSettings } from '../../../src/providers/settings.ts';

const dataset: Task = {
  id: 'imported:abc', name: 'Mine', description: '', spec: { kind: 'extractive-qa', noAnswer: 'none' }, metrics: ['token-f1'],
  attribution: { source: 'me', licence: 'not stated' },
  examples: [{ id: 'e1', split: 'train', lang: 'und', question: 'q', passage: 'p', answer: null }],
};
const version = { id: 'v1', role: 'tau' as const, name: 'first', text: 'T {{question}}', createdAt: 1 };
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
  return { ...newProject(), reasoning: { ...defaultReasoningSettings(), provider, onlyAgreeing: true, answerPattern: { source: 'Answer: (.+)', caseSensitive: true } } };
}

/** A version 1 project, as issue 2's studio saved and exported it. */
function v1Project(): Record<string, unknown> {
  const { reasoning: _reasoning, ...rest } = newProject();
  return { ...rest, schemaVersion: 1 };
}

describe('project file', () => {
  it('round-trips project, versions, datasets and the reasoning cache', () => {
    const project = { ...projectWithProvider(), taskId: 'imported:abc' };
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
    expect(message(JSON.stringify({ ...file, project: { ...file.project, instructions: { beta: 1 } } }))).toMatch(
      /damaged at project\.instructions\.beta/,
    );
    expect(message(JSON.stringify({ ...file, project: { ...file.project, taskId: 'imported:gone' } }))).toContain('imported:gone');
    expect(message(JSON.stringify({ ...file, extra: 1 }))).toMatch(/damaged/);
    const badEntry = { ...file, reasoningCache: { ...file.reasoningCache, entries: [{ ...entry, key: 'short' }] } };
    expect(message(JSON.stringify(badEntry))).toMatch(/damaged at reasoningCache\.entries\.0\.key/);
  });

  it('reads a stored project, and reports a damaged one', () => {
    expect(readStoredProject(newProject())).toEqual({ ok: true, value: newProject() });
    expect(readStoredProject({ ...newProject(), exemplars: 'x' })).toMatchObject({ ok: false });
    const newer = readStoredProject({ schemaVersion: 3 });
    expect(newer.ok ? '' : newer.error).toContain('newer studio');
  });
});

describe('migration from schema version 1', () => {
  it('gives a stored v1 project the default reasoning settings and keeps everything else', () => {
    const old = { ...v1Project(), instructions: { beta: 'My I_β {{question}}', tau: 'My I_τ {{reasoning}}' } };
    const read = readStoredProject(old);
    expect(read).toEqual({ ok: true, value: { ...old, schemaVersion: 2, reasoning: defaultReasoningSettings() } });
    expect(read.ok && read.value.reasoning).toMatchObject({ provider: null, onlyAgreeing: false, concurrency: 4 });
  });

  it('migrates a v1 project file: its project, and an empty reasoning cache', () => {
    const v1 = {
      format: PROJECT_FILE_FORMAT, schemaVersion: 1, exportedAt: now.toISOString(),
      project: { ...v1Project(), taskId: 'imported:abc' }, versions: [version], datasets: [dataset],
    };
    const read = parseProjectFile(JSON.stringify(v1));
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.value.schemaVersion).toBe(2);
    expect(read.value.project).toEqual({ ...v1.project, schemaVersion: 2, reasoning: defaultReasoningSettings() });
    expect(read.value.reasoningCache.entries).toEqual([]);
    expect(read.value.versions).toEqual([version]);
  });

  it('reports a damaged v1 file at its place after migrating', () => {
    const v1 = { format: PROJECT_FILE_FORMAT, schemaVersion: 1, exportedAt: '', project: { ...v1Project(), exemplars: 3 }, versions: [], datasets: [] };
    const read = parseProjectFile(JSON.stringify(v1));
    expect(read.ok ? '' : read.error).toMatch(/damaged at project\.exemplars/);
  });
});

import { describe, expect, it } from 'vitest';
import {
  buildProjectFile, parseProjectFile, PROJECT_FILE_FORMAT, readStoredProject, serializeProjectFile,
} from '../../../src/fiat/project/project-file.ts';
import { newProject } from '../../../src/fiat/project/project.ts';
import type { Task } from '../../../src/fiat/task/task.ts';

const dataset: Task = {
  id: 'imported:abc', name: 'Mine', description: '', spec: { kind: 'extractive-qa', noAnswer: 'none' }, metrics: ['token-f1'],
  attribution: { source: 'me', licence: 'not stated' },
  examples: [{ id: 'e1', split: 'train', lang: 'und', question: 'q', passage: 'p', answer: null }],
};
const version = { id: 'v1', role: 'tau' as const, name: 'first', text: 'T {{question}}', createdAt: 1 };
const now = new Date('2026-05-01T10:00:00Z');

describe('project file', () => {
  it('round-trips project, versions and datasets', () => {
    const project = { ...newProject(), taskId: 'imported:abc' };
    const file = buildProjectFile(project, [version], [dataset], now);
    const back = parseProjectFile(serializeProjectFile(file));
    expect(back).toEqual({ ok: true, value: file });
  });

  it('refuses to build a file with an unlisted (secret) field', () => {
    const project = { ...newProject(), apiKey: 'sk-secret' };
    expect(() => buildProjectFile(project, [], [], now)).toThrow();
  });

  it('contains only the listed keys', () => {
    const text = serializeProjectFile(buildProjectFile(newProject(), [version], [dataset], now));
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
    const file = buildProjectFile(newProject(), [], [], now);
    expect(message(JSON.stringify({ ...file, project: { ...file.project, instructions: { beta: 1 } } }))).toMatch(
      /damaged at project\.instructions\.beta/,
    );
    expect(message(JSON.stringify({ ...file, project: { ...file.project, taskId: 'imported:gone' } }))).toContain('imported:gone');
    expect(message(JSON.stringify({ ...file, extra: 1 }))).toMatch(/damaged/);
  });

  it('reads a stored project, and reports a damaged one', () => {
    expect(readStoredProject(newProject())).toEqual({ ok: true, value: newProject() });
    expect(readStoredProject({ ...newProject(), exemplars: 'x' })).toMatchObject({ ok: false });
    const newer = readStoredProject({ schemaVersion: 2 });
    expect(newer.ok ? '' : newer.error).toContain('newer studio');
  });
});

import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { buildProjectFile } from '../../../src/fiat/project/project-file.ts';
import { newProject, setupOf } from '../../../src/fiat/project/project.ts';
import { CURRENT_PROJECT_KEY, ProjectDatabase } from '../../../src/fiat/storage/project-db.ts';
import { createProjectRepository } from '../../../src/fiat/storage/project-repository.ts';
import type { Task } from '../../../src/fiat/task/task.ts';
import { emptyReasoningCacheExport } from '../../../src/fiat/reasoning/cache-export.ts';

const dataset = (id: string, name: string): Task => ({
  id, name, description: '', spec: { kind: 'extractive-qa', noAnswer: 'none' }, metrics: ['token-f1'],
  attribution: { source: 'me', licence: 'not stated' },
  examples: [{ id: 'e1', split: 'train', lang: 'und', question: 'q', passage: 'p', answer: null }],
});

let n = 0;
const dbs: ProjectDatabase[] = [];
function fresh() {
  const db = new ProjectDatabase(`test-${n++}`);
  dbs.push(db);
  return { db, repo: createProjectRepository(db) };
}
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
});

describe('project repository', () => {
  it('saves and loads the project', async () => {
    const { repo } = fresh();
    expect(await repo.loadProject()).toEqual({ status: 'none' });
    const base = newProject();
    const project = { ...base, tasks: { [base.taskId]: { ...setupOf(base), instructions: { beta: 'b', tau: 't' } } } };
    await repo.saveProject(project);
    expect(await repo.loadProject()).toEqual({ status: 'loaded', project });
  });

  it('keeps an unreadable stored project aside instead of losing it', async () => {
    const { db, repo } = fresh();
    await db.project.put({ schemaVersion: 1, broken: true }, CURRENT_PROJECT_KEY);
    const loaded = await repo.loadProject();
    expect(loaded.status).toBe('unreadable');
    if (loaded.status !== 'unreadable') return;
    expect(await db.project.get(loaded.keptAs)).toEqual({ schemaVersion: 1, broken: true });
  });

  it('lists versions per task and role, newest first, and deletes them', async () => {
    const { repo } = fresh();
    const task = 'sample:xor_attriqa';
    await repo.saveVersion({ id: 'a', taskId: task, role: 'tau', name: 'old', text: '1', createdAt: 1 });
    await repo.saveVersion({ id: 'b', taskId: task, role: 'tau', name: 'new', text: '2', createdAt: 2 });
    await repo.saveVersion({ id: 'c', taskId: task, role: 'beta', name: 'b', text: '3', createdAt: 3 });
    await repo.saveVersion({ id: 'd', taskId: 'sample:xquad_xling', role: 'tau', name: 'qa', text: '4', createdAt: 4 });
    expect((await repo.listVersions(task, 'tau')).map((v) => v.id)).toEqual(['b', 'a']);
    expect((await repo.listVersions('sample:xquad_xling', 'tau')).map((v) => v.id)).toEqual(['d']);
    await repo.deleteVersion('b');
    expect((await repo.listVersions(task, 'tau')).map((v) => v.id)).toEqual(['a']);
    await expect(repo.saveVersion({ id: '', taskId: task, role: 'tau', name: '', text: '', createdAt: 1 })).rejects.toThrow();
  });

  it('gives versions stored before tasks had versions the stored project’s task (database upgrade)', async () => {
    const name = `test-${n++}`;
    const old = new Dexie(name);
    old.version(1).stores({ project: '', versions: 'id, role, createdAt', datasets: 'id' });
    await old.table('project').put({ schemaVersion: 2, taskId: 'imported:abc' }, CURRENT_PROJECT_KEY);
    await old.table('versions').put({ id: 'a', role: 'beta', name: 'old', text: 'mine', createdAt: 1 });
    old.close();
    const db = new ProjectDatabase(name);
    dbs.push(db);
    const versions = await createProjectRepository(db).listVersions('imported:abc', 'beta');
    expect(versions).toEqual([{ id: 'a', taskId: 'imported:abc', role: 'beta', name: 'old', text: 'mine', createdAt: 1 }]);
  });

  it('stores datasets and lists them without examples', async () => {
    const { repo } = fresh();
    await repo.saveDataset(dataset('imported:b', 'Beta'));
    await repo.saveDataset(dataset('imported:a', 'Alpha'));
    const list = await repo.listDatasets();
    expect(list.map((d) => d.name)).toEqual(['Alpha', 'Beta']);
    expect(list[0]).not.toHaveProperty('examples');
    expect((await repo.getDataset('imported:a'))?.examples).toHaveLength(1);
    await repo.deleteDataset('imported:a');
    expect(await repo.getDataset('imported:a')).toBeUndefined();
  });

  it('replaces everything with an imported file', async () => {
    const { repo } = fresh();
    await repo.saveVersion({ id: 'old', taskId: 'sample:xor_attriqa', role: 'tau', name: 'old', text: '', createdAt: 1 });
    await repo.saveDataset(dataset('imported:old', 'Old'));
    const project = newProject('imported:new', 'extractive-qa');
    const file = buildProjectFile(project, [{ id: 'v', taskId: 'imported:new', role: 'beta', name: 'n', text: 't', createdAt: 5 }], [dataset('imported:new', 'New')], emptyReasoningCacheExport(), new Date());
    await repo.replaceAll(file);
    expect(await repo.loadProject()).toEqual({ status: 'loaded', project });
    const contents = await repo.exportContents();
    expect(contents.versions.map((v) => v.id)).toEqual(['v']);
    expect(contents.datasets.map((d) => d.id)).toEqual(['imported:new']);
  });
});

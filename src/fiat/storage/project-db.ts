import { Dexie, type EntityTable, type Table } from 'dexie';
import { isRecord } from '../project/migrations.ts';
import type { InstructionVersion } from '../project/versions.ts';
import { DEFAULT_TASK_ID } from '../task/samples.ts';
import type { Task } from '../task/task.ts';

/**
 * The studio's IndexedDB database (the reasoning cache keeps its own). Tables:
 * - project:  one row, key 'current': the project as last saved (validated on read, never trusted);
 * - versions: named instruction versions, looked up by task and role;
 * - datasets: imported tasks with their examples.
 */
export class ProjectDatabase extends Dexie {
  project!: Table<unknown, string>;
  versions!: EntityTable<InstructionVersion, 'id'>;
  datasets!: EntityTable<Task, 'id'>;

  constructor(name = 'fiat-studio-project') {
    super(name);
    this.version(1).stores({ project: '', versions: 'id, role, createdAt', datasets: 'id' });
    // 2 (project schema 3): versions belong to a task; those saved before get the stored project's task.
    this.version(2)
      .stores({ versions: 'id, [taskId+role], createdAt' })
      .upgrade(async (tx) => {
        const project: unknown = await tx.table('project').get(CURRENT_PROJECT_KEY);
        const taskId = isRecord(project) && typeof project.taskId === 'string' ? project.taskId : DEFAULT_TASK_ID;
        await tx.table<Record<string, unknown>>('versions').toCollection().modify((version) => {
          version.taskId ??= taskId;
        });
      });
  }
}

export const CURRENT_PROJECT_KEY = 'current';

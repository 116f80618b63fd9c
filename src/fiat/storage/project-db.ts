import { Dexie, type EntityTable, type Table } from 'dexie';
import type { InstructionVersion } from '../project/versions.ts';
import type { Task } from '../task/task.ts';

/**
 * The studio's IndexedDB database (the reasoning cache keeps its own). Tables:
 * - project:  one row, key 'current': the project as last saved (validated on read, never trusted);
 * - versions: named instruction versions;
 * - datasets: imported tasks with their examples.
 */
export class ProjectDatabase extends Dexie {
  project!: Table<unknown, string>;
  versions!: EntityTable<InstructionVersion, 'id'>;
  datasets!: EntityTable<Task, 'id'>;

  constructor(name = 'fiat-studio-project') {
    super(name);
    this.version(1).stores({ project: '', versions: 'id, role, createdAt', datasets: 'id' });
  }
}

export const CURRENT_PROJECT_KEY = 'current';

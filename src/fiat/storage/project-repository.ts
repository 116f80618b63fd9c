import { readStoredProject, type ProjectFile } from '../project/project-file.ts';
import type { Project } from '../project/project.ts';
import { InstructionVersionSchema, sortVersions, type InstructionVersion } from '../project/versions.ts';
import { TaskSchema, type Task, type TaskInfo } from '../task/task.ts';
import type { InstructionRole } from '../template/variables.ts';
import { CURRENT_PROJECT_KEY, ProjectDatabase } from './project-db.ts';

export type LoadedProject =
  | { status: 'none' }
  /** `repaired`: damaged tuning settings that got their defaults, one note each (present only when there are some). */
  | { status: 'loaded'; project: Project; repaired?: string[] }
  /** The stored project could not be read; it was copied aside under `keptAs`, not deleted. */
  | { status: 'unreadable'; message: string; keptAs: string };

/** Persistence of the project, its instruction versions and imported datasets. */
export interface ProjectRepository {
  loadProject(): Promise<LoadedProject>;
  saveProject(project: Project): Promise<void>;
  /** A task's saved versions of one instruction, newest first. */
  listVersions(taskId: string, role: InstructionRole): Promise<InstructionVersion[]>;
  saveVersion(version: InstructionVersion): Promise<void>;
  deleteVersion(id: string): Promise<void>;
  /** Imported datasets without their examples (for pickers). */
  listDatasets(): Promise<TaskInfo[]>;
  getDataset(id: string): Promise<Task | undefined>;
  saveDataset(task: Task): Promise<void>;
  deleteDataset(id: string): Promise<void>;
  /** Everything an export holds: versions of both roles and all imported datasets. */
  exportContents(): Promise<{ versions: InstructionVersion[]; datasets: Task[] }>;
  /** Replace project, versions and datasets with a file's, in one transaction (all or nothing). */
  replaceAll(file: ProjectFile): Promise<void>;
}

export function createProjectRepository(db: ProjectDatabase = new ProjectDatabase()): ProjectRepository {
  return {
    async loadProject() {
      const raw = await db.project.get(CURRENT_PROJECT_KEY);
      if (raw === undefined) return { status: 'none' };
      const repaired: string[] = [];
      const read = readStoredProject(raw, repaired);
      if (read.ok) return { status: 'loaded', project: read.value, ...(repaired.length > 0 ? { repaired } : {}) };
      const keptAs = `unreadable-${Date.now()}`;
      await db.project.put(raw, keptAs);
      return { status: 'unreadable', message: read.error, keptAs };
    },
    async saveProject(project) {
      await db.project.put(project, CURRENT_PROJECT_KEY);
    },
    async listVersions(taskId, role) {
      const rows = await db.versions.where('[taskId+role]').equals([taskId, role]).toArray();
      return sortVersions(rows.filter((r) => InstructionVersionSchema.safeParse(r).success));
    },
    async saveVersion(version) {
      await db.versions.put(InstructionVersionSchema.parse(version));
    },
    async deleteVersion(id) {
      await db.versions.delete(id);
    },
    async listDatasets() {
      const infos: TaskInfo[] = [];
      await db.datasets.each((task) => {
        const { examples: _examples, ...info } = task;
        infos.push(info);
      });
      return infos.sort((a, b) => a.name.localeCompare(b.name));
    },
    async getDataset(id) {
      const task = await db.datasets.get(id);
      if (task === undefined) return undefined;
      const parsed = TaskSchema.safeParse(task);
      if (!parsed.success) throw new Error(`The stored dataset "${id}" is damaged: ${parsed.error.issues[0]?.message ?? ''}`);
      return parsed.data;
    },
    async saveDataset(task) {
      await db.datasets.put(task);
    },
    async deleteDataset(id) {
      await db.datasets.delete(id);
    },
    async exportContents() {
      const [versions, datasets] = await Promise.all([db.versions.toArray(), db.datasets.toArray()]);
      return { versions: sortVersions(versions), datasets };
    },
    async replaceAll(file) {
      await db.transaction('rw', db.project, db.versions, db.datasets, async () => {
        await db.versions.clear();
        await db.datasets.clear();
        await db.project.put(file.project, CURRENT_PROJECT_KEY);
        await db.versions.bulkPut(file.versions);
        await db.datasets.bulkPut(file.datasets);
      });
    },
  };
}

import { createProjectRepository, type ProjectRepository } from '../../fiat/storage/project-repository.ts';

/** The studio's one project repository (IndexedDB via Dexie; the database opens on first use). */
export const repository: ProjectRepository = createProjectRepository();

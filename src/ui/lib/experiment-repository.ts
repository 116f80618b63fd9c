import { createExperimentRepository, type ExperimentRepository } from '../../fiat/storage/experiment-repository.ts';

/** The studio's one experiments repository: queues and results (IndexedDB via Dexie; the database opens on first use). */
export const experimentRepository: ExperimentRepository = createExperimentRepository();

import { createTuningRepository, type TuningRepository } from '../../fiat/storage/tuning-repository.ts';

/** The studio's one tuning repository: runs and checkpoints (IndexedDB via Dexie; the database opens on first use). */
export const tuningRepository: TuningRepository = createTuningRepository();

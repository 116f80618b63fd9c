import { z } from 'zod';
import { RunSettingsSchema, TrainingShapesSchema } from '../../../../fiat/project/tuning-settings.ts';
import { setupOf, type Project } from '../../../../fiat/project/project.ts';
import { studioStore } from '../../../state/store.ts';

/**
 * The run settings every cell of an experiment trains with, taken from the Tuning tab when the experiment is made
 * (spec.ts RunSpec.settings holds it, so its key covers it and a queued run is built the same after a reload or a
 * change on the Tuning tab): the run's settings but its seed (each cell has its own: RunSpec.seed), the shapes, the
 * chat template choice and the project's only-agreeing option.
 */
export const SettingsSnapshotSchema = z.strictObject({
  run: RunSettingsSchema.omit({ seed: true }),
  shapes: TrainingShapesSchema,
  /** Apply the small model's chat template (when it has one). */
  chatTemplate: z.boolean(),
  /** Train only on examples whose reasoning agrees with gold (methods that read the reasoning). */
  onlyAgreeing: z.boolean(),
});
export type SettingsSnapshot = z.infer<typeof SettingsSnapshotSchema>;

/** The snapshot of the chosen task's Tuning tab as it is now. */
export function settingsSnapshot(project: Project = studioStore.getState().project): SettingsSnapshot {
  const { tuning } = setupOf(project);
  const { seed: _seed, ...run } = tuning.run;
  return { run, shapes: tuning.shapes, chatTemplate: tuning.trainingSet.chatTemplate, onlyAgreeing: project.reasoning.onlyAgreeing };
}

/** A spec's settings as a snapshot; throws with what is wrong when they are not one (an older studio's). */
export function snapshotOf(settings: Readonly<Record<string, unknown>>): SettingsSnapshot {
  const parsed = SettingsSnapshotSchema.safeParse(settings);
  if (!parsed.success) throw new Error(`this experiment's run settings cannot be read (${parsed.error.issues[0]?.message ?? 'invalid'}): make a new experiment`);
  return parsed.data;
}

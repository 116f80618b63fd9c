import { z } from 'zod';
import { INSTRUCTION_ROLES } from '../template/variables.ts';

/** A named snapshot of one instruction (I_β or I_τ) of one task, saved by the user. */
export const InstructionVersionSchema = z.strictObject({
  id: z.string().min(1),
  /** The task whose instruction it is (versions from before schema 3 got the project's task). */
  taskId: z.string().min(1),
  role: z.enum(INSTRUCTION_ROLES),
  name: z.string().min(1),
  text: z.string(),
  /** Milliseconds since the epoch. */
  createdAt: z.number().int().nonnegative(),
});
export type InstructionVersion = z.infer<typeof InstructionVersionSchema>;

/** Newest first, ties by name. */
export function sortVersions(versions: readonly InstructionVersion[]): InstructionVersion[] {
  return [...versions].sort((a, b) => b.createdAt - a.createdAt || a.name.localeCompare(b.name));
}

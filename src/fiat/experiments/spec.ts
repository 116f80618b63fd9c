import { z } from 'zod';
import { canonicalJson, sha256Hex } from '../reasoning/cache-key.ts';

/**
 * An experiment's runs: the grid method × base model × I_τ version × training-set size × seed, expanded into run
 * specs, each with a stable key. The key is a SHA-256 of everything that determines the run's result, so a finished
 * run with the same key (in this experiment or another) is reused instead of computed again (queue.ts, schedule.ts).
 *
 * What the key covers:
 * - a method that trains: what it trains (its recipe: two methods with one recipe, fine-tune and the ablation without
 *   instruction-augmented tuning, train the same thing and share a key), the tuned model's repo@revision, the I_τ text
 *   (its hash) when the method reads I_τ, the data hash, the training-set size, the seed and the settings;
 * - a method that does not train (ICL: θ_β's parsed answers): the method id, the data hash and the settings only.
 *   Its result is the same whatever the small model, I_τ, size or seed, so every grid cell of it shares one key
 *   and is computed once.
 * The caller's `dataHash` must cover every input the methods read besides those: the train and validation examples,
 * the reasoning ŷ_β (and θ_β's parsed answers), and how a training subset of a size is drawn for a seed. `KEY_VERSION`
 * changes whenever what goes into the key changes, so old results are simply not found.
 */
const KEY_VERSION = 2;

export const ModelRefSchema = z.object({
  /** Hub repo id, or the demo's id ("fiat-studio/demo"). */
  repo: z.string().min(1),
  /** A commit (a branch name keys results by the branch, which may move), or the demo's hash of its files. */
  revision: z.string().min(1),
  /** What the user sees ("owner/name@revision"). */
  label: z.string().min(1),
});
export type ModelRef = z.infer<typeof ModelRefSchema>;

export const TauRefSchema = z.object({
  /** The version's name as the user saved it (tables group by it). */
  label: z.string(),
  /** SHA-256 of the text (what the key uses). */
  hash: z.string().min(1),
  /** The I_τ text itself, so a queued run can be built after a reload. */
  text: z.string(),
});
export type TauRef = z.infer<typeof TauRefSchema>;

export const RunSpecSchema = z.object({
  /** A method id of the experiments' catalogue ('fiat', 'fine-tune', 'icl', 'no-cot', ...). */
  method: z.string().min(1),
  /** The grid's model: what results are grouped by (also for the ablation that tunes its base checkpoint). */
  model: ModelRefSchema,
  /** Whether the method trains the small model. */
  trains: z.boolean(),
  /** What a training method trains (methods.ts trainingRecipe): the key's, so methods that train alike share results. */
  recipe: z.string().min(1).optional(),
  /** False for a method whose input has no I_τ (its key leaves the I_τ text out); absent: it reads I_τ. */
  readsTau: z.boolean().optional(),
  /**
   * The weights that are tuned: the grid's model, or its base checkpoint for the ablation without an instruction-tuned
   * base; null when the method trains nothing, or when it needs a base checkpoint that was not named (`missingInputs`).
   */
  tunedModel: ModelRefSchema.nullable(),
  tau: TauRefSchema,
  /** Training examples drawn for this run. */
  size: z.number().int().min(1),
  seed: z.number().int(),
  dataHash: z.string().min(1),
  /** Run settings as the user chose them (steps, learning rate, LoRA, evaluation), the same for every cell. */
  settings: z.record(z.string(), z.unknown()),
});
export type RunSpec = z.infer<typeof RunSpecSchema>;

/** What the grid needs to know about a method (the experiments' catalogue says it). */
export interface MethodTraits {
  /** False for a method whose predictions need no training (ICL). */
  readonly trains: boolean;
  /** True for the ablation without an instruction-tuned base: it tunes the base checkpoint named for the model. */
  readonly usesBaseCheckpoint: boolean;
  /** What it trains, when two methods train alike (the key uses it instead of the method id). */
  readonly recipe?: string;
  /** False when its input has no I_τ: every I_τ version of it is one run. */
  readonly readsTau?: boolean;
}

export interface GridModel {
  readonly model: ModelRef;
  /** The model's checkpoint before instruction tuning, as the user names it; null when none is named. */
  readonly baseCheckpoint: ModelRef | null;
}

export interface ExperimentGrid {
  readonly methods: readonly string[];
  readonly models: readonly GridModel[];
  readonly tauVersions: readonly { readonly label: string; readonly text: string }[];
  readonly sizes: readonly number[];
  readonly seeds: readonly number[];
  readonly dataHash: string;
  readonly settings: Readonly<Record<string, unknown>>;
}

/** The grid's cells in a stable order: method, then model, I_τ version, size, seed (the order the queue runs them). */
export async function expandGrid(grid: ExperimentGrid, traitsOf: (method: string) => MethodTraits): Promise<RunSpec[]> {
  const taus = await Promise.all(grid.tauVersions.map(async (t) => ({ label: t.label, text: t.text, hash: await sha256Hex(t.text) })));
  const specs: RunSpec[] = [];
  for (const method of grid.methods) {
    const traits = traitsOf(method);
    for (const { model, baseCheckpoint } of grid.models) {
      const tunedModel = !traits.trains ? null : traits.usesBaseCheckpoint ? baseCheckpoint : model;
      for (const tau of taus)
        for (const size of grid.sizes)
          for (const seed of grid.seeds)
            specs.push({
              method,
              model,
              trains: traits.trains,
              ...(traits.recipe === undefined ? {} : { recipe: traits.recipe }),
              ...(traits.readsTau === undefined ? {} : { readsTau: traits.readsTau }),
              tunedModel,
              tau,
              size,
              seed,
              dataHash: grid.dataHash,
              settings: { ...grid.settings },
            });
    }
  }
  return specs;
}

/** The fields the key hashes (see the module comment). */
export function keyFields(spec: RunSpec): Record<string, unknown> {
  const common = { v: KEY_VERSION, method: spec.trains ? (spec.recipe ?? spec.method) : spec.method, data: spec.dataHash, settings: spec.settings };
  if (!spec.trains) return common;
  const tuned = spec.tunedModel ? `${spec.tunedModel.repo}@${spec.tunedModel.revision}` : null;
  return { ...common, model: tuned, ...(spec.readsTau === false ? {} : { tau: spec.tau.hash }), size: spec.size, seed: spec.seed };
}

export function specKey(spec: RunSpec): Promise<string> {
  return sha256Hex(canonicalJson(keyFields(spec)));
}

/** Identifies a grid cell within one experiment (two cells may share a key; no two share a cell). */
export function cellId(spec: RunSpec): string {
  return JSON.stringify([spec.method, spec.model.label, spec.tau.hash, spec.size, spec.seed]);
}

/** What a run lacks before it can start, in the user's words; null when nothing is missing. */
export function missingInputs(spec: RunSpec): string | null {
  if (spec.trains && spec.tunedModel === null) {
    return `${spec.method} tunes the base checkpoint of ${spec.model.label} (before instruction tuning): name it first`;
  }
  return null;
}

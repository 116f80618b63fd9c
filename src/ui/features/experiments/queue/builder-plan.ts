import type { MemoryEstimate } from '../../../../engine/engine.ts';
import { type Availability, type AvailabilityContext, methodAvailability } from '../../../../fiat/experiments/availability.ts';
import { type Method, type MethodId, METHODS, methodById, methodTraits } from '../../../../fiat/experiments/methods.ts';

/**
 * The queue builder's decisions as pure functions (QueueBuilder.tsx renders them): which methods can be ticked and how
 * deep each sits in the ablation chain, the I_τ versions the grid gets, how many runs the grid makes, and why the
 * Queue button is disabled.
 */

/** What availability.ts reads, less the base checkpoint: the builder asks for that in its own field (below). */
export type BuilderAvailability = Omit<AvailabilityContext, 'baseCheckpoint'>;

/** The full-weight memory query's state (experiment-queries.ts fullWeightMemory), as react-query's result has it. */
export interface FullWeightMemoryQuery {
  readonly data?: MemoryEstimate | undefined;
  readonly error?: Error | null;
}

/**
 * What the builder knows of training all weights on the loaded model: the engine's estimate, or why there is none
 * (no model loaded, still estimating, the estimate failed), which the two full-weight methods then give as the reason
 * they cannot be ticked.
 */
export function builderAvailability(modelLabel: string | null, memory: FullWeightMemoryQuery): BuilderAvailability {
  if (modelLabel === null) return { fullWeightMemory: { missing: 'Load a small model on the Tuning tab: training all weights is offered when its memory estimate fits this device.' } };
  if (memory.data) return { fullWeightMemory: memory.data };
  if (memory.error) return { fullWeightMemory: { missing: `The memory of training all weights of ${modelLabel} could not be estimated: ${memory.error.message}` } };
  return { fullWeightMemory: { missing: `Estimating the memory of training all weights of ${modelLabel}…` } };
}

export interface MethodRow {
  readonly method: Method;
  /** Steps down Table 3's chain from FIAT (`ablates`): 0 for the rest, 1 for w/o CoT, 2 for w/o instruction, … */
  readonly depth: number;
  readonly availability: Availability;
}

/**
 * The catalogue in its order, each with its depth and whether it can be ticked. The base checkpoint is left out of
 * the check on purpose: its field shows once the method is ticked (and holds the queue until filled), so a method
 * disabled until the field is filled could never be ticked.
 */
export function methodRows(context: BuilderAvailability): MethodRow[] {
  return METHODS.map((method) => ({
    method,
    depth: ablationDepth(method),
    availability: methodAvailability(method, { ...context, baseCheckpoint: 'named in its own field' }),
  }));
}

function ablationDepth(method: Method): number {
  let depth = 0;
  for (let above = method.ablates; above !== null; above = methodById(above).ablates) depth++;
  return depth;
}

/** Whether the ticked methods need the base checkpoint field (the ablation without an instruction-tuned base). */
export function needsBaseCheckpoint(methods: readonly MethodId[]): boolean {
  return methods.some((id) => methodById(id).training?.base === 'base-checkpoint');
}

/** The label of the I_τ in the editor, as tables and exports show it. */
export const CURRENT_TAU_LABEL = 'current';

export interface TauOption {
  /** 'current', or a saved version's id. */
  readonly id: string;
  readonly label: string;
  readonly text: string;
}

/**
 * The I_τ versions the grid gets, in the options' order, from the ticked ones. Two with the same text would make the
 * same cells (spec.ts cellId hashes the text), so the later is left out and named in `sameAs` for the form to say so.
 * Labels are made distinct ("name (2)") since tables group runs by label.
 */
export function chosenTauVersions(
  options: readonly TauOption[],
  ticked: ReadonlySet<string>,
): { versions: { label: string; text: string }[]; sameAs: Map<string, string> } {
  const versions: { label: string; text: string }[] = [];
  const sameAs = new Map<string, string>();
  const labels = new Set<string>();
  for (const option of options) {
    if (!ticked.has(option.id)) continue;
    const twin = versions.find((v) => v.text === option.text);
    if (twin) {
      sameAs.set(option.id, twin.label);
      continue;
    }
    let label = option.label;
    for (let n = 2; labels.has(label); n++) label = `${option.label} (${n})`;
    labels.add(label);
    versions.push({ label, text: option.text });
  }
  return { versions, sameAs };
}

export interface RunCount {
  /** Runs the queue makes: every training cell, and one for ICL however many cells it has. */
  readonly runs: number;
  /** Of them, those that train the small model. */
  readonly training: number;
}

/**
 * What the grid costs, as the queue's keys see it (spec.ts keyFields via methods.ts methodTraits): a training method
 * is a run per I_τ version (only when it reads I_τ), size and seed, and two methods that train alike (fine-tune and w/o
 * instruction-augmented tuning) share those runs; a method that trains nothing (ICL) is one run for all its cells.
 */
export function runCount(methods: readonly MethodId[], tauVersions: number, sizes: number, seeds: number): RunCount {
  if (tauVersions * sizes * seeds === 0) return { runs: 0, training: 0 };
  let runs = 0;
  let training = 0;
  const recipes = new Set<string>();
  for (const id of methods) {
    const traits = methodTraits(id);
    if (!traits.trains) {
      runs += 1;
      continue;
    }
    const recipe = `${traits.recipe ?? id}/${traits.readsTau === false ? '' : 'tau'}`;
    if (recipes.has(recipe)) continue;
    recipes.add(recipe);
    const cells = (traits.readsTau === false ? 1 : tauVersions) * sizes * seeds;
    runs += cells;
    training += cells;
  }
  return { runs, training };
}

export function runCountLine({ runs, training }: RunCount): string {
  return `${runs} run${runs === 1 ? '' : 's'} (${training} train${training === 1 ? 's' : ''} the small model)`;
}

export interface BuilderState {
  readonly modelLabel: string | null;
  readonly methods: readonly MethodId[];
  readonly tauVersions: number;
  /** The fields with an error, by their label ("Sizes", "Seeds", "Base checkpoint"). */
  readonly fieldErrors: readonly string[];
  readonly busy: boolean;
}

/** Why the Queue button is disabled, in the user's words; null when it is enabled. The first reason found is given. */
export function queueBlocker(state: BuilderState): string | null {
  if (state.modelLabel === null) return 'Load a small model on the Tuning tab.';
  if (state.methods.length === 0) return 'Tick at least one method.';
  if (state.tauVersions === 0) return 'Tick at least one I_τ version.';
  if (state.fieldErrors.length > 0) return `Fix ${state.fieldErrors.join(', ')} first (see the message under the field).`;
  if (state.busy) return 'Adding the runs to the queue…';
  return null;
}

import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useMemo, useState } from 'react';
import type { MethodId } from '../../../../fiat/experiments/methods.ts';
import { sortVersions } from '../../../../fiat/project/versions.ts';
import type { Task } from '../../../../fiat/task/task.ts';
import { useTaskSetup } from '../../../state/use-task-setup.ts';
import { versionQueries } from '../../editors/versions-queries.ts';
import { fullWeightMemoryQuery } from '../experiment-queries.ts';
import type { GridChoices } from '../grid-choices.ts';
import {
  builderAvailability,
  chosenTauVersions,
  CURRENT_TAU_LABEL,
  methodRows,
  needsBaseCheckpoint,
  queueBlocker,
  runCount,
  runCountLine,
  type TauOption,
} from './builder-plan.ts';
import { parseBaseCheckpoint, parseSeeds, parseSizes } from './grid-fields.ts';
import { MethodChoices } from './MethodChoices.tsx';
import { ParsedField } from './ParsedField.tsx';
import { TauChoices } from './TauChoices.tsx';

export interface QueueBuilderProps {
  /** The task whose saved I_τ versions are offered (the current I_τ is the chosen task's). */
  task: Pick<Task, 'id'>;
  /** The small model loaded on the Tuning tab ("owner/name@revision"); null: none, and nothing can be queued. */
  modelLabel: string | null;
  /** Examples in the train split: the largest size, and what "all" means. */
  trainCount: number;
  /** Adds the grid's runs to a new experiment (queue-session.ts). The form keeps its choices afterwards. */
  onQueue: (choices: GridChoices) => void;
  /** While the session adds the runs: the button waits. */
  busy?: boolean;
}

/** Table 2's comparison (ICL, fine-tuning, FIAT): what a first experiment runs. */
const FIRST_METHODS: readonly MethodId[] = ['icl', 'fine-tune', 'fiat'];

/**
 * The queue builder: an experiment's grid, method × I_τ version × training-set size × seed, on the loaded model, with
 * a live count of its runs. Everything typed stays as typed; a field that does not parse says why under itself and
 * holds the Queue button, which says why it is disabled.
 */
export function QueueBuilder({ task, modelLabel, trainCount, onQueue, busy = false }: QueueBuilderProps) {
  const headingId = useId();
  const reasonId = useId();
  const shapes = useTaskSetup((s) => s.tuning.shapes);
  const { data: estimate, error: estimateError } = useQuery(fullWeightMemoryQuery(modelLabel, shapes));
  const rows = useMemo(() => methodRows(builderAvailability(modelLabel, { data: estimate, error: estimateError })), [modelLabel, estimate, estimateError]);
  const [name, setName] = useState('');
  const [ticked, setTicked] = useState<ReadonlySet<MethodId>>(() => new Set(FIRST_METHODS));
  const [tauTicked, setTauTicked] = useState<ReadonlySet<string>>(() => new Set([CURRENT_TAU_LABEL]));
  const [sizesText, setSizesText] = useState('all');
  const [seedsText, setSeedsText] = useState('1');
  const [baseText, setBaseText] = useState('');

  const currentTau = useTaskSetup((s) => s.instructions.tau);
  const saved = useQuery(versionQueries.list(task.id, 'tau'));
  const tauOptions = useMemo<TauOption[]>(
    () => [{ id: CURRENT_TAU_LABEL, label: CURRENT_TAU_LABEL, text: currentTau }, ...sortVersions(saved.data ?? []).map((v) => ({ id: v.id, label: v.name, text: v.text }))],
    [currentTau, saved.data],
  );
  const versionsProblem = saved.isPending ? 'Reading the saved versions…' : saved.error ? `Could not read the saved versions: ${saved.error.message}` : null;

  // A method that cannot run is never chosen, even if it was ticked before it became unavailable.
  const methods = rows.filter((r) => r.availability.available && ticked.has(r.method.id)).map((r) => r.method.id);
  const taus = chosenTauVersions(tauOptions, tauTicked);
  const sizes = parseSizes(sizesText, trainCount);
  const seeds = parseSeeds(seedsText);
  const askBase = needsBaseCheckpoint(methods);
  const base = parseBaseCheckpoint(baseText);
  const fieldErrors = [!sizes.ok && 'Sizes', !seeds.ok && 'Seeds', askBase && !base.ok && 'Base checkpoint'].filter((f) => f !== false);
  const blocker = queueBlocker({ modelLabel, methods, tauVersions: taus.versions.length, fieldErrors, busy });
  const count = runCount(methods, taus.versions.length, sizes.ok ? sizes.value.length : 0, seeds.ok ? seeds.value.length : 0);

  const toggle = <T,>(set: ReadonlySet<T>, item: T, on: boolean): ReadonlySet<T> => {
    const next = new Set(set);
    if (on) next.add(item);
    else next.delete(item);
    return next;
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (blocker !== null || !sizes.ok || !seeds.ok) return;
    onQueue({
      name: name.trim(),
      methods,
      tauVersions: taus.versions,
      sizes: sizes.value,
      seeds: seeds.value,
      baseCheckpoint: askBase && base.ok ? base.value : null,
    });
  };

  return (
    <form className="reasoning-section queue-builder" aria-labelledby={headingId} onSubmit={submit}>
      <h3 id={headingId}>New experiment</h3>
      <p className="muted">Model: {modelLabel ?? 'none loaded'} · train split: {trainCount} example{trainCount === 1 ? '' : 's'}. Each run uses the Tuning tab&apos;s run settings.</p>
      <label className="field">
        <span>Experiment name</span>
        <input type="text" value={name} placeholder="named by date when empty" onChange={(e) => setName(e.target.value)} />
      </label>
      <MethodChoices rows={rows} ticked={ticked} onToggle={(id, on) => setTicked((s) => toggle(s, id, on))} />
      <TauChoices options={tauOptions} ticked={tauTicked} sameAs={taus.sameAs} versionsProblem={versionsProblem} onToggle={(id, on) => setTauTicked((s) => toggle(s, id, on))} />
      <ParsedField
        label="Training-set sizes"
        text={sizesText}
        onText={setSizesText}
        parsed={sizes}
        placeholder="16, 64, all"
        describe={(v) => `= ${v.join(', ')} examples`}
        hint={`Examples drawn from the train split per run, comma-separated; "all" is all ${trainCount}.`}
      />
      <ParsedField
        label="Seeds"
        text={seedsText}
        onText={setSeedsText}
        parsed={seeds}
        placeholder="1, 2"
        describe={(v) => `= ${v.length} seed${v.length === 1 ? '' : 's'}: ${v.join(', ')}`}
        hint="Each seed draws its own training subset and data order; tables show the mean and spread over seeds."
      />
      {askBase && (
        <ParsedField
          label="Base checkpoint"
          text={baseText}
          onText={setBaseText}
          parsed={base}
          placeholder="HuggingFaceTB/SmolLM2-135M@main"
          describe={(v) => `= ${v.label}`}
          hint="The loaded model's checkpoint before instruction tuning, as repo@revision (a commit pins it; a branch may move)."
        />
      )}
      <p role="status">{runCountLine(count)}</p>
      <div className="row-actions">
        <button type="submit" disabled={blocker !== null} aria-describedby={reasonId}>
          Queue
        </button>
        <small id={reasonId} className="muted">
          {blocker ?? 'Adds the runs to a new experiment; finished identical runs are reused, not recomputed.'}
        </small>
      </div>
    </form>
  );
}

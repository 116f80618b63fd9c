import { useState } from 'react';
import { trlExport } from '../../../fiat/experiments/export/trl-export.ts';
import { loraMethodFor } from '../../../fiat/experiments/methods.ts';
import type { TrainingSet } from '../../../fiat/training-set/build.ts';
import { downloadBytes } from '../../lib/download.ts';
import { useSmallModel } from '../../lib/tuning-engine.ts';
import { zipFiles } from '../../lib/zip.ts';
import type { CountedBudget } from './budget-query.ts';
import { runPlanOf } from './run-plan.ts';
import { useRunSettings } from './run-settings-store.ts';
import { useTrainingSetChoices, useTrainingShapes } from './tuning-store.ts';

export interface TrlExportButtonProps {
  readonly set: TrainingSet;
  /** The section's token budget of the set (the Run section trains its pairs); undefined until counted. */
  readonly budget: CountedBudget | undefined;
  /** The budget shown is an older one being counted again. */
  readonly stale: boolean;
  /** Whether the chat template is applied (the tab's choice and the model has one). */
  readonly chatTemplate: boolean;
}

/**
 * "Export for TRL": the training set exactly as the Run section would train it now (the budget's pairs, passages cut
 * with the loaded model's tokenizer) with the run's LoRA and SFT settings, train.py and a README, as one zip
 * (fiat/experiments/export/trl-export.ts builds the files). Disabled, with the reason, until that set exists.
 */
export function TrlExportButton({ set, budget, stale, chatTemplate }: TrlExportButtonProps) {
  const { info } = useSmallModel();
  const { method } = useTrainingSetChoices();
  const [shapes] = useTrainingShapes();
  const settings = useRunSettings();
  const [error, setError] = useState<string | null>(null);
  const counted = budget?.report.examples.filter((e) => e.plainPair !== null) ?? [];
  const why =
    info === null
      ? 'Load a small model above: the set is cut to the sequence length with its tokenizer, as a run trains it.'
      : !set.ok
        ? 'There is no training set until I_τ can be used (see above).'
        : budget === undefined || stale || budget.tokenizerName === null
          ? 'Counting the training set with the model’s tokenizer…'
          : counted.length === 0
            ? 'The training set is empty (see the counts above).'
            : null;

  const exportFiles = () => {
    setError(null);
    if (why !== null || info === null) return;
    try {
      const pairs = counted.flatMap((e) => (e.plainPair ? [e.plainPair] : []));
      // The export reads no execution provider: the plan's EP is the one field it leaves aside.
      const run = runPlanOf(shapes, settings, pairs.length, { ep: 'webgpu' });
      const out = trlExport({ method: loraMethodFor(method), model: info.base, pairs, chatTemplate, templatedExample: chatTemplate ? (counted[0]?.pair ?? null) : null, run });
      downloadBytes(out.fileName, zipFiles(Object.fromEntries(out.files.map((f) => [f.name, f.text]))), 'application/zip');
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <div className="button-row">
      <button type="button" disabled={why !== null} onClick={exportFiles}>
        Export for TRL
      </button>
      <span className="muted">
        {why ?? `A zip of ${counted.length.toLocaleString()} training pairs (train.jsonl), the LoRA and SFT configs, train.py and a README, for TRL on a GPU server.`}
      </span>
      {error && (
        <p className="field-error" role="alert">
          The export failed: {error}
        </p>
      )}
    </div>
  );
}

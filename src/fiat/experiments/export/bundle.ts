import type { Method } from '../methods.ts';
import { loraConfigJson } from './lora-config.ts';
import { sftConfigJson, type SftRun } from './sft-config.ts';
import { trainScript } from './train-script.ts';
import { type ExportPair, trainingJsonl } from './training-jsonl.ts';

/**
 * A run as files to take to a GPU server (issue 20 "Exports"): train.jsonl, lora_config.json (LoRA runs only),
 * sft_config.json and train.py, each a pure function of the run (the files' texts; UTF-8 when written).
 * scripts/fixtures/check_experiment_export.py checks that Python's datasets, peft and trl load them and train a step.
 */
export interface RunExportInput {
  readonly method: Method;
  readonly model: { readonly name: string; readonly revision: string | null };
  /** The training pairs as trained: after the passage cuts, before any chat template. */
  readonly pairs: readonly ExportPair[];
  /** Whether the run applied the model's chat template (the JSONL is then TRL's conversational format). */
  readonly chatTemplate: boolean;
  /** The run's plan (its setup's LoRA settings make lora_config.json). */
  readonly run: SftRun;
}

export interface ExportFile {
  readonly name: string;
  readonly text: string;
}

export function runExportFiles(input: RunExportInput): ExportFile[] {
  const training = input.method.training;
  if (training === null) throw new Error(`${input.method.paperName} trains nothing: there is no training run to export`);
  const format = input.chatTemplate ? 'conversational' : 'text';
  return [
    { name: 'train.jsonl', text: trainingJsonl(input.pairs, format) },
    ...(training.tuning === 'lora' ? [{ name: 'lora_config.json', text: loraConfigJson(input.run.setup.lora) }] : []),
    { name: 'sft_config.json', text: sftConfigJson(input.run) },
    { name: 'train.py', text: trainScript({ method: input.method, model: input.model, format, examples: input.pairs.length, run: input.run }) },
  ];
}

import type { Method } from '../methods.ts';
import { type ExportFile, runExportFiles } from './bundle.ts';
import { describeSftRun, type SftRun } from './sft-config.ts';
import { pipInstall } from './train-script.ts';
import type { ExportPair } from './training-jsonl.ts';

/**
 * "Export for TRL": a run's files (bundle.ts runExportFiles: train.jsonl, lora_config.json for LoRA, sft_config.json,
 * train.py) and a README.txt that states the chat template used, the model as repo@revision and the exact command.
 * Pure, so the Tuning tab (the run its Run section would start now) and the Experiments tab (any queued run) build the
 * same archive from the same inputs; the caller zips the files (ui/lib/zip.ts) and names the archive `fileName`.
 */
/** The command that runs the export's train.py: PEFT is installed for a LoRA run only. */
export function trlCommand(method: Method): string {
  return `${pipInstall(method)} && python train.py`;
}

export interface TrlExportInput {
  readonly method: Method;
  /** The model the run tunes: a Hub repo id (or the studio's label for a demo or local model) and its revision. */
  readonly model: { readonly name: string; readonly revision: string | null };
  /** The pairs as the run trains them: passages cut to the sequence length, before any chat template. */
  readonly pairs: readonly ExportPair[];
  /** Whether the run applies the model's chat template (train.jsonl is then TRL's conversational format). */
  readonly chatTemplate: boolean;
  /** The first pair as the studio rendered it with the chat template (what the engine gets), to show in the README. */
  readonly templatedExample?: ExportPair | null;
  readonly run: SftRun;
}

export interface TrlExport {
  readonly fileName: string;
  /** runExportFiles' files, then README.txt. */
  readonly files: ExportFile[];
}

export function trlExport(input: TrlExportInput): TrlExport {
  const files = runExportFiles(input);
  return { fileName: `trl-${input.method.id}-${slug(input.model.name)}.zip`, files: [...files, { name: 'README.txt', text: readme(input, files) }] };
}

/** The model as the README names it: repo@revision, or the label with why there is no revision. */
export function modelRefText(model: TrlExportInput['model']): string {
  return model.revision ? `${model.name}@${model.revision}` : `${model.name} (no Hub revision: not a Hub model; pass --model NAME_OR_PATH to train.py)`;
}

const FILE_LINES: Record<string, string> = {
  'train.jsonl': 'the training pairs, one {"prompt", "completion"} per line',
  'lora_config.json': "peft.LoraConfig(**json): the run's LoRA r, alpha and target modules",
  'sft_config.json': "trl.SFTConfig(**json): the run's steps, learning-rate schedule, batch, sequence length and seed",
  'train.py': "loads the three and runs TRL's SFTTrainer (python train.py --help for its options)",
};

function readme(input: TrlExportInput, files: readonly ExportFile[]): string {
  const { method, run } = input;
  const template = input.chatTemplate
    ? [
        "Chat template: the model's own (its tokenizer's chat_template at the revision above). train.jsonl is TRL's",
        'conversational prompt-completion format, so TRL applies that template as the studio did: the prompt as one user',
        "turn with the generation prompt, the completion as the assistant's turn.",
        ...(input.templatedExample
          ? ['The first pair as the studio rendered it with the template:', '  prompt:', indent(input.templatedExample.prompt), '  completion:', indent(input.templatedExample.completion)]
          : []),
      ]
    : ['Chat template: none. train.jsonl is plain prompt-completion text, as the studio trained it; TRL appends the EOS token.'];
  const lines = [
    `fiat-studio: "${method.paperName}" for TRL on a GPU server`,
    '',
    `Method: ${method.paperName}. ${method.description}`,
    `Model: ${modelRefText(input.model)}`,
    ...template,
    `Training set: ${input.pairs.length} pair${input.pairs.length === 1 ? '' : 's'}, as the studio trains them (passages cut to ${run.setup.seqLen} tokens).`,
    `Settings: ${describeSftRun(run)}`,
    '',
    'Files:',
    ...files.map((f) => `  ${f.name.padEnd(17)}${FILE_LINES[f.name] ?? ''}`),
    '',
    'Run it (in this folder):',
    `  ${trlCommand(method)}`,
    '',
  ];
  return lines.join('\n');
}

const indent = (text: string) => text.split('\n').map((line) => `    | ${line}`).join('\n');

/** A file-name part from a model name ("HuggingFaceTB/SmolLM2-135M" -> "SmolLM2-135M"). */
function slug(name: string): string {
  const last = name.split('/').at(-1) ?? name;
  return last.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'model';
}

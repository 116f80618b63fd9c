import type { Method } from '../methods.ts';
import type { JsonlFormat } from './training-jsonl.ts';
import { describeSftRun, type SftRun } from './sft-config.ts';

/**
 * train.py: a short script that reproduces a studio run with TRL's SFTTrainer on a GPU server, from the files next
 * to it (train.jsonl, sft_config.json and, for LoRA, lora_config.json). It states the data format and the chat
 * template in its header; the model defaults to the run's and can be swapped (`--model`, e.g. a larger checkpoint or
 * a local folder). A run that trains all weights (the ablations without parameter-efficient tuning) uses no PEFT at
 * all: no LoraConfig, no peft_config, no peft to install; SFTTrainer then trains every weight, as the studio did. Strings are written as JSON string literals, which are Python literals too.
 */
export interface TrainScriptInput {
  readonly method: Method;
  /** The model the run tuned: a Hub repo id (or a local label), and its revision. */
  readonly model: { readonly name: string; readonly revision: string | null };
  readonly format: JsonlFormat;
  readonly examples: number;
  readonly run: SftRun;
}

export function trainScript(input: TrainScriptInput): string {
  const { method, model, run } = input;
  const lora = method.training?.tuning === 'lora';
  const data =
    input.format === 'conversational'
      ? "TRL's conversational prompt-completion format: TRL applies the model's chat template (the studio's did too)"
      : 'prompt-completion text, no chat template (as the studio trained it); TRL appends the EOS token';
  const lines = [
    `# fiat-studio: "${method.paperName}" on ${model.name}${model.revision ? `@${model.revision}` : ''}, with TRL's SFTTrainer.`,
    `#   train.jsonl       ${input.examples} examples, ${data}; loss on the completion only`,
    ...(lora ? ['#   lora_config.json  peft.LoraConfig (the studio\'s LoRA settings)'] : ['#   (all weights are trained: no LoRA)']),
    `#   sft_config.json   trl.SFTConfig: ${describeSftRun(run)}`,
    `# ${pipInstall(method)}; python train.py [--model NAME_OR_PATH] [--output-dir DIR] [--max-steps N] [--cpu]`,
    `# On n GPUs (accelerate launch train.py), divide gradient_accumulation_steps by n to keep batch ${run.setup.batchSize}.`,
    'import argparse, json, os',
    'from datasets import load_dataset',
    ...(lora ? ['from peft import LoraConfig'] : []),
    'from trl import SFTConfig, SFTTrainer',
    '',
    'here = os.path.dirname(os.path.abspath(__file__))',
    'parser = argparse.ArgumentParser()',
    `parser.add_argument("--model", default=${JSON.stringify(model.name)})`,
    `parser.add_argument("--revision", default=${JSON.stringify(model.revision ?? '')})`,
    `parser.add_argument("--output-dir", default=${JSON.stringify(`${method.id}-${lora ? 'adapter' : 'model'}`)})`,
    'parser.add_argument("--max-steps", type=int, default=None, help="fewer steps, e.g. 1 for a smoke test")',
    'parser.add_argument("--cpu", action="store_true", help="no GPU: float32 on the CPU, for a smoke test")',
    'args = parser.parse_args()',
    'config = json.load(open(os.path.join(here, "sft_config.json")))',
    'if args.max_steps is not None:',
    '    config["max_steps"] = args.max_steps',
    'if args.cpu:',
    '    config.update(use_cpu=True, bf16=False)',
    'if args.revision:',
    '    config["model_init_kwargs"] = {"revision": args.revision}',
    'dataset = load_dataset("json", data_files=os.path.join(here, "train.jsonl"), split="train")',
    ...(lora
      ? [
          'peft_config = LoraConfig(**json.load(open(os.path.join(here, "lora_config.json"))))',
          'trainer = SFTTrainer(model=args.model, args=SFTConfig(output_dir=args.output_dir, **config), train_dataset=dataset, peft_config=peft_config)',
        ]
      : ['trainer = SFTTrainer(model=args.model, args=SFTConfig(output_dir=args.output_dir, **config), train_dataset=dataset)']),
    'trainer.train()',
    'trainer.save_model(args.output_dir)',
  ];
  return `${lines.join('\n')}\n`;
}

/** What the run's script needs installed: PEFT only for a LoRA run. */
export function pipInstall(method: Method): string {
  return method.training?.tuning === 'lora' ? 'pip install trl peft datasets' : 'pip install trl datasets';
}

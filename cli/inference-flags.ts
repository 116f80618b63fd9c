import type { Engine, InferenceOptions } from '../src/engine/engine.ts';
import { EXECUTION_PROVIDERS } from '../src/runtime/backend.ts';
import { oneOf, positiveInt, required } from './args.ts';
import { readAdapterDir } from './adapter-dir.ts';
import { readJsonl } from './jsonl.ts';
import { modelDirSource } from './model-dir.ts';

/** The flags `fiat generate` and `fiat score` share; spread into a command's parseFlags options. */
export const inferenceFlagOptions = {
  model: { type: 'string' },
  adapter: { type: 'string' },
  input: { type: 'string' },
  ep: { type: 'string' },
  threads: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export interface InferencePlan {
  readonly modelDir: string;
  readonly inputPath: string;
  readonly lines: ReturnType<typeof readJsonl>;
  /** Where and with which adapter the engine runs: the base model without --adapter. */
  readonly options: InferenceOptions;
  readonly threads: number | undefined;
  readonly json: boolean;
}

/** Checks the shared flags and reads the input and the adapter, before any model is loaded. */
export function parseInferenceFlags(flags: { model?: string; adapter?: string; input?: string; ep?: string; threads?: string; json?: boolean }): InferencePlan {
  const modelDir = required(flags.model, '--model');
  const inputPath = required(flags.input, '--input');
  const ep = oneOf(flags.ep, '--ep', EXECUTION_PROVIDERS, 'node');
  const threads = flags.threads === undefined ? undefined : positiveInt(flags.threads, '--threads');
  const adapter = flags.adapter === undefined ? ({ kind: 'none' } as const) : ({ kind: 'peft', adapter: readAdapterDir(flags.adapter) } as const);
  return {
    modelDir,
    inputPath,
    lines: readJsonl(inputPath, '--input'),
    options: { ep, adapter, ...(threads === undefined ? {} : { wasmThreads: threads }) },
    threads,
    json: flags.json ?? false,
  };
}

/** Loads the model folder on the engine `makeEngine` gives for the thread count, runs `body`, and disposes it. */
export async function onModel(plan: InferencePlan, makeEngine: (threads?: number) => Engine, body: (engine: Engine) => Promise<void>): Promise<void> {
  const source = await modelDirSource(plan.modelDir);
  const engine = makeEngine(plan.threads);
  try {
    await engine.load(source);
    await body(engine);
  } finally {
    await engine.dispose();
  }
}

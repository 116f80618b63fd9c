import { methodSetup } from '../../../../fiat/experiments/methods.ts';
import type { RunSpec } from '../../../../fiat/experiments/spec.ts';
import type { ExportPair } from '../../../../fiat/experiments/export/training-jsonl.ts';
import type { Example } from '../../../../fiat/task/task.ts';
import type { EvaluationExample } from '../../../../fiat/tuning/evaluate.ts';
import { labelCompletionsFor } from '../../../../fiat/tuning/label-completions.ts';
import type { RunPlan } from '../../../../fiat/tuning/run-controller.ts';
import { evaluationMethodOf } from '../../../../fiat/training-set/build.ts';
import { countBudget } from '../../tuning/budget-query.ts';
import type { RunRequest } from '../../tuning/run-launcher.ts';
import { runSteps } from '../../tuning/run-settings-store.ts';
import type { TrainBackend } from '../../tuning/train-backend.ts';
import { QA_NEW_TOKENS } from '../../tuning/useEvaluationSet.ts';
import type { RunnerContext } from './context.ts';
import { snapshotOf } from './settings-snapshot.ts';
import type { ExperimentRunTag } from '../../../lib/experiment-run-tag.ts';
import { methodOf } from './spec-method.ts';
import { drawTrainingSubset, trainPool } from './subset.ts';
import { evaluationSetOf, promptContext, trainingSetOf, validationExamplesOf, type PairsInput } from './training-pairs.ts';

/**
 * The RunRequest (tuning/run-launcher.ts) of one queued run, built exactly as the Tuning tab's Run section builds one,
 * but from the spec: the method's training recipe and I_τ = spec.tau.text, the cached reasoning, the snapshot's
 * only-agreeing, chat template, shapes and settings, on the `spec.size` train examples drawn for `spec.seed`
 * (subset.ts), evaluated on the first validation examples; the plan's seed is the spec's. The same spec and data
 * give the same pairs in the same order, so a paused run resumes (run-launcher checks the pairs' hash).
 */
export type RunInputs =
  | {
      readonly ok: true;
      readonly request: RunRequest;
      readonly drawn: readonly Example[];
      /** The trained pairs before the chat template (what a TRL export writes: TRL applies the template itself). */
      readonly plainPairs: readonly ExportPair[];
      /** Whether the chat template is applied to the pairs the engine gets. */
      readonly chatTemplate: boolean;
      /** The first pair as the engine gets it (the chat template applied), for a TRL export's README. */
      readonly firstPair: ExportPair | null;
    }
  | { readonly ok: false; readonly message: string };

export interface RunInputsOptions {
  readonly backend: TrainBackend;
  readonly tag: ExperimentRunTag;
  readonly signal?: AbortSignal;
}

export async function runInputs(spec: RunSpec, context: RunnerContext, options: RunInputsOptions): Promise<RunInputs> {
  const method = methodOf(spec);
  if (method.training === null) return { ok: false, message: `${method.paperName} trains nothing` };
  const { model, tokenizer, task } = context;
  if (model === null || tokenizer === null) return { ok: false, message: `no small model is loaded: load ${spec.tunedModel?.label ?? spec.model.label} on the Tuning tab` };
  const snapshot = snapshotOf(spec.settings);
  const draw = drawTrainingSubset(trainPool(task.spec, task.examples), spec.size, spec.seed);
  if (!draw.ok) return draw;
  const input: PairsInput = { context, tau: spec.tau.text, method: method.training.trainingMethod, onlyAgreeing: snapshot.onlyAgreeing };
  const train = trainingSetOf(input, draw.examples);
  if (!train.ok) return { ok: false, message: `I_τ "${spec.tau.label}" has template errors: ${train.errors.map((e) => e.message).join('; ')}` };
  const chatTemplate = snapshot.chatTemplate && tokenizer.chat !== null;
  const { seqLen } = snapshot.shapes;
  const signal = options.signal;
  const trainBudget = await countBudget({ examples: train.examples, context: promptContext(input, input.method), tokenizer, chatTemplate, seqLen }, signal);
  const examples = trainBudget.report.examples.flatMap((e) => (e.pair ? [{ prompt: e.pair.prompt, completion: e.pair.completion }] : []));
  if (examples.length === 0) return { ok: false, message: 'no drawn example fits the sequence length' };

  const validation = await evaluationPrompts(input, snapshot.run.validationSize, seqLen, chatTemplate, signal);
  if (!validation.ok) return validation;
  if (validation.examples.length === 0) return { ok: false, message: 'no validation example can be evaluated (their reasoning is missing, or they do not fit)' };

  const labelCompletions = await labelCompletionsFor(task.spec, train.examples[0]?.prompt, chatTemplate ? tokenizer.chat : null);
  const { run, shapes } = snapshot;
  const { backend } = options;
  const plan: RunPlan = {
    // A method that trains all weights prepares them (allWeights); the plan is stored with the run (settings.plan),
    // and a resumed run is prepared from this plan again, so the flag holds on resume too.
    setup: methodSetup(method, {
      lora: shapes.lora,
      batchSize: shapes.batchSize,
      microBatchSize: shapes.microBatchSize,
      seqLen,
      ep: backend.ep,
      ...(backend.wasmThreads === undefined ? {} : { wasmThreads: backend.wasmThreads }),
      seed: spec.seed,
      ...(shapes.memoryBudgetBytes === null ? {} : { memoryBudgetBytes: shapes.memoryBudgetBytes }),
    }),
    totalSteps: runSteps(run, examples.length, shapes.batchSize),
    lr: { peak: run.lr, warmupSteps: run.warmupSteps, decay: run.decay },
    seed: spec.seed,
    evalEvery: run.evalEvery,
    checkpointEvery: run.checkpointEvery,
  };
  const request: RunRequest = {
    taskId: task.id,
    spec: task.spec,
    model,
    plan,
    examples,
    validation: validation.examples,
    ...(labelCompletions ? { labelCompletions } : {}),
    tau: spec.tau.text,
    settings: {
      plan,
      startedFromImportedAdapter: false,
      ep: plan.setup.ep,
      chatTemplate,
      method: input.method,
      withoutReasoning: 'leave-out',
      validationSize: validation.examples.length,
      experiment: options.tag,
    },
  };
  const plainPairs = trainBudget.report.examples.flatMap((e) => (e.pair && e.plainPair ? [e.plainPair] : []));
  const first = trainBudget.report.examples.find((e) => e.pair)?.pair;
  return { ok: true, request, drawn: draw.examples, plainPairs, chatTemplate, firstPair: first ? { prompt: first.prompt, completion: first.completion } : null };
}

/** The validation prompts as useEvaluationSet makes them: cut to the sequence length (QA: leaving the answer room). */
async function evaluationPrompts(
  input: PairsInput,
  size: number,
  seqLen: number,
  chatTemplate: boolean,
  signal: AbortSignal | undefined,
): Promise<{ ok: true; examples: EvaluationExample[] } | { ok: false; message: string }> {
  const { task, model, tokenizer } = input.context;
  const set = evaluationSetOf(input, validationExamplesOf(task.examples, size));
  if (!set.ok) return { ok: false, message: `I_τ has template errors: ${set.errors.map((e) => e.message).join('; ')}` };
  const context = model?.contextLength ?? seqLen;
  const evalLen = Math.min(seqLen, task.spec.kind === 'extractive-qa' ? context - QA_NEW_TOKENS : context);
  const budgetContext = promptContext(input, evaluationMethodOf(input.method));
  const budget = await countBudget({ examples: set.examples, context: budgetContext, tokenizer, chatTemplate, seqLen: evalLen }, signal);
  const byId = new Map(task.examples.map((e) => [e.id, e]));
  return { ok: true, examples: budget.report.examples.flatMap((e) => (e.pair && byId.has(e.exampleId) ? [{ example: byId.get(e.exampleId)!, prompt: e.pair.prompt }] : [])) };
}

import type { MemoryEstimate, TrainingSetup } from '../../../../engine/engine.ts';
import { methodAvailability, type NoEstimate } from '../../../../fiat/experiments/availability.ts';
import { type Method, methodSetup, trainsAllWeights } from '../../../../fiat/experiments/methods.ts';
import { combinePreflights, memoryPreflight, type Preflight } from '../../../../fiat/experiments/schedule.ts';
import type { RunSpec } from '../../../../fiat/experiments/spec.ts';
import { parseTemplateCached } from '../../../../fiat/template/parse.ts';
import { targetOf, type Example } from '../../../../fiat/task/task.ts';
import { trainingTemplateErrors } from '../../../../fiat/training-set/build.ts';
import { webgpuSetup } from '../../../../fiat/tuning/training-shapes.ts';
import { finishedReasoning, type RunnerContext } from './context.ts';
import { modelRefOf, sameModel } from './model-ref.ts';
import { snapshotOf } from './settings-snapshot.ts';
import { methodOf, readsReasoning } from './spec-method.ts';
import { drawTrainingSubset, trainPool } from './subset.ts';
import { validationExamplesOf } from './training-pairs.ts';

/**
 * Why a queued run cannot start, in the user's words, said before it starts (the driver fails the item with it) and
 * for the whole queue before it runs (schedule.ts blockedItems). In order, the first reason wins: what the spec lacks
 * (spec.ts missingInputs); no small model, or not the one the run tunes ("load X on the Tuning tab": for the run
 * without an instruction-tuned base, the base checkpoint named); the method is not available here (availability.ts:
 * for the methods that train all weights, the engine's memory estimate of the run's own setup on that model);
 * I_τ's template errors, or no {{reasoning}} slot where the method puts ŷ_β; a training set larger than the train
 * split; the answer pattern, where answers are read; reasoning missing for drawn train or validation examples of a
 * method that reads it; then the engine's memory estimate for the run's setup (all weights for those methods). A
 * training run cannot start while a run started on the Tuning tab is going (`busy`, checked first): the launcher runs
 * one at a time.
 */
export interface PreflightDeps {
  readonly context: () => Promise<RunnerContext>;
  /** The engine's memory estimate for a setup of the loaded model. */
  readonly estimate: (setup: TrainingSetup) => Promise<MemoryEstimate>;
  /** Why no run can start in this tab now (a run started on the Tuning tab is going), null when one can. */
  readonly busy?: () => string | null;
}

export function createPreflight(deps: PreflightDeps): Preflight {
  return combinePreflights(
    (spec) => Promise.resolve(spec.trains ? (deps.busy?.() ?? null) : null),
    async (spec) => {
      const context = await deps.context();
      // Training all weights is available when its estimate on the run's model fits: estimated only once that model
      // is the one loaded (the estimate is of the loaded model; the model's problem is said first otherwise).
      const full = trainsAllWeights(methodOf(spec)) && modelProblem(spec, context) === null;
      return inputsProblem(spec, context, full ? await deps.estimate(runSetup(spec)) : undefined);
    },
    memoryPreflight((spec) => deps.estimate(runSetup(spec))),
  );
}

/**
 * What a training run waits for rather than fails on: the model it tunes, loaded on the Tuning tab (no model, or
 * another one: the run without an instruction-tuned base tunes the base checkpoint named, not the grid's model). The
 * queue keeps such a run pending and stops with this reason once the rest is done (driver.ts `waitFor`).
 */
export function createModelWait(context: () => Promise<RunnerContext>): Preflight {
  return async (spec) => (spec.trains ? modelProblem(spec, await context()) : null);
}

/** The setup a run's memory is estimated for: its shapes on WebGPU, all weights for the methods that train them. */
export function runSetup(spec: RunSpec): TrainingSetup {
  return methodSetup(methodOf(spec), webgpuSetup(snapshotOf(spec.settings).shapes));
}

/**
 * Every check but memory's, on the studio's state as `context` has it; `fullWeightMemory` is the estimate of the
 * run's setup for a method that trains all weights (without one such a method is not available).
 */
export function inputsProblem(spec: RunSpec, context: RunnerContext, fullWeightMemory?: MemoryEstimate | NoEstimate): string | null {
  const method = methodOf(spec);
  if (spec.trains) {
    const model = modelProblem(spec, context);
    if (model !== null) return model;
  }
  const availability = methodAvailability(method, { baseCheckpoint: spec.tunedModel?.repo ?? null, ...(fullWeightMemory === undefined ? {} : { fullWeightMemory }) });
  if (!availability.available) return availability.reason;
  if (spec.trains) {
    const template = templateProblem(spec, method, context);
    if (template !== null) return template;
  }
  const draw = spec.trains ? drawTrainingSubset(trainPool(context.task.spec, context.task.examples), spec.size, spec.seed) : null;
  if (draw && !draw.ok) return draw.message;
  const snapshot = snapshotOf(spec.settings);
  const readsAnswers = method.reasoning === 'prediction' || (snapshot.onlyAgreeing && readsReasoning(method));
  if (readsAnswers && !context.answerPattern.ok) return `the answer pattern does not compile (${context.answerPattern.message}): fix it on the Reasoning tab`;
  if (!readsReasoning(method)) return null;
  const validation = validationExamplesOf(context.task.examples, snapshot.run.validationSize).filter((e) => targetOf(context.task.spec, e) !== undefined);
  return reasoningProblem(method, context, draw?.ok ? draw.examples : [], validation);
}

function modelProblem(spec: RunSpec, context: RunnerContext): string | null {
  const tuned = spec.tunedModel;
  if (tuned === null) return null;
  if (context.model === null || context.tokenizer === null) return `no small model is loaded: load ${tuned.label} on the Tuning tab`;
  if (!sameModel(modelRefOf(context.model), tuned)) return `${context.model.label} is loaded and this run tunes ${tuned.label}: load ${tuned.label} on the Tuning tab`;
  return null;
}

function templateProblem(spec: RunSpec, method: Method, context: RunnerContext): string | null {
  if (method.training === null || !method.usesTauInstruction) return null;
  const errors = trainingTemplateErrors({ spec: context.task.spec, instructions: { beta: '', tau: spec.tau.text }, method: method.training.trainingMethod });
  if (errors.length > 0) return `I_τ "${spec.tau.label}" has template errors: ${errors.map((e) => e.message).join('; ')}`;
  const needsSlot = method.reasoning === 'input' || method.reasoning === 'target';
  const hasSlot = parseTemplateCached(spec.tau.text).parts.some((p) => p.kind === 'variable' && p.name === 'reasoning');
  if (needsSlot && !hasSlot) return `I_τ "${spec.tau.label}" has no {{reasoning}} slot, which ${method.paperName} needs for the reasoning ŷ_β`;
  return null;
}

function reasoningProblem(method: Method, context: RunnerContext, train: readonly Example[], validation: readonly Example[]): string | null {
  const { reasoning } = context;
  if (!reasoning.ok) return `${method.paperName} reads the reasoning ŷ_β, and ${reasoning.why}`;
  const missing = (examples: readonly Example[]) => examples.filter((e) => finishedReasoning(reasoning, e.id) === null).length;
  const parts = [
    { missing: missing(train), of: train.length, what: 'drawn train examples' },
    { missing: missing(validation), of: validation.length, what: 'validation examples' },
  ].filter((p) => p.missing > 0);
  if (parts.length === 0) return null;
  return `the reasoning ŷ_β is missing for ${parts.map((p) => `${p.missing} of ${p.of} ${p.what}`).join(' and ')}: generate it on the Reasoning tab`;
}

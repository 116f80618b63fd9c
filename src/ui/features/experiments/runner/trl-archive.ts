import { trlExport } from '../../../../fiat/experiments/export/trl-export.ts';
import type { RunSpec } from '../../../../fiat/experiments/spec.ts';
import type { Task } from '../../../../fiat/task/task.ts';
import { zipFiles } from '../../../lib/zip.ts';
import { loadRunnerContext, type RunnerContext } from './context.ts';
import { experimentDataHash } from './data-hash.ts';
import { runInputs } from './run-inputs.ts';
import { snapshotOf } from './settings-snapshot.ts';
import { methodOf } from './spec-method.ts';

/**
 * A queued run's training set for TRL (fiat/experiments/export/trl-export.ts) as a zip: the pairs it trains (or
 * trained), built as the runner builds them from its spec, with its LoRA and SFT settings. Made from the task's data
 * and reasoning as they are now, so it refuses when those changed since the run was queued (its data hash): the files
 * would not reproduce it. Throws an Error whose message says why it cannot be made.
 */
export async function runTrlArchive(spec: RunSpec, task: Task, load: (task: Task) => Promise<RunnerContext> = loadRunnerContext): Promise<{ fileName: string; bytes: Uint8Array }> {
  const method = methodOf(spec);
  if (method.training === null) throw new Error(`${method.paperName} trains nothing: there is no training set to export.`);
  const context = await load(task);
  if (context.model === null) throw new Error(`Load ${spec.tunedModel?.label ?? spec.model.label} on the Tuning tab: the passages are cut with its tokenizer.`);
  if ((await experimentDataHash(context, snapshotOf(spec.settings).run.validationSize)) !== spec.dataHash) {
    throw new Error('The task’s examples or reasoning changed since this run was queued: an export now would not reproduce it.');
  }
  // The export reads no execution provider (the plan's EP is the one field it leaves aside), nor the tag.
  const inputs = await runInputs(spec, context, { backend: { ep: 'webgpu', note: null }, tag: { experimentId: '', itemId: '', method: spec.method } });
  if (!inputs.ok) throw new Error(`The run's training set cannot be built: ${inputs.message}.`);
  const { request, plainPairs, chatTemplate, firstPair } = inputs;
  const out = trlExport({
    method,
    model: context.model.base,
    pairs: plainPairs,
    chatTemplate,
    templatedExample: chatTemplate ? firstPair : null,
    run: request.plan,
  });
  return { fileName: out.fileName, bytes: zipFiles(Object.fromEntries(out.files.map((f) => [f.name, f.text]))) };
}

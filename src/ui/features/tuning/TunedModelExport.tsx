import { useMutation } from '@tanstack/react-query';
import { EngineError } from '../../../engine/errors.ts';
import { downloadBytes } from '../../lib/download.ts';
import { tuningEngine } from '../../lib/tuning-engine.ts';
import { tuningRepository } from '../../lib/tuning-repository.ts';
import { EngineErrorView } from '../model/EngineErrorView.tsx';
import { runModelZip } from './checkpoint-exports.ts';

/**
 * In the adapter section, for a shown run that trained all weights (an experiment's ablation without
 * parameter-efficient tuning): such a run has no PEFT adapter, so this says so and offers its tuned model instead,
 * config.json + model.safetensors in a zip, made from the run's latest checkpoint by the engine (checkpoint-exports.ts:
 * the loaded model must be the run's).
 */
export function TunedModelExport({ runId, modelLabel }: { runId: string; modelLabel: string }) {
  const exportModel = useMutation({
    mutationKey: ['adapter', 'export-model', runId],
    mutationFn: async () => {
      const { zip, step } = await runModelZip(runId, {
        latestCheckpoint: (id) => tuningRepository.latestCheckpoint(id),
        checkpointModel: (checkpoint) => tuningEngine().checkpointModel(checkpoint),
      });
      downloadBytes(`tuned-model-step-${step}.zip`, zip, 'application/zip');
      return step;
    },
  });
  return (
    <div role="group" aria-label="Tuned model">
      <p>
        The run shown trained all weights of {modelLabel} (full fine-tuning): it has no PEFT adapter. Its export is the tuned model, config.json and
        model.safetensors, which transformers loads with the base model&apos;s tokenizer.
      </p>
      <div className="row-actions">
        <button type="button" disabled={exportModel.isPending} onClick={() => exportModel.mutate()}>
          Download the tuned model (zip)
        </button>
      </div>
      {exportModel.isSuccess && <p className="muted">Exported the tuned model at step {exportModel.data}.</p>}
      {exportModel.error &&
        (exportModel.error instanceof EngineError ? (
          <EngineErrorView error={exportModel.error} doing={`Making the tuned model from the run's checkpoint (${modelLabel} must be the model loaded)`} />
        ) : (
          <p role="alert" className="field-error">
            {exportModel.error.message}
          </p>
        ))}
    </div>
  );
}

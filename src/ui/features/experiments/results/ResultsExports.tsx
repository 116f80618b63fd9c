import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { EngineError } from '../../../../engine/errors.ts';
import { languageResultsCsv, resultsCsv, resultsJson } from '../../../../fiat/experiments/export-results.ts';
import type { Experiment, FinishedRun } from '../../../../fiat/experiments/queue.ts';
import type { LanguageTable, ResultsTable } from '../../../../fiat/experiments/results.ts';
import type { Task } from '../../../../fiat/task/task.ts';
import { downloadBytes, downloadText } from '../../../lib/download.ts';
import { tuningEngine } from '../../../lib/tuning-engine.ts';
import { tuningRepository } from '../../../lib/tuning-repository.ts';
import { zipFiles } from '../../../lib/zip.ts';
import { EngineErrorView } from '../../model/EngineErrorView.tsx';
import { runTrlArchive } from '../runner/trl-archive.ts';
import { runWeightsZip, WEIGHTS_EXPORT_TEXT, weightsExportOf } from './weights-export.ts';
import { RunSelect } from './Pickers.tsx';
import { allPredictionFiles, fileSafe, runFileName, runPredictionFiles } from './result-files.ts';
import { runLabel } from './result-cells.ts';

const CSV = 'text/csv';
/** Which runs' predictions to export: every finished run, or one by its queue item id. */
const ALL = '';

/**
 * The results' downloads: the tables (per method, and per language) as CSV and JSON; the predictions of every finished
 * run (a zip of one CSV and one JSON each) or of one; a trained run's PEFT adapter, or the tuned model of a run that
 * trained all weights (a zip, made from its latest checkpoint by the small model's engine, which must hold the run's
 * model: weights-export.ts); a trained run's training set for TRL on a GPU server (runner/trl-archive.ts: the pairs it
 * trained, its LoRA (for LoRA runs) and SFT settings, train.py and a README).
 */
export function ResultsExports({
  task,
  experiment,
  runs,
  tables,
  languageTables,
  runIdOf,
}: {
  task: Task;
  experiment: Experiment;
  runs: readonly FinishedRun[];
  tables: readonly ResultsTable[];
  languageTables: readonly LanguageTable[];
  /** The tuning run whose checkpoints made the run's result (null: nothing trained, or not known). */
  runIdOf: (run: FinishedRun) => string | null;
}) {
  const headingId = useId();
  const base = fileSafe(experiment.name || experiment.id);
  const [predictionsOf, setPredictionsOf] = useState(ALL);
  const trained = runs.filter((r) => r.spec.trains && runIdOf(r) !== null);
  const [adapterOf, setAdapterOf] = useState<string | null>(null);
  const adapterRun = trained.find((r) => r.item.id === adapterOf) ?? trained[0];
  const weights = adapterRun ? weightsExportOf(adapterRun) : 'adapter';
  const tunedRuns = runs.filter((r) => r.spec.trains);
  const [trlOf, setTrlOf] = useState<string | null>(null);
  const trlRun = tunedRuns.find((r) => r.item.id === trlOf) ?? tunedRuns[0];
  const exportTrl = useMutation({
    mutationKey: ['experiments', 'trl-export'],
    mutationFn: async (run: FinishedRun) => {
      const { fileName, bytes } = await runTrlArchive(run.spec, task);
      downloadBytes(`${base}-${fileSafe(runLabel(run))}-${fileName}`, bytes, 'application/zip');
    },
  });

  const exportPredictions = (format: 'csv' | 'json') => {
    const index = runs.findIndex((r) => r.item.id === predictionsOf);
    const run = runs[index];
    if (!run) {
      const files = Object.fromEntries(Object.entries(allPredictionFiles(runs, task)).filter(([name]) => name.endsWith(`.${format}`)));
      downloadBytes(`${base}-predictions-${format}.zip`, zipFiles(files), 'application/zip');
      return;
    }
    const made = runPredictionFiles(run, task);
    if (made) downloadText(`${base}-${runFileName(run, index)}.${format}`, made[format], format === 'csv' ? CSV : 'application/json');
  };

  const exportAdapter = useMutation({
    mutationKey: ['experiments', 'adapter-export'],
    mutationFn: async (run: FinishedRun) => {
      const { zip, step } = await runWeightsZip(run, runIdOf(run)!, {
        latestCheckpoint: (id) => tuningRepository.latestCheckpoint(id),
        checkpointAdapter: (checkpoint) => tuningEngine().checkpointAdapter(checkpoint),
        checkpointModel: (checkpoint) => tuningEngine().checkpointModel(checkpoint),
      });
      const kind = weightsExportOf(run);
      downloadBytes(`${base}-${fileSafe(runLabel(run))}-${WEIGHTS_EXPORT_TEXT[kind].fileSuffix}.zip`, zip, 'application/zip');
      return { step, kind };
    },
  });

  return (
    <section className="experiment-exports" aria-labelledby={headingId}>
      <h4 id={headingId}>Export</h4>
      <div className="row-actions" role="group" aria-label="Results files">
        <button type="button" onClick={() => downloadText(`${base}-results.csv`, resultsCsv(tables), CSV)}>
          Results (CSV)
        </button>
        <button type="button" onClick={() => downloadText(`${base}-results-per-language.csv`, languageResultsCsv(languageTables), CSV)}>
          Per-language results (CSV)
        </button>
        <button type="button" onClick={() => downloadText(`${base}-results.json`, resultsJson(tables, languageTables))}>
          Results (JSON)
        </button>
      </div>
      <div className="row-actions" role="group" aria-label="Predictions files">
        <RunSelect label="Predictions of" runs={runs} value={predictionsOf} onChange={setPredictionsOf} extra={[{ value: ALL, label: 'every finished run (zip)' }]} />
        <button type="button" onClick={() => exportPredictions('csv')}>
          Predictions (CSV)
        </button>
        <button type="button" onClick={() => exportPredictions('json')}>
          Predictions (JSON)
        </button>
      </div>
      {trained.length > 0 && adapterRun && (
        <div className="row-actions" role="group" aria-label="Adapter or tuned model export">
          <RunSelect label="PEFT adapter (or tuned model) of" runs={trained} value={adapterRun.item.id} onChange={setAdapterOf} />
          <button type="button" disabled={exportAdapter.isPending} onClick={() => exportAdapter.mutate(adapterRun)}>
            {WEIGHTS_EXPORT_TEXT[weights].button}
          </button>
          {weights === 'model' && (
            <small className="muted">This run trained all weights: it has no PEFT adapter; its export is the tuned model (config.json, model.safetensors), as transformers loads it with the base model&apos;s tokenizer.</small>
          )}
        </div>
      )}
      {trlRun && (
        <div className="row-actions" role="group" aria-label="TRL export">
          <RunSelect label="Training set for TRL of" runs={tunedRuns} value={trlRun.item.id} onChange={setTrlOf} />
          <button type="button" disabled={exportTrl.isPending} onClick={() => exportTrl.mutate(trlRun)}>
            Training set for TRL (zip)
          </button>
        </div>
      )}
      {exportTrl.error && (
        <p role="alert" className="field-error">
          {exportTrl.error.message}
        </p>
      )}
      {exportAdapter.isSuccess && (
        <p className="muted">
          Exported the {exportAdapter.data.kind === 'model' ? 'tuned model' : 'adapter'} at step {exportAdapter.data.step}.
        </p>
      )}
      {exportAdapter.error &&
        (exportAdapter.error instanceof EngineError ? (
          <EngineErrorView error={exportAdapter.error} doing="Making the run's export from its checkpoint (its model must be the one loaded)" />
        ) : (
          <p role="alert" className="field-error">
            {exportAdapter.error.message}
          </p>
        ))}
    </section>
  );
}

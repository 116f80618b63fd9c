import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { countByStatus, type Experiment } from '../../../fiat/experiments/queue.ts';
import type { Task } from '../../../fiat/task/task.ts';
import { useSmallModel } from '../../lib/tuning-engine.ts';
import { experimentQueries } from './experiment-queries.ts';
import type { GridChoices } from './grid-choices.ts';
import { useQueueSession } from './queue-store.ts';
import { ExperimentPicker } from './queue/ExperimentPicker.tsx';
import { QueueBuilder } from './queue/QueueBuilder.tsx';
import { QueueList } from './queue/QueueList.tsx';
import { ResultsSection } from './results/ResultsSection.tsx';
import { trainPool } from './runner/subset.ts';
import { queueSession } from './studio-queue.ts';

/**
 * The Experiments tab: FIAT against ICL, fine-tuning and the paper's ablations on this task. The queue builder adds a
 * grid of runs to a new experiment; the queue runs them one by one through the Tuning tab's run launcher (on the small
 * model loaded there) and survives a reload; the results read the finished runs. The session lives outside React
 * (studio-queue.ts), so a queue goes on while the user is on another tab.
 */
export function ExperimentsPanel({ task }: { task: Task }) {
  const model = useSmallModel();
  const session = useQueueSession();
  const experiments = useQuery(experimentQueries.list(task.id));
  const trainCount = useMemo(() => trainPool(task.spec, task.examples).length, [task]);
  const open = session.experiment?.taskId === task.id ? session.experiment : null;

  // The newest experiment of the task opens by itself (after a reload too: the session recovers its queue).
  const newest = experiments.data?.[0]?.id ?? null;
  useEffect(() => {
    if (open === null && newest !== null && !session.running) void queueSession.openExperiment(newest);
  }, [open, newest, session.running]);

  const keys = useMemo(() => [...new Set(open?.items.map((i) => i.key) ?? [])], [open]);
  const results = useQuery({ ...experimentQueries.results(keys), enabled: keys.length > 0 });

  const queue = useMutation({
    mutationFn: (choices: GridChoices) => queueSession.createExperiment(task, choices),
  });

  return (
    <section className="reasoning-panel" aria-labelledby="experiments-panel-heading">
      <h2 id="experiments-panel-heading" className="visually-hidden">
        Experiments
      </h2>
      <QueueBuilder task={task} modelLabel={model.info?.label ?? null} trainCount={trainCount} onQueue={(choices) => queue.mutate(choices)} busy={queue.isPending} />
      {(experiments.data?.length ?? 0) > 0 && (
        <ExperimentPicker
          experiments={experiments.data ?? []}
          selectedId={open?.id ?? null}
          onSelect={(id) => void queueSession.openExperiment(id)}
          onDelete={(id) => queueSession.deleteExperiment(id)}
        />
      )}
      {session.notice && (
        <p className="notice-line" role="status">
          {session.notice}
        </p>
      )}
      {open && <QueueControls task={task} experiment={open} running={session.running} modelLoaded={model.info !== null} blocked={session.blocked.length} />}
      {open && (
        <QueueList
          experiment={open}
          running={session.running}
          currentItemId={session.currentItemId}
          blocked={session.blocked}
          onCancel={(id) => void queueSession.cancelQueueItem(id)}
          onRequeue={(id, force) => void queueSession.requeueQueueItem(id, force)}
        />
      )}
      {open && results.data && <ResultsSection task={task} experiment={open} results={results.data} />}
    </section>
  );
}

/**
 * Run / Resume / Pause for the open experiment. Without the small model loaded no training run could start, so the
 * queue does not start then; other runs that cannot start are listed under the queue: a run that tunes another model
 * than the one loaded waits for it (the queue stops for it at the end), the rest fail with their reason when it
 * reaches them, and the others go on.
 */
function QueueControls({ task, experiment, running, modelLoaded, blocked }: { task: Task; experiment: Experiment; running: boolean; modelLoaded: boolean; blocked: number }) {
  const counts = countByStatus(experiment);
  const started = experiment.items.some((i) => i.status !== 'pending' || i.runId !== null);
  const needsModel = experiment.items.some((i) => i.status === 'pending' && i.spec.trains);
  const why = counts.pending === 0 ? 'Nothing is pending: re-run a run from the list to compute it again.' : needsModel && !modelLoaded ? 'Load the small model on the Tuning tab to run the queue.' : null;
  return (
    <div className="button-row">
      {running ? (
        <button type="button" onClick={() => queueSession.pauseQueue()}>
          Pause the queue
        </button>
      ) : (
        <button type="button" className="primary" disabled={why !== null} onClick={() => void queueSession.startQueue(task)}>
          {started ? 'Resume the queue' : 'Run the queue'}
        </button>
      )}
      {!running && why && <span className="muted">{why}</span>}
      {!running && !why && blocked > 0 && (
        <span className="muted">
          {blocked} run{blocked === 1 ? '' : 's'} cannot start now (listed below). When the queue reaches one, a run waiting for another model to be loaded stays
          pending (the queue stops for it once the rest is done); any other fails with its reason.
        </span>
      )}
    </div>
  );
}

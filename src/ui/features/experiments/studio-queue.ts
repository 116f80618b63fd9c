import { queryClient } from '../../lib/query-client.ts';
import { experimentRepository } from '../../lib/experiment-repository.ts';
import { tuningEngine } from '../../lib/tuning-engine.ts';
import { tuningRepository } from '../../lib/tuning-repository.ts';
import { cancelRun, isRunning, pauseRun, startRun } from '../tuning/run-launcher.ts';
import { chooseTrainBackend } from '../tuning/train-backend.ts';
import { invalidateExperiments } from './experiment-queries.ts';
import { createQueueSession, type QueueSession } from './queue-session.ts';
import { useQueueSession } from './queue-store.ts';
import { createAnswerWithoutTraining } from './runner/answer.ts';
import { loadRunnerContext } from './runner/context.ts';
import { createModelWait, createPreflight } from './runner/preflight.ts';
import { waitForRunEnd } from './runner/run-end.ts';
import { runInputs } from './runner/run-inputs.ts';
import { createRunOne } from './runner/run-one.ts';
import { settingsSnapshot } from './runner/settings-snapshot.ts';

/**
 * The studio's one queue session (queue-session.ts) on the studio's own parts: the experiments repository, the Tuning
 * tab's run launcher and settings, the tuning engine's memory estimate, and the reasoning cache. The context is read
 * again for every run and check, so a model loaded or reasoning generated meanwhile counts.
 */
export const queueSession: QueueSession = createQueueSession({
  repository: experimentRepository,
  store: useQueueSession,
  context: loadRunnerContext,
  snapshot: () => settingsSnapshot(),
  runOne: (experimentId, task) =>
    createRunOne({
      experimentId,
      inputs: async (spec, tag, signal) => runInputs(spec, await loadRunnerContext(task), { backend: await chooseTrainBackend(), tag, signal }),
      start: startRun,
      pause: pauseRun,
      cancel: cancelRun,
      storedRun: (runId) => tuningRepository.getRun(runId),
      waitForEnd: waitForRunEnd,
    }),
  answer: (task) => createAnswerWithoutTraining(() => loadRunnerContext(task)),
  preflight: (task) =>
    createPreflight({
      context: () => loadRunnerContext(task),
      estimate: (setup) => tuningEngine().estimateMemory(setup),
      busy: () => (isRunning() ? 'a run started on the Tuning tab is going: pause it or let it finish first' : null),
    }),
  waitFor: (task) => createModelWait(() => loadRunnerContext(task)),
  onSaved: () => void invalidateExperiments(queryClient),
});

// The driver's RunOne through the run launcher (faked): the run's id reported at once, its own evaluations by step,
// the driver's stop reasons mapped to pause and cancel, and a resume of the stored run.
import { expect, test, vi } from 'vitest';
import type { RunOneContext } from '../../../../src/fiat/experiments/driver.ts';
import { cellId } from '../../../../src/fiat/experiments/spec.ts';
import type { StoredRun } from '../../../../src/fiat/storage/tuning-repository.ts';
import { createRunOne, type RunOneDeps } from '../../../../src/ui/features/experiments/runner/run-one.ts';
import type { RunEnd } from '../../../../src/ui/features/experiments/runner/run-end.ts';
import type { RunRequest } from '../../../../src/ui/features/tuning/run-launcher.ts';
import { accuracyEvaluation } from '../../fiat/experiments/fixtures.ts';
import { spec } from './fixtures.ts';

const request = { taskId: 'sample:tiny', tau: 'I_τ', settings: {} } as unknown as RunRequest;

function fakes(overrides: Partial<RunOneDeps> = {}) {
  let end!: (value: RunEnd) => void;
  const ended = new Promise<RunEnd>((resolve) => (end = resolve));
  // Resolves once the run is waited for (it has been started and its id reported by then).
  let markWaiting!: () => void;
  const waiting = new Promise<void>((resolve) => (markWaiting = resolve));
  const inputs = vi.fn<RunOneDeps['inputs']>(() => Promise.resolve({ ok: true, request, drawn: [], plainPairs: [], chatTemplate: false, firstPair: null }));
  const start = vi.fn<RunOneDeps['start']>(() => Promise.resolve({ ok: true, runId: 'run-1' }));
  const pause = vi.fn(() => end({ status: 'paused', message: 'paused at step 2', evaluations: [] }));
  const cancel = vi.fn(() => end({ status: 'cancelled', message: null, evaluations: [] }));
  const storedRun = vi.fn<RunOneDeps['storedRun']>((id) => Promise.resolve(id === 'stored-1' ? ({ id: 'stored-1' } as StoredRun) : undefined));
  const waitForEnd = vi.fn<RunOneDeps['waitForEnd']>(() => {
    markWaiting();
    return ended;
  });
  const deps: RunOneDeps = { experimentId: 'exp-1', inputs, start, pause, cancel, storedRun, waitForEnd, ...overrides };
  return { deps, end, waiting, inputs, start, pause, cancel, waitForEnd };
}

const context = (resumeRunId: string | null = null) => ({ resumeRunId, started: vi.fn<RunOneContext['started']>() });

test('a run reports its id at once, then its own evaluations by step, step 0 first', async () => {
  const { deps, end, waiting, inputs, waitForEnd } = fakes();
  const ctx = context();
  const outcome = createRunOne(deps)(spec('fiat'), new AbortController().signal, ctx);
  await waiting;
  expect(ctx.started).toHaveBeenCalledWith('run-1');
  expect(waitForEnd).toHaveBeenCalledWith('run-1');
  const [e0, e4, extra] = [accuracyEvaluation(1, 4), accuracyEvaluation(3, 4), accuracyEvaluation(4, 4)];
  end({
    status: 'done',
    message: null,
    evaluations: [
      { step: 4, evaluation: e4 },
      { step: 4, evaluation: extra, tag: { split: 'validation', size: 4, state: { kind: 'run' }, at: 1 } as never },
      { step: 0, evaluation: e0 },
    ],
  });
  expect(await outcome).toEqual({ runId: 'run-1', status: 'done', evaluations: [{ step: 0, evaluation: e0 }, { step: 4, evaluation: e4 }] });
  // The tag says which experiment and item the run belongs to.
  expect(inputs.mock.calls[0]![1]).toEqual({ experimentId: 'exp-1', itemId: cellId(spec('fiat')), method: 'fiat' });
});

test("the driver's pause pauses the run, its cancel cancels it", async () => {
  for (const reason of ['pause', 'cancel'] as const) {
    const { deps, waiting, pause, cancel } = fakes();
    const controller = new AbortController();
    const outcome = createRunOne(deps)(spec('fiat'), controller.signal, context());
    await waiting;
    controller.abort(reason);
    const result = await outcome;
    expect(result.status).toBe(reason === 'pause' ? 'paused' : 'cancelled');
    expect(pause).toHaveBeenCalledTimes(reason === 'pause' ? 1 : 0);
    expect(cancel).toHaveBeenCalledTimes(reason === 'cancel' ? 1 : 0);
  }
});

test('a resume starts the stored run again; a run that is gone starts anew', async () => {
  const start = vi.fn<RunOneDeps['start']>(() => Promise.resolve({ ok: true, runId: 'stored-1' }));
  const { deps, end, waiting } = fakes({ start });
  const outcome = createRunOne(deps)(spec('fiat'), new AbortController().signal, context('stored-1'));
  await waiting;
  expect(start.mock.calls[0]![0]).toEqual({ ...request, resume: { id: 'stored-1' } });
  end({ status: 'done', message: null, evaluations: [{ step: 0, evaluation: accuracyEvaluation(1, 2) }] });
  expect((await outcome).runId).toBe('stored-1');

  const gone = fakes();
  void createRunOne(gone.deps)(spec('fiat'), new AbortController().signal, context('deleted'));
  await gone.waiting;
  expect(gone.start.mock.calls[0]![0]).toBe(request);
});

test('a run the launcher refuses, or inputs that cannot be built, reject with the reason', async () => {
  const refused = fakes({ start: () => Promise.resolve({ ok: false, message: 'A run is already going in this tab.' }) });
  await expect(createRunOne(refused.deps)(spec('fiat'), new AbortController().signal, context())).rejects.toThrow('A run is already going in this tab.');
  const missing = fakes({ inputs: () => Promise.resolve({ ok: false, message: 'no small model is loaded' }) });
  await expect(createRunOne(missing.deps)(spec('fiat'), new AbortController().signal, context())).rejects.toThrow('no small model is loaded');
  expect(missing.start).not.toHaveBeenCalled();
});

test('a run that stops in a state that is no end fails', async () => {
  const { deps, end, waiting } = fakes();
  const outcome = createRunOne(deps)(spec('fiat'), new AbortController().signal, context());
  await waiting;
  end({ status: 'running', message: null, evaluations: [] });
  expect(await outcome).toMatchObject({ status: 'failed', message: 'the run stopped while running' });
});

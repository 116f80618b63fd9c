// A stopped run's record rewound to the checkpoint it resumes from: the steps after it go, so the resumed run's curves
// hold each step once.
import { expect, test } from 'vitest';
import type { StoredRun } from '../../../../src/fiat/storage/tuning-repository.ts';
import { rewindRun } from '../../../../src/fiat/tuning/rewind.ts';

const lostAtStep3: StoredRun = {
  id: 'run-1',
  taskId: 'task',
  createdAt: 1,
  updatedAt: 2,
  model: { label: 'fiat-studio/demo@abc', repo: null, revision: null },
  settings: { plan: {} },
  tauVersion: 'tau',
  dataHash: 'data',
  status: 'device-lost',
  message: 'The GPU device was lost at step 3; the run paused at its last checkpoint (step 2).',
  step: 3,
  totalSteps: 6,
  losses: [1, 2, 3].map((step) => ({ step, loss: 1 / step })),
  evaluations: [0, 3].map((step) => ({ step, result: `metrics at ${step}` })),
};

test('to its checkpoint: the losses and evaluations after it go, the rest of the record stays', () => {
  expect(rewindRun(lostAtStep3, 2, 10)).toEqual({
    ...lostAtStep3,
    updatedAt: 10,
    step: 2,
    losses: [
      { step: 1, loss: 1 },
      { step: 2, loss: 0.5 },
    ],
    evaluations: [{ step: 0, result: 'metrics at 0' }],
  });
});

test('to step 0 (no checkpoint): nothing of the curves is kept but the evaluation before training', () => {
  const rewound = rewindRun(lostAtStep3, 0, 10);
  expect(rewound.losses).toEqual([]);
  expect(rewound.evaluations.map((e) => e.step)).toEqual([0]);
});

test('a paused run (nothing after its checkpoint) is unchanged but for the time', () => {
  expect(rewindRun(lostAtStep3, 3, 10)).toEqual({ ...lostAtStep3, updatedAt: 10 });
});

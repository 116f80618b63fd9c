import { create } from 'zustand';
import type { Experiment } from '../../../fiat/experiments/queue.ts';
import type { Blocked } from '../../../fiat/experiments/schedule.ts';

/**
 * The queue session's state (queue-session.ts writes it, the Experiments tab's views read it): the experiment open,
 * whether its queue is running and which item runs, a notice for the user (why the queue stopped, what to do next),
 * and the pending items that cannot start, with why.
 */
export interface QueueSessionState {
  readonly experiment: Experiment | null;
  readonly running: boolean;
  readonly currentItemId: string | null;
  readonly notice: string | null;
  readonly blocked: readonly Blocked[];
}

export const EMPTY_QUEUE_SESSION: QueueSessionState = { experiment: null, running: false, currentItemId: null, notice: null, blocked: [] };

export const createQueueStore = () => create<QueueSessionState>()(() => EMPTY_QUEUE_SESSION);

/** The studio's one queue session's state. */
export const useQueueSession = createQueueStore();

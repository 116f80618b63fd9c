import { EngineError, type EngineErrorKind } from '../../../engine/errors.ts';
import type { SmallModelError } from '../../lib/tuning-engine.ts';

/** What each kind of engine failure is, in the user's words (the engine's message then says what to do). */
const KIND_TITLES: Record<EngineErrorKind, string> = {
  config: 'The model’s config or the run’s settings',
  weights: 'The model’s weights',
  tokenizer: 'The model’s tokenizer',
  network: 'The network',
  'out-of-memory': 'Not enough GPU memory',
  'device-lost': 'The GPU was lost',
  cancelled: 'Cancelled',
  diverged: 'Training diverged',
  usage: 'The request',
  internal: 'An internal error',
};

/** The kind of any failure: an EngineError's own, anything else internal. */
function errorKind(error: unknown): EngineErrorKind {
  return error instanceof EngineError ? error.kind : 'internal';
}

/** Whether the failure asks for a Hub token: 401 or 403 from the Hub (gated or private repo). */
export function needsHubToken(error: Error | SmallModelError | null): boolean {
  const data = error instanceof EngineError ? error : error instanceof Error ? null : error;
  const status = data?.kind === 'network' ? data.detail.status : undefined;
  return status === 401 || status === 403;
}

/** A failed engine call: what was being done, the kind of failure, and the engine's own message. */
export function EngineErrorView({ error, doing }: { error: Error | SmallModelError; doing: string }) {
  const kind = error instanceof Error ? errorKind(error) : error.kind;
  return (
    <p role="alert" className="field-error" data-kind={kind}>
      {doing} failed. {KIND_TITLES[kind]}: {error.message}
    </p>
  );
}

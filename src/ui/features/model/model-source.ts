import type { ModelSource } from '../../../engine/engine.ts';
import { MODEL_PRESETS } from '../../../engine/presets.ts';
import type { PickedModel } from '../../../engine/sources/local-files.ts';
import { hubEndpointProblem, hubRepoProblem, hubRevisionProblem, hubTokenProblem, trimEndpoint } from '../../../engine/sources/hub-names.ts';
import { type SavedModel, SavedModelSchema } from '../../../fiat/project/tuning-settings.ts';
import { objectKey } from '../../lib/object-key.ts';

/** What the user chose in the model panel, before it is a source the engine takes. */
export type SourceChoice =
  | { readonly kind: 'demo' }
  | { readonly kind: 'preset'; readonly presetId: string }
  | { readonly kind: 'hub'; readonly repo: string; readonly revision: string }
  | { readonly kind: 'files'; readonly picked: PickedModel };

/** The Hub's address and access, shared by presets and repo ids (the panel's advanced fields). */
export interface HubAccess {
  readonly endpoint: string;
  /** The token stored for the endpoint, if any; sent only as a header by the engine. */
  readonly token: string | null;
}

export const DEFAULT_HUB_ENDPOINT = 'https://huggingface.co';
export const DEMO_LABEL = 'demo model';

export type SourceField = 'repo' | 'revision' | 'endpoint' | 'token' | 'files';
export type SourceResult = { readonly ok: true; readonly source: ModelSource } | { readonly ok: false; readonly errors: Partial<Record<SourceField, string>> };

/**
 * The engine's source for a choice, or each field's problem (hub-names.ts, the rules the engine applies). The demo
 * model is public/models/demo/ under the page's base: resolved here, since the engine's worker resolves relative
 * URLs against its own script.
 */
export function sourceFromChoice(choice: SourceChoice, hub: HubAccess, pageBase: string): SourceResult {
  switch (choice.kind) {
    case 'demo':
      return { ok: true, source: { kind: 'url', label: DEMO_LABEL, baseUrl: new URL('models/demo/', pageBase).href } };
    case 'preset': {
      const preset = MODEL_PRESETS.find((p) => p.id === choice.presetId);
      if (!preset) return { ok: false, errors: { repo: `There is no preset "${choice.presetId}".` } };
      return hubSource(preset.repo, preset.revision, hub);
    }
    case 'hub':
      return hubSource(choice.repo, choice.revision, hub);
    case 'files':
      if (choice.picked.files.length === 0) return { ok: false, errors: { files: 'Pick a model’s folder (config.json, tokenizer.json and the safetensors).' } };
      return { ok: true, source: { kind: 'files', label: choice.picked.label, files: choice.picked.files } };
  }
}

function hubSource(repo: string, revision: string, hub: HubAccess): SourceResult {
  const errors: Partial<Record<SourceField, string>> = {};
  const problems: [SourceField, string | null][] = [
    ['repo', hubRepoProblem(repo)],
    ['revision', hubRevisionProblem(revision)],
    ['endpoint', hubEndpointProblem(hub.endpoint)],
    ['token', hubTokenProblem(hub.token ?? '')],
  ];
  for (const [field, problem] of problems) if (problem !== null) errors[field] = problem;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const token = hub.token?.trim() ?? '';
  return {
    ok: true,
    source: { kind: 'hub', repo: repo.trim(), revision: revision.trim(), endpoint: trimEndpoint(hub.endpoint), ...(token === '' ? {} : { token }) },
  };
}

/**
 * The choice as the project saves it, or null when it cannot be saved as it is (a repo id or endpoint with a problem:
 * the fields say which, and the saved choice stays the last good one). Never a token; local files by their label.
 */
export function savedModelOf(choice: SourceChoice, endpoint: string): SavedModel | null {
  const saved: SavedModel = (() => {
    switch (choice.kind) {
      case 'demo':
        return { kind: 'demo' };
      case 'preset':
        return { kind: 'preset', presetId: choice.presetId, endpoint: trimEndpoint(endpoint) };
      case 'hub':
        return { kind: 'hub', repo: choice.repo.trim(), revision: choice.revision.trim(), endpoint: trimEndpoint(endpoint) };
      case 'files':
        return { kind: 'files', label: choice.picked.label };
    }
  })();
  const valid = SavedModelSchema.safeParse(saved).success && (saved.kind !== 'hub' || (hubRepoProblem(saved.repo) === null && hubRevisionProblem(saved.revision) === null));
  return valid ? saved : null;
}

/** What the model panel shows for a saved choice: local files come back as the files mode with nothing picked (their label says what to pick). */
export interface RestoredChoice {
  readonly choice: SourceChoice | null;
  readonly endpoint: string;
  readonly mode: SourceChoice['kind'];
  /** The saved local model's label, to pick again; null otherwise. */
  readonly filesLabel: string | null;
}

export function restoreChoice(saved: SavedModel): RestoredChoice {
  switch (saved.kind) {
    case 'demo':
      return { choice: { kind: 'demo' }, endpoint: DEFAULT_HUB_ENDPOINT, mode: 'demo', filesLabel: null };
    case 'preset':
      return { choice: { kind: 'preset', presetId: saved.presetId }, endpoint: saved.endpoint, mode: 'preset', filesLabel: null };
    case 'hub':
      return { choice: { kind: 'hub', repo: saved.repo, revision: saved.revision }, endpoint: saved.endpoint, mode: 'hub', filesLabel: null };
    case 'files':
      return { choice: null, endpoint: DEFAULT_HUB_ENDPOINT, mode: 'files', filesLabel: saved.label };
  }
}

/**
 * A react-query key part for a source. A Hub source's token is never in a key (keys can be logged): only whether
 * there is one; saving or forgetting a token invalidates the queries instead. Local files are keyed by the picked
 * list's identity.
 */
export function sourceKey(source: ModelSource): readonly (string | number | boolean)[] {
  switch (source.kind) {
    case 'hub':
      return ['hub', source.endpoint, source.repo, source.revision, source.token !== undefined];
    case 'url':
      return ['url', source.baseUrl];
    case 'files':
      return ['files', objectKey(source.files)];
    case 'random':
      return ['random', source.label, source.seed];
  }
}

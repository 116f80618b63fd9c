import type { ModelSource } from '../../../engine/engine.ts';
import { MODEL_PRESETS } from '../../../engine/presets.ts';
import type { PickedModel } from '../../../engine/sources/local-files.ts';
import { hubEndpointProblem, hubRepoProblem, hubRevisionProblem, hubTokenProblem, trimEndpoint } from '../../../engine/sources/hub-names.ts';
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

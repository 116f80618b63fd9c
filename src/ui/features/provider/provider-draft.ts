import {
  DEFAULT_HUB_ENDPOINT,
  DEMO_MODEL_REPO,
  IN_BROWSER_DEFAULT_MAX_TOKENS,
  isInBrowserPreset,
  parseInBrowserModel,
} from '../../../providers/in-browser-model.ts';
import { findPreset, PROVIDER_PRESETS } from '../../../providers/presets.ts';
import { defaultProviderSettings, normaliseBaseUrl, parseProviderSettings, type ProviderSettings } from '../../../providers/settings.ts';

/**
 * The provider form's state: text as typed (numbers too, so a half-typed "0." is not lost), turned
 * into ProviderSettings only when every field is valid. There is no key here: the key field is
 * separate and goes straight to the secret store.
 */
export interface ProviderDraft {
  id: string;
  presetId: string;
  baseUrl: string;
  model: string;
  temperature: string;
  maxTokens: string;
  /** One stop sequence a line (at most 4); `\n`, `\t` and `\\` inside a line stand for newline, tab and backslash. */
  stop: string;
  /** Optional; empty: the server's default. */
  topP: string;
  seed: string;
  streaming: boolean;
  streamUsage: boolean;
  maxTokensField: ProviderSettings['maxTokensField'];
  /** Per million tokens; both empty: no cost estimate. */
  priceInput: string;
  priceOutput: string;
  /**
   * The in-browser preset's model: the demo model, or a Hub repo (`model`) at `revision` from the Hub endpoint
   * (`baseUrl`). Settings hold them as one `model` (providers/in-browser-model.ts).
   */
  inBrowserModel: 'demo' | 'hub';
  revision: string;
}

export type DraftField = Exclude<keyof ProviderDraft, 'id' | 'presetId' | 'streaming' | 'streamUsage' | 'maxTokensField' | 'inBrowserModel'>;
export type DraftErrors = Partial<Record<DraftField | 'settings', string>>;

/** New profiles start from a local server's preset: nothing leaves the machine until the user says so. */
export const DEFAULT_PRESET_ID = 'ollama';

export function draftFromSettings(settings: ProviderSettings | null, newId: () => string): ProviderDraft {
  const preset = findPreset(DEFAULT_PRESET_ID) ?? PROVIDER_PRESETS[0]!;
  const s =
    settings ??
    defaultProviderSettings({ id: newId(), presetId: preset.id, baseUrl: preset.baseUrl, model: '', ...(preset.overrides ?? {}) });
  const inBrowser = isInBrowserPreset(s.presetId) ? parseInBrowserModel(s.model) : null;
  const hub = inBrowser?.ok && inBrowser.ref.kind === 'hub' ? inBrowser.ref : null;
  return {
    id: s.id,
    presetId: s.presetId,
    baseUrl: s.baseUrl,
    model: inBrowser ? (hub?.repo ?? '') : s.model,
    temperature: String(s.params.temperature),
    maxTokens: String(s.params.maxTokens),
    stop: s.params.stop.map(escapeStop).join('\n'),
    topP: s.params.topP === undefined ? '' : String(s.params.topP),
    seed: s.params.seed === undefined ? '' : String(s.params.seed),
    streaming: s.streaming,
    streamUsage: s.streamUsage,
    maxTokensField: s.maxTokensField,
    priceInput: s.pricePerMillion ? String(s.pricePerMillion.input) : '',
    priceOutput: s.pricePerMillion ? String(s.pricePerMillion.output) : '',
    inBrowserModel: hub ? 'hub' : 'demo',
    revision: hub?.revision ?? 'main',
  };
}

/**
 * Switch preset: its base URL and server settings; model cleared (the placeholder shows an example); parameters kept,
 * except that switching to the in-browser preset starts from the demo model and a max tokens that fits its context.
 */
export function applyPreset(draft: ProviderDraft, presetId: string): ProviderDraft {
  const preset = findPreset(presetId);
  if (!preset) return draft;
  const defaults = defaultProviderSettings({ id: draft.id, baseUrl: preset.baseUrl, model: '' });
  const server = { streaming: defaults.streaming, streamUsage: defaults.streamUsage, maxTokensField: defaults.maxTokensField, ...(preset.overrides ?? {}) };
  const next = { ...draft, presetId, baseUrl: preset.baseUrl, model: presetId === draft.presetId ? draft.model : '', ...server };
  if (!isInBrowserPreset(presetId) || isInBrowserPreset(draft.presetId)) return next;
  return { ...next, inBrowserModel: 'demo', revision: 'main', maxTokens: String(IN_BROWSER_DEFAULT_MAX_TOKENS) };
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', '\\': '\\' };

export function unescapeStop(line: string): string {
  return line.replace(/\\([nt\\])/g, (_, c: string) => ESCAPES[c] ?? c);
}

export function escapeStop(stop: string): string {
  return stop.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}

function number(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

export type DraftResult = { ok: true; settings: ProviderSettings } | { ok: false; errors: DraftErrors };

/** Validates the form field by field (each message goes next to its field), then builds the settings. */
export function settingsFromDraft(draft: ProviderDraft): DraftResult {
  const errors: DraftErrors = {};
  const inBrowser = isInBrowserPreset(draft.presetId);
  // The demo model comes from the app itself: whatever the (hidden) Hub endpoint says does not matter.
  const demo = inBrowser && draft.inBrowserModel === 'demo';
  const base = normaliseBaseUrl(demo ? DEFAULT_HUB_ENDPOINT : draft.baseUrl);
  if (!base.ok) errors.baseUrl = base.message;
  const model = inBrowser ? inBrowserModelFromDraft(draft, errors) : draft.model.trim();
  if (!inBrowser && model === '') errors.model = 'enter the model id (test connection lists the ones the server has)';
  const temperature = number(draft.temperature);
  if (temperature === null || temperature < 0 || temperature > 2) errors.temperature = 'a number from 0 to 2 (0: the most likely reasoning, as in the paper)';
  const maxTokens = number(draft.maxTokens);
  if (maxTokens === null || !Number.isInteger(maxTokens) || maxTokens < 1) errors.maxTokens = 'a whole number of tokens, at least 1';
  const stop = draft.stop.split('\n').filter((line) => line !== '').map(unescapeStop);
  if (stop.length > 4) errors.stop = 'at most 4 stop sequences (one a line)';
  const topP = number(draft.topP);
  if (draft.topP.trim() !== '' && (topP === null || topP <= 0 || topP > 1)) errors.topP = 'empty, or a number above 0 and at most 1';
  const seed = number(draft.seed);
  if (draft.seed.trim() !== '' && (seed === null || !Number.isInteger(seed))) errors.seed = 'empty, or a whole number';
  const priceIn = number(draft.priceInput);
  const priceOut = number(draft.priceOutput);
  // The in-browser model costs nothing per token, and its form has no price fields.
  const pricesGiven = !inBrowser && (draft.priceInput.trim() !== '' || draft.priceOutput.trim() !== '');
  if (pricesGiven) {
    if (priceIn === null || priceIn < 0) errors.priceInput = 'a price of 0 or more per million input tokens';
    if (priceOut === null || priceOut < 0) errors.priceOutput = 'a price of 0 or more per million output tokens';
  }
  if (Object.keys(errors).length > 0 || !base.ok || temperature === null || maxTokens === null) return { ok: false, errors };
  const parsed = parseProviderSettings({
    id: draft.id,
    presetId: draft.presetId,
    baseUrl: base.url,
    model,
    params: { temperature, maxTokens, stop, ...(topP === null ? {} : { topP }), ...(seed === null ? {} : { seed }) },
    streaming: draft.streaming,
    streamUsage: draft.streamUsage,
    maxTokensField: draft.maxTokensField,
    ...(pricesGiven && priceIn !== null && priceOut !== null ? { pricePerMillion: { input: priceIn, output: priceOut } } : {}),
  });
  return parsed.ok ? parsed : { ok: false, errors: { settings: parsed.message } };
}

/** The in-browser model as settings hold it (`fiat-studio/demo` or `owner/name@revision`); messages go to `errors`. */
function inBrowserModelFromDraft(draft: ProviderDraft, errors: DraftErrors): string {
  if (draft.inBrowserModel === 'demo') return DEMO_MODEL_REPO;
  const repo = draft.model.trim();
  const revision = draft.revision.trim();
  if (repo === DEMO_MODEL_REPO) errors.model = `${DEMO_MODEL_REPO} is the demo model: choose it above`;
  else if (!parseInBrowserModel(`${repo}@main`).ok) errors.model = 'a Hub repo as owner/name, e.g. HuggingFaceTB/SmolLM2-360M-Instruct';
  if (revision === '' || /\s/.test(revision)) errors.revision = 'a branch, tag or commit, e.g. main';
  return `${repo}@${revision}`;
}

import { z } from 'zod';
import { isInBrowserPreset, parseInBrowserModel } from '../../providers/in-browser-model.ts';
import { normaliseBaseUrl, providerSettingsSchema } from '../../providers/settings.ts';
import { DEFAULT_CONCURRENCY } from '../reasoning/batch-runner.ts';
import { DEFAULT_TRAINING_FILTER } from '../reasoning/training-filter.ts';

/**
 * The project's side of the large model θ_β: which provider writes the reasoning ŷ_β and with
 * which decoding parameters, which examples a batch covers, and whether tuning keeps only reasonings
 * that agree with gold. How its final answer is read belongs to each task (task-setup.ts).
 *
 * Never a key: the provider profile is the providers layer's exportable settings, made strict
 * here, so a settings object with an `apiKey` (or any field not listed) is refused rather than
 * stored or exported. The key itself lives in browser storage under the profile id.
 */
const { params, pricePerMillion, baseUrl: _baseUrl, ...profileFields } = providerSettingsSchema.shape;

export const ProjectProviderSchema = z.strictObject({
  ...profileFields,
  // Normalised, so it has no credentials and no query string: a key cannot hide in the URL.
  baseUrl: z.string().refine((url) => {
    const normal = normaliseBaseUrl(url);
    return normal.ok && normal.url === url;
  }, 'expected a normalised http(s) base URL without credentials or query string'),
  params: z.strictObject(params.shape),
  pricePerMillion: z.strictObject(pricePerMillion.unwrap().shape).optional(),
}).superRefine((provider, context) => {
  // The in-browser provider's model names the demo model or a Hub repo@revision (providers/in-browser-model.ts).
  if (!isInBrowserPreset(provider.presetId)) return;
  const model = parseInBrowserModel(provider.model);
  if (!model.ok) context.addIssue({ code: 'custom', path: ['model'], message: model.message });
});

/** Which examples a batch covers (and the quality summary is over): a split, all, or the browser's filter. */
export const REASONING_SCOPES = ['train', 'validation', 'test', 'all', 'filtered'] as const;
export type ReasoningScope = (typeof REASONING_SCOPES)[number];

export const ReasoningSettingsSchema = z.strictObject({
  /** null until the user sets up a provider. */
  provider: ProjectProviderSchema.nullable(),
  /** Train only on examples whose reasoning agrees with gold (off by default, as in the paper). */
  onlyAgreeing: z.boolean(),
  /** Requests at once in a batch. */
  concurrency: z.number().int().min(1).max(32),
  scope: z.enum(REASONING_SCOPES),
});
export type ReasoningSettings = z.infer<typeof ReasoningSettingsSchema>;

export function defaultReasoningSettings(): ReasoningSettings {
  return {
    provider: null,
    onlyAgreeing: DEFAULT_TRAINING_FILTER.onlyAgreeing,
    concurrency: DEFAULT_CONCURRENCY,
    scope: 'train',
  };
}

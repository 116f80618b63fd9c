import { z } from 'zod';
import type { ReasoningCacheEntry } from './cache.ts';

/**
 * The reasoning cache as it travels inside a project export: plain JSON, one object per entry.
 * Entries are rebuilt field by field on the way out and validated (unknown fields dropped) on the
 * way in, so neither direction can carry anything but the listed fields: no key, ever.
 * Version 1 still: `answerFrom` and `usage.reasoningTokens` (reasoning models) are optional fields,
 * so files written before them import unchanged, and a studio without them drops them on import.
 */
export const REASONING_CACHE_FORMAT = 'fiat-reasoning-cache';
export const REASONING_CACHE_FORMAT_VERSION = 1;

export interface ReasoningCacheExport {
  format: typeof REASONING_CACHE_FORMAT;
  version: typeof REASONING_CACHE_FORMAT_VERSION;
  entries: ReasoningCacheEntry[];
}

const entrySchema = z.object({
  key: z.string().regex(/^[0-9a-f]{64}$/, 'expected a 64-digit hex SHA-256'),
  endpoint: z.string().min(1),
  model: z.string(),
  params: z.object({
    temperature: z.number(),
    maxTokens: z.number().int().positive(),
    stop: z.array(z.string()),
    topP: z.number().optional(),
    seed: z.number().int().optional(),
  }),
  promptHash: z.string().regex(/^[0-9a-f]{64}$/, 'expected a 64-digit hex SHA-256'),
  reasoning: z.string(),
  answerFrom: z.number().int().min(0).optional(),
  finishReason: z.string().nullable(),
  usage: z.object({
    promptTokens: z.number().min(0),
    completionTokens: z.number().min(0),
    reasoningTokens: z.number().min(0).optional(),
    estimated: z.boolean(),
  }),
  latencyMs: z.number().min(0),
  createdAt: z.number(),
}).refine((entry) => entry.answerFrom === undefined || entry.answerFrom <= entry.reasoning.length, {
  message: 'answerFrom is past the end of the reasoning',
  path: ['answerFrom'],
});

/** Schema of an exported cache (unknown fields are dropped); the project file embeds it. */
export const reasoningCacheExportSchema = z.object({
  format: z.literal(REASONING_CACHE_FORMAT),
  version: z.literal(REASONING_CACHE_FORMAT_VERSION),
  entries: z.array(entrySchema),
});

/** Copies only the known fields of an entry (whatever else the object carries stays behind). */
export function exportableEntry(entry: ReasoningCacheEntry): ReasoningCacheEntry {
  const params: ReasoningCacheEntry['params'] = { temperature: entry.params.temperature, maxTokens: entry.params.maxTokens, stop: [...entry.params.stop] };
  if (entry.params.topP !== undefined) params.topP = entry.params.topP;
  if (entry.params.seed !== undefined) params.seed = entry.params.seed;
  const usage: ReasoningCacheEntry['usage'] = { promptTokens: entry.usage.promptTokens, completionTokens: entry.usage.completionTokens, estimated: entry.usage.estimated };
  if (entry.usage.reasoningTokens !== undefined) usage.reasoningTokens = entry.usage.reasoningTokens;
  return {
    key: entry.key,
    endpoint: entry.endpoint,
    model: entry.model,
    params,
    promptHash: entry.promptHash,
    reasoning: entry.reasoning,
    ...(entry.answerFrom === undefined ? {} : { answerFrom: entry.answerFrom }),
    finishReason: entry.finishReason,
    usage,
    latencyMs: entry.latencyMs,
    createdAt: entry.createdAt,
  };
}

/** An export with no entries (a project file from before the cache travelled with it). */
export function emptyReasoningCacheExport(): ReasoningCacheExport {
  return { format: REASONING_CACHE_FORMAT, version: REASONING_CACHE_FORMAT_VERSION, entries: [] };
}

export function toReasoningCacheExport(entries: readonly ReasoningCacheEntry[]): ReasoningCacheExport {
  return { format: REASONING_CACHE_FORMAT, version: REASONING_CACHE_FORMAT_VERSION, entries: entries.map(exportableEntry) };
}

export type ParsedCacheExport = { ok: true; entries: ReasoningCacheEntry[] } | { ok: false; message: string };

/**
 * Validates an imported cache; the message names the place, e.g.
 * `entries[3].usage.promptTokens: Invalid input: expected number, received string`.
 */
export function parseReasoningCacheExport(data: unknown): ParsedCacheExport {
  const parsed = reasoningCacheExportSchema.safeParse(data);
  if (parsed.success) return { ok: true, entries: parsed.data.entries.map((e) => exportableEntry(e)) };
  const issue = parsed.error.issues[0];
  const where = (issue?.path ?? []).reduce<string>(
    (out, part) => (typeof part === 'number' ? `${out}[${part}]` : out === '' ? String(part) : `${out}.${String(part)}`),
    '',
  );
  return { ok: false, message: `reasoning cache ${where === '' ? '' : `${where}: `}${issue?.message ?? 'invalid'}` };
}

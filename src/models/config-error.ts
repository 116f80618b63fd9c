import { parse as parseTolerant, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { z } from 'zod';

/**
 * A bad configuration file (config.json, adapter_config.json): names the file and the field at fault, so the
 * UI can point at it. `field` is the dotted JSON path ("rope_scaling.factor"), or null for the whole file.
 * Messages never include values other than the offending field's own (configs hold no secrets, but a
 * mistakenly chosen file might).
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly source: string,
    readonly field: string | null,
    detail: string,
  ) {
    super(field === null ? `${source}: ${detail}` : `${source}: field "${field}": ${detail}`);
  }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The first zod issue as a ConfigError naming its field and the value found there. */
export function configErrorFromZod(error: z.ZodError, input: unknown, source: string): ConfigError {
  const issue = error.issues[0];
  if (!issue) return new ConfigError(source, null, 'invalid');
  const field = issue.path.length > 0 ? issue.path.map(String).join('.') : null;
  return new ConfigError(source, field, `${issue.message} (got ${describe(valueAt(input, issue.path))})`);
}

/**
 * JSON.parse, with the first syntax error's line and column (1-based) in the message. JSON.parse's own
 * messages carry a position only for some errors, so the error is located with jsonc-parser (strict mode:
 * no comments, no trailing commas).
 */
export function parseJsonText(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const errors: ParseError[] = [];
    parseTolerant(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    const first = errors[0];
    if (!first) throw new ConfigError(source, null, `not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    const before = text.slice(0, first.offset);
    const line = before.split('\n').length;
    const column = first.offset - before.lastIndexOf('\n');
    const what = printParseErrorCode(first.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
    throw new ConfigError(source, null, `line ${line}, column ${column}: not valid JSON (${what})`);
  }
}

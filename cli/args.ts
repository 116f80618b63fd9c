import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError } from '../src/models/config-error.ts';
import { parseLoraSpec, type LoraSpec } from '../src/models/lora.ts';

/** A bad command line: the message names the flag. Exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs, strict, with its errors (unknown flag, missing value) as UsageErrors. */
export function parseFlags<O extends Options>(argv: readonly string[], options: O): ReturnType<typeof parseArgs<{ options: O; args: string[]; strict: true; allowPositionals: false }>>['values'] {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.replace(/\. To specify a positional argument.*$/s, '') : String(error));
  }
}

export function required<T>(value: T | undefined, flag: string): T {
  if (value === undefined) throw new UsageError(`${flag} is required`);
  return value;
}

export function positiveInt(value: string | undefined, flag: string, fallback?: number): number {
  if (value === undefined) {
    if (fallback === undefined) throw new UsageError(`${flag} is required`);
    return fallback;
  }
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`${flag}: expected a positive integer, got "${value}"`);
  return n;
}

export function nonNegativeInt(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag}: expected a non-negative integer, got "${value}"`);
  return Number(value);
}

export function positiveNumber(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`${flag}: expected a positive number, got "${value}"`);
  return n;
}

/** A finite number >= 0 (a temperature). */
export function nonNegativeNumber(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`${flag}: expected a number >= 0, got "${value}"`);
  return n;
}

/** A number in (0, 1] (a probability mass such as top-p). */
export function probability(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !(n > 0 && n <= 1)) throw new UsageError(`${flag}: expected a number in (0, 1], got "${value}"`);
  return n;
}

export function oneOf<T extends string>(value: string | undefined, flag: string, allowed: readonly T[], fallback?: T): T {
  if (value === undefined) {
    if (fallback === undefined) throw new UsageError(`${flag} is required (one of ${allowed.join(', ')})`);
    return fallback;
  }
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag}: "${value}" is not one of ${allowed.join(', ')}`);
  return value as T;
}

/**
 * --lora r=8,alpha=16,targets=q,k,v,o,gate,up,down[,dropout=0]: key=value pairs separated by commas; a
 * token without "=" continues the previous key's list (targets). PEFT's defaults where omitted: alpha 8,
 * targets q,v, dropout 0.
 */
export function parseLoraFlag(value: string | undefined, flag = '--lora'): LoraSpec {
  if (value === undefined) throw new UsageError(`${flag} is required (e.g. ${flag} r=8,alpha=16,targets=q,k,v,o,gate,up,down)`);
  const fields: Record<string, string[]> = {};
  let key: string | undefined;
  for (const token of value.split(',')) {
    const eq = token.indexOf('=');
    if (eq >= 0) {
      key = token.slice(0, eq).trim();
      if (!['r', 'alpha', 'targets', 'dropout'].includes(key)) throw new UsageError(`${flag}: unknown key "${key}" (keys: r, alpha, targets, dropout)`);
      if (fields[key]) throw new UsageError(`${flag}: "${key}" is given twice`);
      fields[key] = [token.slice(eq + 1).trim()];
    } else if (key === 'targets') {
      fields.targets!.push(token.trim());
    } else {
      throw new UsageError(`${flag}: "${token}" is not key=value (e.g. r=8,alpha=16,targets=q,v)`);
    }
  }
  const number = (k: string): number | undefined => {
    const v = fields[k]?.[0];
    if (v === undefined) return undefined;
    const n = Number(v);
    if (v === '' || !Number.isFinite(n)) throw new UsageError(`${flag}: ${k}=${v} is not a number`);
    return n;
  };
  if (fields.r === undefined) throw new UsageError(`${flag}: r is required (the LoRA rank)`);
  const r = number('r')!;
  try {
    return parseLoraSpec(
      { r, alpha: number('alpha') ?? 8, targets: fields.targets ?? ['q', 'v'], dropout: number('dropout') ?? 0 },
      flag,
    );
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}

import { readFileSync } from 'node:fs';
import type { ChatMessage } from '../src/engine/engine.ts';
import { UsageError } from './args.ts';

/**
 * The objects of a JSON Lines file, blank lines skipped; a line that is not a JSON object is a UsageError naming the
 * flag, file and line.
 */
export function readJsonl(path: string, flag: string): { line: number; value: Record<string, unknown> }[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`${flag}: cannot read ${path}${code ? ` (${code})` : ''}`);
  }
  const out: { line: number; value: Record<string, unknown> }[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new UsageError(`${path}, line ${i + 1}: not JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`${path}, line ${i + 1}: expected a JSON object`);
    out.push({ line: i + 1, value: value as Record<string, unknown> });
  });
  if (out.length === 0) throw new UsageError(`${flag}: ${path} has no lines`);
  return out;
}

/** A required string field of a JSONL line. */
export function textField(path: string, line: number, value: Record<string, unknown>, field: string): string {
  const v = value[field];
  if (typeof v !== 'string') throw new UsageError(`${path}, line ${line}, field ${field}: must be text${v === undefined ? ' (missing)' : `, found ${JSON.stringify(v)}`}`);
  return v;
}

const ROLES = ['system', 'user', 'assistant'] as const;

/** A JSONL line's "messages": a non-empty list of {"role", "content"}; a UsageError names the line and the message. */
export function messagesField(path: string, line: number, value: Record<string, unknown>): ChatMessage[] {
  const messages = value['messages'];
  if (!Array.isArray(messages) || messages.length === 0) throw new UsageError(`${path}, line ${line}, field messages: must be a non-empty list of {"role", "content"}`);
  return messages.map((m: unknown, i) => {
    const where = `${path}, line ${line}, field messages[${i}]`;
    if (typeof m !== 'object' || m === null) throw new UsageError(`${where}: must be {"role", "content"}`);
    const { role, content } = m as { role?: unknown; content?: unknown };
    if (!ROLES.includes(role as (typeof ROLES)[number])) throw new UsageError(`${where}.role: must be one of ${ROLES.join(', ')}`);
    if (typeof content !== 'string') throw new UsageError(`${where}.content: must be text`);
    return { role: role as ChatMessage['role'], content };
  });
}

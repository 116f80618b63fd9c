import { fail, ok, type Result } from '../result.ts';
import type { FileFormat } from './records.ts';

/** Files larger than this are refused before they are read (50 MiB). */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  return `${(bytes / (1024 * 1024 * 1024)).toFixed(2)} GiB`;
}

/** Refuse a file by its size alone, before reading it. */
export function checkImportSize(size: number): Result<void> {
  if (size === 0) return fail('The file is empty.');
  if (size > MAX_IMPORT_BYTES) {
    return fail(`The file is ${formatBytes(size)}; the studio imports files up to ${formatBytes(MAX_IMPORT_BYTES)}.`);
  }
  return ok(undefined);
}

/**
 * Decode a file's bytes as UTF-8 text (a BOM is dropped). Binary files (NUL bytes, invalid UTF-8)
 * and files with nothing but whitespace are refused with one message.
 */
export function decodeImportBytes(bytes: Uint8Array): Result<string> {
  const size = checkImportSize(bytes.byteLength);
  if (!size.ok) return size;
  if (bytes.subarray(0, 8192).includes(0)) return fail('This is not a text file: JSON Lines or CSV expected.');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return fail('This file is not UTF-8 text: JSON Lines or CSV expected.');
  }
  if (text.trim() === '') return fail('The file is empty.');
  return ok(text);
}

/**
 * Tell JSON Lines from CSV by content, not by file name: JSONL rows are objects, so the first
 * non-blank character is `{`. A JSON array (`[`) is refused with advice, since its items have no
 * line numbers to report problems by.
 */
export function detectFormat(text: string): Result<FileFormat> {
  const first = /\S/.exec(text)?.[0];
  if (first === undefined) return fail('The file is empty.');
  if (first === '{') return ok('jsonl');
  if (first === '[') {
    return fail('This is a JSON array; the studio imports JSON Lines (one JSON object a line) or CSV with a header row.');
  }
  const firstLine = text.slice(text.search(/\S/)).split(/\r?\n/, 1)[0] ?? '';
  if (!/[,;\t|]/.test(firstLine)) {
    return fail(
      'This is neither JSON Lines nor CSV: JSONL rows start with "{", and a CSV file needs a header row with at least two columns.',
    );
  }
  return ok('csv');
}

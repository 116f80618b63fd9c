// Generated files that are committed (the demo model, fixtures): write them, or compare them with what is committed.
import { readFileSync, writeFileSync } from 'node:fs';

/** Writes each file, or with `check` compares it byte for byte and writes nothing; returns the names that differ. */
export function writeOrCheck(files: Iterable<readonly [name: string, url: URL, bytes: Uint8Array]>, check: boolean): string[] {
  const stale: string[] = [];
  for (const [name, url, bytes] of files) {
    if (!check) {
      writeFileSync(url, bytes);
      continue;
    }
    let committed: Buffer | null = null;
    try {
      committed = readFileSync(url);
    } catch {
      // a missing file is stale too
    }
    if (!committed?.equals(bytes)) stale.push(name);
  }
  return stale;
}

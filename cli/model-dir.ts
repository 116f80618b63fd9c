import { openAsBlob, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ModelSource, NamedBlob } from '../src/engine/engine.ts';
import { UsageError } from './args.ts';

/**
 * A model folder in the Hub's file layout (config.json, tokenizer.json, model.safetensors, ...) as the engine's
 * 'files' source: each file a lazy Blob (fs.openAsBlob), so nothing is read before the engine asks.
 */
export async function modelDirSource(dir: string, flag = '--model'): Promise<Extract<ModelSource, { kind: 'files' }>> {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => statSync(join(dir, name)).isFile());
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`${flag}: cannot read the folder ${dir}${code ? ` (${code})` : ''}`);
  }
  const files: NamedBlob[] = await Promise.all(names.map(async (name) => ({ name, blob: await openAsBlob(join(dir, name)) })));
  return { kind: 'files', label: basename(dir) || dir, files };
}

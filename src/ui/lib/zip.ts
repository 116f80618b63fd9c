import { strToU8, zipSync } from 'fflate';

/**
 * A zip archive of the given files (name -> bytes or text, text written as UTF-8), for downloads that are several
 * files (a PEFT adapter, a TRL export). Names may hold folders ("adapter/adapter_config.json"). Stored uncompressed
 * when compressing would not help (fflate's level 6 otherwise).
 */
export function zipFiles(files: Readonly<Record<string, Uint8Array | string>>): Uint8Array {
  const entries = Object.fromEntries(Object.entries(files).map(([name, data]) => [name, typeof data === 'string' ? strToU8(data) : data]));
  return zipSync(entries, { level: 6 });
}

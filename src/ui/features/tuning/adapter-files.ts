import type { PeftAdapter } from '../../../engine/engine.ts';

/** The two files of a PEFT adapter, as PeftModel.save_pretrained names them. */
export const ADAPTER_CONFIG_FILE = 'adapter_config.json';
export const ADAPTER_WEIGHTS_FILE = 'adapter_model.safetensors';

/** adapter_config.json's text as PEFT writes it: sorted keys, a two-space indent, a final newline. */
export function adapterConfigJson(config: Record<string, unknown>): string {
  return `${JSON.stringify(Object.fromEntries(Object.keys(config).sort().map((k) => [k, config[k]])), null, 2)}\n`;
}

/** The file's name without its folder (a folder pick gives "my-adapter/adapter_config.json"). */
const baseName = (file: File) => file.name.split('/').pop() ?? file.name;

/**
 * A PEFT adapter from files the user picked (the two files, or a folder holding them). Only the files' presence and
 * the config's JSON are checked here; whether the adapter fits the model is the engine's to say.
 * Throws an Error whose message says what is missing or wrong.
 */
export async function readAdapterFiles(files: readonly File[]): Promise<PeftAdapter> {
  const config = files.find((f) => baseName(f) === ADAPTER_CONFIG_FILE);
  const weights = files.find((f) => baseName(f) === ADAPTER_WEIGHTS_FILE);
  const missing = [config ? null : ADAPTER_CONFIG_FILE, weights ? null : ADAPTER_WEIGHTS_FILE].filter((n) => n !== null);
  if (!config || !weights) throw new Error(`A PEFT adapter is two files, ${ADAPTER_CONFIG_FILE} and ${ADAPTER_WEIGHTS_FILE}; ${missing.join(' and ')} is not among those picked.`);
  let json: unknown;
  try {
    json = JSON.parse(await config.text());
  } catch (cause) {
    throw new Error(`${ADAPTER_CONFIG_FILE} is not JSON (${cause instanceof Error ? cause.message : String(cause)}).`, { cause });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error(`${ADAPTER_CONFIG_FILE} is not a JSON object.`);
  return { config: json as Record<string, unknown>, weights: new Uint8Array(await weights.arrayBuffer()) };
}

/** The base an adapter names (adapter_config.json's base_model_name_or_path and revision), as "repo@revision". */
export function adapterBaseLabel(adapter: PeftAdapter): string | null {
  const name = adapter.config['base_model_name_or_path'];
  const revision = adapter.config['revision'];
  if (typeof name !== 'string' || name === '') return null;
  return typeof revision === 'string' && revision !== '' ? `${name}@${revision}` : name;
}

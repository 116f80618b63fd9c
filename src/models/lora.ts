import { z } from 'zod';
import { ConfigError, configErrorFromZod, parseJsonText } from './config-error.ts';
import { projectionModuleName, projectionShape } from './architecture.ts';
import { PROJECTIONS, type ModelConfig, type Projection } from './config.ts';
import { SeededRandom } from './random.ts';

/**
 * LoRA adapters as PEFT names, shapes, initialises and describes them (no graph code: the graph builders use
 * these names and shapes). PEFT's LoRA on a linear layer W (weight [out, in]):
 *
 *     y = x W^T (+ bias) + (dropout(x) A^T B^T) * scaling,   A: [r, in], B: [out, r], scaling = alpha / r
 *
 * Sources (huggingface/peft): tuners/lora/layer.py (update_layer: lora_A = Linear(in, r), lora_B = Linear(r, out),
 * scaling = lora_alpha / r; reset_lora_parameters: kaiming_uniform_(A, a=sqrt(5)), zeros_(B)),
 * utils/save_and_load.py (get_peft_model_state_dict drops the adapter name: "...q_proj.lora_A.default.weight" is
 * saved as "...q_proj.lora_A.weight"), config.py (adapter_config.json is the config's dict, sorted keys, indent 2).
 */

/** LoRA targets are the seven projections: q, k, v, o (attention) and gate, up, down (MLP). */
export const LORA_TARGETS = PROJECTIONS;
export type LoraTarget = Projection;

export interface LoraSpec {
  readonly r: number;
  readonly alpha: number;
  /** A non-empty subset of LORA_TARGETS, without repeats. */
  readonly targets: readonly LoraTarget[];
  /** PEFT's lora_dropout. Recorded for export; a graph that does not implement dropout must refuse dropout > 0. */
  readonly dropout: number;
}

const loraSpecSchema = z.object({
  r: z.number().int().positive(),
  alpha: z.number().positive(),
  targets: z
    .array(z.enum(LORA_TARGETS))
    .min(1)
    .refine((t) => new Set(t).size === t.length, 'targets must not repeat'),
  dropout: z.number().min(0).lt(1).default(0),
});

/** Validates a LoRA spec (e.g. from the UI or a saved experiment); throws a ConfigError naming the field. */
export function parseLoraSpec(input: unknown, source = 'LoRA settings'): LoraSpec {
  const parsed = loraSpecSchema.safeParse(input);
  if (!parsed.success) throw configErrorFromZod(parsed.error, input, source);
  // Canonical order, so names and exported configs do not depend on the order the user picked targets in.
  return { ...parsed.data, targets: LORA_TARGETS.filter((t) => parsed.data.targets.includes(t)) };
}

/** alpha / r, the factor PEFT multiplies the low-rank update by. */
export function loraScaling(spec: LoraSpec): number {
  return spec.alpha / spec.r;
}

/** PEFT's module name for a target: q -> "q_proj", gate -> "gate_proj". */
export function targetModuleName(target: LoraTarget): string {
  return `${target}_proj`;
}

/** The prefix PeftModel adds to the base model's module names (PeftModel.base_model -> LoraModel.model). */
export const PEFT_PREFIX = 'base_model.model.';

/** Names in adapter_model.safetensors: "base_model.model.model.layers.{i}.self_attn.q_proj.lora_A.weight". */
export function loraTensorNames(layer: number, target: LoraTarget): { a: string; b: string } {
  const module = `${PEFT_PREFIX}${projectionModuleName(layer, target)}`;
  return { a: `${module}.lora_A.weight`, b: `${module}.lora_B.weight` };
}

export interface LoraParameter {
  readonly name: string;
  readonly layer: number;
  readonly target: LoraTarget;
  readonly matrix: 'A' | 'B';
  /** A: [r, inFeatures]; B: [outFeatures, r]. */
  readonly shape: readonly [number, number];
}

/** Every LoRA tensor for a model and spec: by layer, then target in canonical order, A before B. */
export function loraParameters(config: ModelConfig, spec: LoraSpec): LoraParameter[] {
  const out: LoraParameter[] = [];
  for (let layer = 0; layer < config.numHiddenLayers; layer++) {
    for (const target of LORA_TARGETS) {
      if (!spec.targets.includes(target)) continue;
      const { inFeatures, outFeatures } = projectionShape(config, target);
      const names = loraTensorNames(layer, target);
      out.push({ name: names.a, layer, target, matrix: 'A', shape: [spec.r, inFeatures] });
      out.push({ name: names.b, layer, target, matrix: 'B', shape: [outFeatures, spec.r] });
    }
  }
  return out;
}

/**
 * PEFT's default initialisation, seeded: A ~ kaiming_uniform_(a = sqrt(5)) over fan_in = inFeatures, which is
 * U(-1/sqrt(in), 1/sqrt(in)) (gain sqrt(2 / (1 + 5)), bound gain * sqrt(3 / fan_in)); B = 0, so the adapted
 * model starts equal to the base. Values are drawn in loraParameters order (row-major) from SeededRandom(seed).
 */
export function initLoraWeights(config: ModelConfig, spec: LoraSpec, seed: number): Map<string, Float32Array> {
  const random = new SeededRandom(seed);
  const out = new Map<string, Float32Array>();
  for (const p of loraParameters(config, spec)) {
    const [rows, cols] = p.shape;
    if (p.matrix === 'A') {
      const bound = 1 / Math.sqrt(cols);
      out.set(p.name, random.uniformArray(rows * cols, -bound, bound));
    } else {
      out.set(p.name, new Float32Array(rows * cols));
    }
  }
  return out;
}

/**
 * adapter_config.json as PEFT's LoraConfig.save_pretrained writes it for a causal LM (the fields PEFT reads,
 * with PEFT's defaults for the features we do not use). Serialise with adapterConfigText for PEFT's layout.
 */
export function adapterConfig(spec: LoraSpec, baseModelNameOrPath: string | null): Record<string, unknown> {
  return {
    alpha_pattern: {},
    auto_mapping: null,
    base_model_name_or_path: baseModelNameOrPath,
    bias: 'none',
    fan_in_fan_out: false,
    inference_mode: true,
    init_lora_weights: true,
    layers_pattern: null,
    layers_to_transform: null,
    lora_alpha: spec.alpha,
    lora_dropout: spec.dropout,
    modules_to_save: null,
    peft_type: 'LORA',
    r: spec.r,
    rank_pattern: {},
    revision: null,
    target_modules: spec.targets.map(targetModuleName),
    task_type: 'CAUSAL_LM',
    use_dora: false,
    use_rslora: false,
  };
}

/** JSON text with sorted keys and two-space indent, as PEFT writes it. */
export function adapterConfigText(spec: LoraSpec, baseModelNameOrPath: string | null): string {
  const config = adapterConfig(spec, baseModelNameOrPath);
  const sorted = Object.fromEntries(Object.keys(config).sort().map((k) => [k, config[k]]));
  return JSON.stringify(sorted, null, 2);
}

/** A field the engine supports only when unset: null, absent, or an empty list or map. */
const unset = (what: string) =>
  z
    .unknown()
    .refine(
      (v) => v == null || (Array.isArray(v) ? v.length === 0 : typeof v === 'object' && Object.keys(v).length === 0),
      `${what} is not supported`,
    )
    .optional();

const adapterConfigSchema = z.looseObject({
  peft_type: z.literal('LORA', { error: 'only LoRA adapters are supported (peft_type "LORA")' }),
  task_type: z.literal('CAUSAL_LM', { error: 'only causal-LM adapters are supported (task_type "CAUSAL_LM")' }).nullish(),
  base_model_name_or_path: z.string().nullish(),
  r: z.number().int().positive(),
  lora_alpha: z.number().positive(),
  lora_dropout: z.number().min(0).lt(1).default(0),
  target_modules: z.union([z.array(z.string()).min(1), z.string()]),
  bias: z.literal('none', { error: 'trained biases are not supported (bias "none" only)' }).default('none'),
  fan_in_fan_out: z.literal(false, { error: 'fan_in_fan_out is for Conv1D models, not Llama/Qwen2' }).default(false),
  use_dora: z.literal(false, { error: 'DoRA is not supported' }).nullish(),
  use_rslora: z.literal(false, { error: 'rank-stabilised LoRA (alpha / sqrt(r)) is not supported' }).nullish(),
  lora_bias: z.literal(false, { error: 'LoRA biases are not supported' }).nullish(),
  modules_to_save: unset('modules_to_save (fully trained modules)'),
  layers_to_transform: unset('adapting only some layers (layers_to_transform)'),
  rank_pattern: unset('a per-module rank_pattern'),
  alpha_pattern: unset('a per-module alpha_pattern'),
  // Fields of newer PEFT versions that change which weights are adapted or trained; refused unless unset.
  exclude_modules: unset('exclude_modules'),
  trainable_token_indices: unset('trainable_token_indices (trained embedding rows)'),
  target_parameters: unset('target_parameters'),
  layer_replication: unset('layer_replication'),
  use_qalora: z.literal(false, { error: 'QALoRA is not supported' }).nullish(),
});

/**
 * Reads a PEFT adapter_config.json. target_modules may be a list of module names ("q_proj", ...) or
 * "all-linear"; anything PEFT can express that the engine cannot compute is refused, naming the field.
 */
export function parseAdapterConfig(json: unknown, source = 'adapter_config.json'): { spec: LoraSpec; baseModelNameOrPath: string | null } {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ConfigError(source, null, 'must be a JSON object');
  }
  const parsed = adapterConfigSchema.safeParse(json);
  if (!parsed.success) throw configErrorFromZod(parsed.error, json, source);
  const raw = parsed.data;
  let targets: LoraTarget[];
  if (typeof raw.target_modules === 'string') {
    if (raw.target_modules !== 'all-linear') {
      throw new ConfigError(source, 'target_modules', `the pattern "${raw.target_modules}" is not supported (give a list of module names, or "all-linear")`);
    }
    targets = [...LORA_TARGETS];
  } else {
    targets = raw.target_modules.map((name, i) => {
      const target = LORA_TARGETS.find((t) => targetModuleName(t) === name);
      if (!target) {
        const known = LORA_TARGETS.map(targetModuleName).join(', ');
        throw new ConfigError(source, `target_modules.${i}`, `"${name}" is not a supported module (supported: ${known})`);
      }
      return target;
    });
  }
  const spec = parseLoraSpec({ r: raw.r, alpha: raw.lora_alpha, targets: [...new Set(targets)], dropout: raw.lora_dropout }, source);
  return { spec, baseModelNameOrPath: raw.base_model_name_or_path ?? null };
}

/** Parses adapter_config.json's text; JSON syntax errors name the line and column. */
export function parseAdapterConfigText(text: string, source = 'adapter_config.json'): { spec: LoraSpec; baseModelNameOrPath: string | null } {
  return parseAdapterConfig(parseJsonText(text, source), source);
}

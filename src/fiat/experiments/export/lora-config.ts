import { LORA_TARGETS, type LoraSettings, targetModuleName } from '../../../engine/engine.ts';

/**
 * PEFT's LoraConfig for the studio's LoRA settings, as JSON for `peft.LoraConfig(**json)`: the fields that define the
 * adapter a run trains and nothing else, so the file loads in older and newer PEFT alike. target_modules are the HF
 * module names (q -> "q_proj"), in PEFT's canonical order; lora_dropout is 0 because the studio's train step has no
 * dropout; bias "none" and task_type CAUSAL_LM as the studio's adapters (engine/peft-adapter.ts).
 */
export function loraConfig(lora: LoraSettings): Record<string, unknown> {
  const unknown = lora.targets.filter((t) => !(LORA_TARGETS as readonly string[]).includes(t));
  if (unknown.length > 0) throw new Error(`unknown LoRA target(s) ${unknown.join(', ')} (known: ${LORA_TARGETS.join(', ')})`);
  return {
    r: lora.r,
    lora_alpha: lora.alpha,
    lora_dropout: 0,
    target_modules: LORA_TARGETS.filter((t) => lora.targets.includes(t)).map(targetModuleName),
    bias: 'none',
    task_type: 'CAUSAL_LM',
  };
}

export function loraConfigJson(lora: LoraSettings): string {
  return `${JSON.stringify(loraConfig(lora), null, 2)}\n`;
}

import { DEFAULT_HUB_ENDPOINT, IN_BROWSER_PRESET_ID } from './in-browser-model.ts';
import type { ProviderSettings } from './settings.ts';

/**
 * Starting points for a provider profile. Base URLs are the documented OpenAI-compatible roots;
 * the client appends `/chat/completions` and `/models`. The last preset is no server: the in-browser
 * provider (in-browser-model.ts), whose base URL is the Hugging Face Hub endpoint its models come from. Notes are shown next to the form: they
 * say what the user must do on the server side (keys, CORS) for a browser page to reach it.
 */
export interface ProviderPreset {
  id: string;
  label: string;
  baseUrl: string;
  /** Whether the server refuses requests without a key. */
  needsKey: boolean;
  /** Example model id for the placeholder; the user picks the real one (test connection lists them). */
  modelExample: string;
  notes: string;
  /** Settings this server needs that differ from the defaults. */
  overrides?: Partial<Pick<ProviderSettings, 'maxTokensField' | 'streamUsage' | 'streaming'>>;
}

export const PROVIDER_PRESETS: readonly ProviderPreset[] = [
  {
    id: 'openai',
    label: 'OpenAI',
    baseUrl: 'https://api.openai.com/v1',
    needsKey: true,
    modelExample: 'gpt-4o-mini',
    notes:
      'Key from platform.openai.com. Newer models take max_completion_tokens (set here); reasoning models (o-series, gpt-5) accept only their default temperature.',
    overrides: { maxTokensField: 'max_completion_tokens' },
  },
  {
    id: 'gemini',
    label: 'Gemini (OpenAI-compatible endpoint)',
    baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai',
    needsKey: true,
    modelExample: 'gemini-2.5-flash',
    notes: 'Key from Google AI Studio. The key is sent as a Bearer header, never in the URL.',
  },
  {
    id: 'ollama',
    label: 'Ollama',
    baseUrl: 'http://127.0.0.1:11434/v1',
    needsKey: false,
    modelExample: 'llama3.1:8b',
    notes:
      'Run `ollama serve` and `ollama pull MODEL`. Ollama accepts pages on localhost/127.0.0.1; for another origin start it with OLLAMA_ORIGINS set to that origin. Any key (or none) works.',
  },
  {
    id: 'vllm',
    label: 'vLLM',
    baseUrl: 'http://127.0.0.1:8000/v1',
    needsKey: false,
    modelExample: 'Qwen/Qwen2.5-7B-Instruct',
    notes:
      'Run `vllm serve MODEL`; the model id is the one it serves. Needs a key only if started with --api-key. CORS: --allowed-origins.',
  },
  {
    id: 'llama-cpp',
    label: 'llama.cpp server',
    baseUrl: 'http://127.0.0.1:8080/v1',
    needsKey: false,
    modelExample: 'local-model',
    notes: 'Run `llama-server -m MODEL.gguf --port 8080`; it serves the one model it loaded whatever the model field says. Needs a key only if started with --api-key.',
  },
  {
    id: 'lm-studio',
    label: 'LM Studio',
    baseUrl: 'http://127.0.0.1:1234/v1',
    needsKey: false,
    modelExample: 'qwen2.5-7b-instruct',
    notes: 'Start the local server in LM Studio (Developer tab) and turn on CORS there so this page can reach it.',
  },
  {
    id: 'openrouter',
    label: 'OpenRouter',
    baseUrl: 'https://openrouter.ai/api/v1',
    needsKey: true,
    modelExample: 'meta-llama/llama-3.1-70b-instruct',
    notes: 'Key from openrouter.ai; model ids are vendor/model. Prices differ per model: enter them for the cost estimate.',
  },
  {
    id: 'custom',
    label: 'Other OpenAI-compatible server',
    baseUrl: 'http://127.0.0.1:8787/v1',
    needsKey: false,
    modelExample: 'model-id',
    notes: 'Any server with POST /chat/completions (SSE streaming) under the base URL.',
  },
  {
    id: IN_BROWSER_PRESET_ID,
    label: 'In-browser (small model on this device)',
    baseUrl: DEFAULT_HUB_ENDPOINT,
    needsKey: false,
    modelExample: 'HuggingFaceTB/SmolLM2-360M-Instruct@main',
    notes:
      'A small model runs in this browser (WebGPU, or WebAssembly without it): no server, no key, nothing leaves the machine. The demo model ships with the studio and works offline, but its weights are random, so its reasoning is gibberish: it is there to try the pipeline. Real models (SmolLM2-360M-Instruct, Qwen2.5-0.5B-Instruct, …) download once from the Hugging Face Hub (hundreds of MB) and stay in the browser’s cache; their reasoning is still far weaker than a large model’s.',
  },
];

export function findPreset(id: string): ProviderPreset | undefined {
  return PROVIDER_PRESETS.find((p) => p.id === id);
}

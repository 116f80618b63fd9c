// The demo model's ModelInfo as a fake engine reports it, for the UI's tests (override what a test varies).
import type { ModelInfo } from '../../../src/engine/engine.ts';

export function demoModelInfo(overrides: Partial<ModelInfo> = {}): ModelInfo {
  return {
    label: 'fiat-studio/demo',
    source: 'url',
    base: { name: 'fiat-studio/demo', revision: null },
    architecture: 'LlamaForCausalLM',
    parameters: 1000,
    hiddenSize: 64,
    layers: 2,
    contextLength: 512,
    vocabSize: 100,
    weightDtype: 'F32',
    weightBytes: 4000,
    randomWeights: true,
    hasTokenizer: true,
    hasChatTemplate: false,
    eosTokenIds: [2],
    padTokenId: null,
    ...overrides,
  };
}

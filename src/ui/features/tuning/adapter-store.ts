import { create } from 'zustand';
import type { PeftAdapter } from '../../../engine/engine.ts';

/**
 * "The imported adapter": a PEFT adapter the user brought in, checked against the small model loaded when it was
 * imported. The run settings may start from it (TrainingSetup.adapter) and evaluation may run with it
 * (InferenceAdapter { kind: 'peft', adapter }). Kept for the session only; loading another model does not clear it,
 * but the engine checks it again at each use.
 */
export interface ImportedAdapter {
  readonly adapter: PeftAdapter;
  /** What the user picked, for the view ("adapter_config.json, adapter_model.safetensors" or the folder). */
  readonly from: string;
  /** The base it names (repo@revision), or null when its config names none. */
  readonly base: string | null;
  /** The label of the model it was checked against. */
  readonly checkedWith: string;
}

interface AdapterState {
  readonly imported: ImportedAdapter | null;
  setImported: (imported: ImportedAdapter | null) => void;
}

export const useAdapterStore = create<AdapterState>()((set) => ({
  imported: null,
  setImported: (imported) => set({ imported }),
}));

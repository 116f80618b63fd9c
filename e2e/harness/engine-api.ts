// The typed API the engine harness page exposes on `window` (e2e/harness/engine.ts) for e2e/engine*.spec.ts.
export type HarnessEp = 'webgpu' | 'wasm';

export interface TrainRun {
  readonly ep: HarnessEp;
  readonly graphCapture: boolean;
  readonly losses: number[];
  /** The packed adapter after the last step. */
  readonly adapter: number[];
  readonly trainStepNodes: number;
  readonly msPerStep: number;
}

export interface PlacementProbe {
  /** Nodes per execution provider, from ORT's verbose session log; null if the log had no placement lines. */
  readonly nodesByProvider: Record<string, number> | null;
  readonly nodeNames: Record<string, string[]> | null;
  readonly trainStepNodes: number;
}

export interface DeviceLossProbe {
  /** Steps that finished before the device was destroyed. */
  readonly stepsBefore: number;
  /** How the step queued when the device was destroyed settled, and how a later step settled. */
  readonly pending: { readonly name: string; readonly message: string } | 'resolved' | 'timeout';
  readonly later: { readonly name: string; readonly message: string } | 'resolved' | 'timeout';
}

export interface EngineHarness {
  train(ep: HarnessEp, steps: number, options?: { graphCapture?: boolean }): Promise<TrainRun>;
  placement(): Promise<PlacementProbe>;
  deviceLoss(): Promise<DeviceLossProbe>;
}

declare global {
  interface Window {
    engineHarness?: EngineHarness;
  }
}

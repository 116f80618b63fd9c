import { EngineError } from '../errors.ts';
import type { EngineMethod, EngineProgress } from './protocol.ts';

/**
 * TEST ONLY: how an e2e build's worker loses its GPU device on purpose when asked ('debug-lose-device', protocol.ts),
 * so that e2e/tuning-device-lost.spec.ts sees a run lose its device at a known step. Only engine.worker.ts makes one,
 * and only in a build made with `vite build --mode e2e` (__E2E__); a production worker has none and refuses the
 * message (serve.ts).
 */
export class DebugDeviceLoss {
  /** Lose the device once a train step at or past this one has been reported; null: nothing armed. */
  #atStep: number | null = null;

  /** `destroy` destroys the device (runtime/lose-device.ts) and says whether there was one. */
  constructor(private readonly destroy: () => Promise<boolean>) {}

  /**
   * Loses the device now (`atStep` null: rejects 'usage' where no WebGPU session has made a device yet), or arms the
   * loss for right after the progress of train step `atStep` has been posted: the run then fails in the step after
   * it, at a step the test knows, whatever the speed of the GPU.
   */
  async lose(atStep: number | null): Promise<void> {
    if (atStep !== null) {
      this.#atStep = atStep;
      return;
    }
    if (!(await this.destroy())) throw new EngineError('usage', 'debug-lose-device: there is no GPU device to lose (no WebGPU session was made in this worker)');
  }

  /** serve.ts calls this after it posts a request's progress. */
  progressPosted(method: EngineMethod, progress: EngineProgress): void {
    if (this.#atStep === null || method !== 'train' || !('loss' in progress) || progress.step < this.#atStep) return;
    this.#atStep = null;
    void this.destroy();
  }
}

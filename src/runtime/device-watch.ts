/** The GPU device was lost (driver reset, GPU process crash, device.destroy()); training cannot continue on it. */
export class DeviceLostError extends Error {
  override readonly name = 'DeviceLostError';

  constructor(
    readonly reason: string,
    detail: string,
  ) {
    super(`The WebGPU device was lost (${reason}${detail ? `: ${detail}` : ''}). The trained state on the GPU is gone; start again from the last saved state.`);
  }
}

/**
 * Watches `device.lost`. Work awaited through `guard` rejects with a DeviceLostError as soon as the device is
 * lost, even when the work itself would never settle (a run or a buffer map on a dead device can hang).
 */
export class DeviceWatch {
  error: DeviceLostError | null = null;
  private readonly waiting = new Set<(error: DeviceLostError) => void>();

  constructor(device: GPUDevice | null) {
    void device?.lost.then((info) => {
      this.error = new DeviceLostError(info.reason ?? 'unknown', info.message);
      for (const reject of this.waiting) reject(this.error);
      this.waiting.clear();
    });
  }

  /** Throws the device loss, if it happened. */
  check(): void {
    if (this.error) throw this.error;
  }

  guard<T>(work: Promise<T>): Promise<T> {
    if (this.error) {
      work.catch(() => undefined); // the device is gone: whatever the work says no longer matters
      return Promise.reject(this.error);
    }
    return new Promise<T>((resolve, reject) => {
      this.waiting.add(reject);
      work.then(
        (value) => {
          this.waiting.delete(reject);
          resolve(value);
        },
        (error: unknown) => {
          this.waiting.delete(reject);
          reject(this.error ?? (error instanceof Error ? error : new Error(String(error))));
        },
      );
    });
  }
}

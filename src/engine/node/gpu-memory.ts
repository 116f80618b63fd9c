/**
 * Peak bytes of GPU buffers alive on the devices created after `install()`, counted by wrapping
 * GPUAdapter.requestDevice, then each device's createBuffer and each buffer's destroy. onnxruntime-web keeps
 * freed buffers for reuse, so this is its real footprint. WebGPU has no API for a device's memory use; this is
 * the closest measure.
 */
export class GpuMemoryMeter {
  liveBytes = 0;
  peakBytes = 0;
  /** With `install({ trace: true })`: every creation (+bytes) and destruction (-bytes), in order, to compare with a model of the allocator. */
  readonly trace: number[] | null;

  private constructor(trace: boolean) {
    this.trace = trace ? [] : null;
  }

  static install(options: { trace?: boolean } = {}): GpuMemoryMeter {
    const meter = new GpuMemoryMeter(options.trace ?? false);
    const proto = GPUAdapter.prototype;
    // Kept unbound on purpose: it is called below with the adapter as `this`.
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const requestDevice = proto.requestDevice;
    proto.requestDevice = async function (this: GPUAdapter, descriptor?: GPUDeviceDescriptor): Promise<GPUDevice> {
      const device = await requestDevice.call(this, descriptor);
      meter.watch(device);
      return device;
    };
    return meter;
  }

  private watch(device: GPUDevice): void {
    const create = device.createBuffer.bind(device);
    device.createBuffer = (descriptor: GPUBufferDescriptor): GPUBuffer => {
      const buffer = create(descriptor);
      const size = descriptor.size;
      this.liveBytes += size;
      this.peakBytes = Math.max(this.peakBytes, this.liveBytes);
      this.trace?.push(size);
      const destroy = buffer.destroy.bind(buffer);
      let destroyed = false;
      buffer.destroy = () => {
        if (!destroyed) {
          this.liveBytes -= size;
          this.trace?.push(-size);
        }
        destroyed = true;
        destroy();
      };
      return buffer;
    };
  }
}

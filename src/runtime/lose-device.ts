import type { OrtModule } from './ort.ts';

/**
 * TEST ONLY (the e2e build's 'debug-lose-device', engine/worker/debug-device-loss.ts): destroys the GPU device that
 * onnxruntime-web made for its WebGPU sessions in this JS context, as a driver reset or a crashed GPU process takes
 * it. `destroy()` resolves `device.lost` (reason 'destroyed'); the WebGPU backend's DeviceWatch, made on this same
 * device (`ort.env.webgpu.device` once a session exists, webgpu-backend.ts), then fails every run waiting on it and
 * every later one with a DeviceLostError. onnxruntime-web never makes another device in this context (JSEP requests
 * one when its WebGPU backend initialises, once): only a new worker gets one.
 * Resolves false where no WebGPU session has made a device yet.
 */
export async function destroyWebGpuDevice(ort: OrtModule): Promise<boolean> {
  // JSEP stores the device itself there, the native WebGPU build a promise of it: await takes both.
  const device = (await ort.env.webgpu.device) as GPUDevice | undefined;
  if (!device) return false;
  device.destroy();
  return true;
}

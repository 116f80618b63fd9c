// Copied from shared/gpu/shim.mjs (the lead's probe of dawn.node + onnxruntime-web), so that it resolves npm `webgpu` from this repo.
// Make dawn.node (npm `webgpu`) usable as a browser-like navigator.gpu in Node, with the
// workarounds found necessary (webgpu@0.6.2, Node 20.20; SwiftShader on a 2-core CPU, and an NVIDIA H200):
//  1. KEEP THE LIBUV LOOP ALIVE from startup (ref'd interval) until releaseKeepAlive().
//     dawn.node only makes progress from a setImmediate tick on the libuv loop. When a script
//     awaits something that holds no libuv handle (e.g. WebAssembly.instantiate of ORT's 26 MB
//     wasm), Node enters NodePlatform::DrainTasks; all following JS then runs from V8 foreground
//     tasks inside DrainTasks, which blocks until V8's background TurboFan tier-up of the wasm is
//     finished -> the first ORT WebGPU inference took 33-51 s instead of ~2 s (gdb-confirmed).
//  2. GPUQueue.writeBuffer rejects SharedArrayBuffer-backed data ("Invalid argument" /
//     "no overload matched"), but onnxruntime-web's threaded wasm heap is always shared -> copy.
//  3. Keep a strong reference to the object returned by create() (here: navigator.gpu); if it is
//     garbage-collected while work is pending the process aborts (std::system_error / SIGSEGV).
// Needs a Vulkan driver: VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json
// (SwiftShader shipped in Debian's chromium package). Mesa lavapipe 22.3 is rejected by Dawn.
import { create, globals } from 'webgpu';
Object.assign(globalThis, globals);

let keepAlive = process.env.NO_KEEPALIVE === '1' ? null : setInterval(() => {}, 1 << 30);
export function releaseKeepAlive() { if (keepAlive) clearInterval(keepAlive); keepAlive = null; }

if (process.env.NO_SAB_PATCH !== '1') {
  const wb = globals.GPUQueue.prototype.writeBuffer;
  globals.GPUQueue.prototype.writeBuffer = function (buffer, offset, data, dataOffset = 0, size) {
    if (data instanceof SharedArrayBuffer) { // JSEP (ort.all / ort.min) passes the raw heap + byte offset
      const len = size === undefined ? data.byteLength - dataOffset : size;
      return wb.call(this, buffer, offset, new Uint8Array(data, dataOffset, len).slice(), 0, len);
    }
    if (ArrayBuffer.isView(data) && data.buffer instanceof SharedArrayBuffer) { // ort.webgpu (asyncify)
      const el = data.BYTES_PER_ELEMENT || 1;
      const start = dataOffset * el, len = size === undefined ? data.byteLength - start : size * el;
      return wb.call(this, buffer, offset, new Uint8Array(data.buffer, data.byteOffset + start, len).slice(), 0, len);
    }
    return wb.call(this, buffer, offset, data, dataOffset, size);
  };
}
export const gpu = create((process.env.DAWN_OPTS || '').split(' ').filter(Boolean));
if (typeof globalThis.navigator === 'undefined') globalThis.navigator = {};
Object.defineProperty(globalThis.navigator, 'gpu', { value: gpu, configurable: true });
export { globals };

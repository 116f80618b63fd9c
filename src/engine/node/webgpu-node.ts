import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { OrtModule } from '../../runtime/ort.ts';

/**
 * onnxruntime-web's WebGPU EP in Node: dawn.node (npm `webgpu`) as navigator.gpu through the shim
 * (webgpu-shim.mjs, see its comments), and a browser build of onnxruntime-web loaded from its
 * dist folder ('all' = the JSEP build the studio bundles, 'webgpu' = the native WebGPU EP). Without a GPU,
 * VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json runs it on SwiftShader (slow).
 * The dist folder is $FIAT_ORT_DIST, else ./node_modules/onnxruntime-web/dist/ (shared/gpu/pack.sh's layout).
 */
export type WebGpuBuild = 'all' | 'webgpu';

export async function nodeWebGpu(build: WebGpuBuild): Promise<{ ort: OrtModule; release: () => void }> {
  const shim = await import('./webgpu-shim.mjs');
  const dist = process.env['FIAT_ORT_DIST'] ?? join(process.cwd(), 'node_modules/onnxruntime-web/dist/');
  const file = join(dist, `ort.${build}.min.mjs`);
  if (!existsSync(file)) throw new Error(`onnxruntime-web build not found: ${file} (set FIAT_ORT_DIST)`);
  const ort = (await import(pathToFileURL(file).href)) as OrtModule;
  ort.env.wasm.wasmPaths = dist.endsWith('/') ? dist : `${dist}/`;
  if ((await shim.gpu.requestAdapter()) === null) {
    shim.releaseKeepAlive();
    throw new Error('WebGPU in Node: no adapter. Without a GPU set VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json (SwiftShader)');
  }
  return { ort, release: () => shim.releaseKeepAlive() };
}

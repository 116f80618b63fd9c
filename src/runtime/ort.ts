import * as ort from 'onnxruntime-web';

/**
 * The one import of onnxruntime-web (STYLE.md, practice 6). Everything else in runtime/ talks to an
 * `OrtModule`: the parts of an onnxruntime JavaScript API it uses, which onnxruntime-web (WebGPU and WASM EPs)
 * and onnxruntime-node (runtime/node/, CLI and tests only) both provide, since both are built on
 * onnxruntime-common. The browser build resolves this import to ORT's JSEP bundle (WebGPU + WASM); Node
 * resolves it to the WASM-only Node build, and a WebGPU run in Node (dawn.node) passes another build of
 * onnxruntime-web as its OrtModule (cli/, bench/).
 */

export type OrtTensor = ort.Tensor;
export type OrtSession = ort.InferenceSession;
export type OrtSessionOptions = ort.InferenceSession.SessionOptions;
export type OrtEnv = typeof ort.env;
export type OrtTensorConstructor = typeof ort.Tensor;
export type OrtDataLocation = ort.Tensor.DataLocation;

export interface OrtModule {
  readonly InferenceSession: { create(model: Uint8Array, options?: OrtSessionOptions): Promise<OrtSession> };
  readonly Tensor: OrtTensorConstructor;
  readonly env: OrtEnv;
}

/** onnxruntime-web as bundled for this environment. */
export const onnxruntimeWeb: OrtModule = ort;

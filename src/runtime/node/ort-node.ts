import * as ortNode from 'onnxruntime-node';
import type { OrtModule } from '../ort.ts';

/**
 * onnxruntime-node (CPU EP) as an OrtModule, for the CLI and the tests. It must never reach the browser
 * bundle: only cli/, bench/, scripts/ and test/ import this folder (eslint enforces it).
 */
export const onnxruntimeNode: OrtModule = ortNode;

import { expect, test } from 'vitest';
import { whereItRuns } from '../../../../src/ui/features/tuning/RunProgress.tsx';
import { describeCpuBackend, wasmThreadsFor } from '../../../../src/ui/features/tuning/train-backend.ts';

test('WASM gets onnxruntime-web’s default threads when the page is cross-origin isolated, one when not', () => {
  expect(wasmThreadsFor(true, 2)).toBe(1);
  expect(wasmThreadsFor(true, 8)).toBe(4);
  expect(wasmThreadsFor(true, 16)).toBe(4);
  expect(wasmThreadsFor(true, 5)).toBe(3);
  expect(wasmThreadsFor(false, 16)).toBe(1);
});

test('the UI says the run is on the CPU, with its threads, and why only one', () => {
  expect(describeCpuBackend(4, true)).toBe('This browser gives no WebGPU adapter: runs train on the CPU with WASM, 4 threads, many times slower than a GPU.');
  expect(describeCpuBackend(1, false)).toContain('one thread: the page is not cross-origin isolated');
  expect(whereItRuns('webgpu', null)).toBe('WebGPU');
  expect(whereItRuns('wasm', 4)).toBe('WASM (CPU, 4 threads)');
  expect(whereItRuns('wasm', 1)).toBe('WASM (CPU, 1 thread)');
  expect(whereItRuns('wasm', null)).toBe('WASM (CPU)');
});

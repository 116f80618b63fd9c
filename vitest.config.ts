import { defineConfig } from 'vitest/config';

// Tests split by what they need (STYLE.md, practice 4):
//   test/unit  plain Node, no onnxruntime
//   test/ort   onnxruntime-node / onnxruntime-web (WASM) in Node
//   e2e/       Playwright in Chromium (not run by vitest)
export default defineConfig({
  define: { __E2E__: 'false' },
  test: {
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.{ts,tsx}'], environment: 'node' } },
      {
        extends: true,
        test: { name: 'ort', include: ['test/ort/**/*.test.ts'], environment: 'node', testTimeout: 120_000, pool: 'forks' },
      },
    ],
  },
});

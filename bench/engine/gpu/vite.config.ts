import { defineConfig } from 'vite';

// Bundles the CLI and the WebGPU verification for a GPU machine without Node modules of its own (prepare.sh):
// one ES module per entry, for Node 20; `webgpu` (dawn.node, native) and onnxruntime stay external: the pack
// (shared/gpu/pack.sh) brings node_modules/webgpu and onnxruntime-web's dist files, loaded by path.
export default defineConfig({
  logLevel: 'warn',
  publicDir: false,
  build: {
    ssr: true,
    outDir: '.gpu/engine',
    emptyOutDir: true,
    target: 'node20',
    sourcemap: false,
    rollupOptions: {
      input: { fiat: 'cli/fiat.ts', 'verify-webgpu': 'bench/engine/gpu/verify-webgpu.ts', 'profile-webgpu': 'bench/engine/gpu/profile-webgpu.ts' },
      output: { format: 'es', entryFileNames: '[name].mjs', chunkFileNames: '[name]-[hash].mjs' },
    },
  },
  ssr: { noExternal: true, external: ['webgpu', 'onnxruntime-node', 'onnxruntime-web'] },
});

import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Cross-origin isolation gives onnxruntime-web's WASM backend SharedArrayBuffer (threads).
// `credentialless` keeps CORS fetches to a user-configured Hub or provider working.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'credentialless',
};

export default defineConfig(({ mode }) => ({
  plugins: [react()],
  // The e2e build exposes a typed test API on `window` (see src/ui/testing); production builds do not.
  define: { __E2E__: JSON.stringify(mode === 'e2e') },
  build: {
    outDir: mode === 'e2e' ? 'dist-e2e' : 'dist',
    sourcemap: true,
    target: 'es2022',
    // e2e builds add test-only pages (e2e/harness/): the engine harness drives src/runtime without the UI.
    ...(mode === 'e2e' ? { rollupOptions: { input: { main: 'index.html', engine: 'e2e/harness/engine.html' } } } : {}),
  },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  server: { host: '127.0.0.1', port: 5173, headers: isolation },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true, headers: isolation },
}));

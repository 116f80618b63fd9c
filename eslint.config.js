// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// The layers of DESIGN.md, highest first. A layer may import only from layers below it.
const layers = ['ui', 'fiat', 'providers', 'engine', 'runtime', 'models', 'graph'];
const layerZones = layers.flatMap((layer, i) =>
  layers.slice(0, i).map((higher) => ({
    target: `./src/${layer}`,
    from: `./src/${higher}`,
    message: `${layer}/ is below ${higher}/ (DESIGN.md "Layers"): arrows point down only.`,
  })),
);

// src/runtime/node/ holds onnxruntime-node, and src/engine/node/ the engine's Node backends (onnxruntime-node,
// dawn.node), which must never reach the browser bundle: only cli/, bench/, scripts/, tests and src/engine/node/
// import them.
const nodeOnlyZones = [
  ...[
    ...layers.filter((l) => l !== 'runtime' && l !== 'engine').map((l) => `./src/${l}`),
    './src/runtime/*.ts',
    './src/runtime/!(node)/**',
    './src/engine/*.ts',
    './src/engine/!(node)/**',
  ].map((target) => ({
    target,
    from: './src/runtime/node',
    message: 'src/runtime/node/ is for Node (CLI, tests): onnxruntime-node must not reach the browser bundle.',
  })),
  ...[...layers.filter((l) => l !== 'engine').map((l) => `./src/${l}`), './src/engine/*.ts', './src/engine/!(node)/**'].map((target) => ({
    target,
    from: './src/engine/node',
    message: 'src/engine/node/ is for Node (CLI, bench, tests): it must not reach the browser bundle.',
  })),
];

// Third-party libraries are wrapped once (STYLE.md, practice 6); everything else imports the wrapper.
const wrapped = [
  { name: 'onnxruntime-web', wrapper: 'src/runtime/ort' },
  { name: 'monaco-editor', wrapper: 'src/ui/components/monaco' },
  { name: '@monaco-editor/react', wrapper: 'src/ui/components/monaco' },
  { name: 'dexie', wrapper: 'src/fiat/storage' },
  { name: 'eventsource-parser', wrapper: 'src/providers/sse' },
  { name: '@huggingface/tokenizers', wrapper: 'src/engine/tokenizer' },
  { name: '@huggingface/jinja', wrapper: 'src/engine/tokenizer' },
  { name: 'uplot', wrapper: 'src/ui/components/chart' },
  { name: 'fflate', wrapper: 'src/ui/lib/zip' },
];

export default tseslint.config(
  {
    ignores: ['dist', 'dist-e2e', 'node_modules', 'test-results', 'playwright-report', 'public', 'src/graph/onnx/gen', 'out', '.gpu'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      ecmaVersion: 2023,
      globals: { ...globals.browser, ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX, 'react-hooks': reactHooks },
    settings: {
      'import-x/resolver-next': [importX.createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs'] })],
    },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': ['error', { zones: [...layerZones, ...nodeOnlyZones] }],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...wrapped.map(({ name, wrapper }) => ({ name, message: `Import ${wrapper} instead (STYLE.md, practice 6).` })),
            { name: 'onnxruntime-node', message: 'onnxruntime-node lives in src/runtime/node/ only (it must never reach the browser bundle).' },
          ],
          // Subpaths too (`monaco-editor/editor/editor.api.js`, `onnxruntime-web/webgpu`).
          patterns: wrapped.map(({ name, wrapper }) => ({ group: [`${name}/*`], message: `Import ${wrapper} instead (STYLE.md, practice 6).` })),
        },
      ],
    },
  },
  // The wrappers themselves may import what they wrap; src/runtime/node/ wraps onnxruntime-node.
  ...[...wrapped.map(({ wrapper }) => wrapper), 'src/runtime/node/'].map((wrapper) => ({
    files: [`${wrapper}.ts`, `${wrapper}.tsx`, `${wrapper}/**`],
    rules: { 'no-restricted-imports': 'off' },
  })),
  // graph/ is pure TypeScript: no DOM, React or onnxruntime (tsconfig.graph.json has no DOM lib either).
  {
    files: ['src/graph/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['onnxruntime-*', 'react', 'react-*', 'node:*'], message: 'graph/ is pure TypeScript.' }] },
      ],
    },
  },
  // Tests, benchmarks, scripts and configs are not layers; they may use Node and the libraries directly.
  {
    files: ['test/**', 'e2e/**', 'bench/**', 'cli/**', 'scripts/**', '*.config.ts', '*.config.js'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);

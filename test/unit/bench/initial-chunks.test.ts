import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initialFiles, inspectInitialChunks } from '../../../bench/initial-chunks.ts';

// The shape of vite 8's dist/index.html: rolldown's runtime chunk is preloaded and has no source map.
const html = `<!doctype html><html><head>
    <script type="module" crossorigin src="/assets/index-A.js"></script>
    <link rel="modulepreload" crossorigin href="/assets/rolldown-runtime-B.js">
    <link rel="modulepreload" crossorigin href="/assets/react-C.js">
    <link rel="stylesheet" crossorigin href="/assets/index-D.css">
  </head><body><div id="root"></div></body></html>`;

let dist: string;
beforeEach(() => {
  dist = `${mkdtempSync(join(tmpdir(), 'fiat-bundle-'))}/`;
});
afterEach(() => rmSync(dist, { recursive: true, force: true }));

function write(file: string, text: string): void {
  writeFileSync(dist + file, text);
}

describe('initial chunks of a build', () => {
  it('are the entry script and the preloaded chunks; styles apart', () => {
    expect(initialFiles(html)).toEqual({
      scripts: ['assets/index-A.js', 'assets/rolldown-runtime-B.js', 'assets/react-C.js'],
      styles: ['assets/index-D.css'],
    });
  });

  it('measures a chunk without a source map and names it, instead of failing', () => {
    write('index-A.js', 'console.log(1);');
    write('index-A.js.map', JSON.stringify({ sources: ['../../src/main.tsx'] }));
    write('rolldown-runtime-B.js', 'export{};');
    const chunks = inspectInitialChunks(dist, ['index-A.js', 'rolldown-runtime-B.js']);
    expect(chunks.rawBytes).toBe('console.log(1);'.length + 'export{};'.length);
    expect(chunks.gzipBytes).toBeGreaterThan(0);
    expect(chunks.unmapped).toEqual(['rolldown-runtime-B.js']);
    expect(chunks.lazyLibrarySources).toEqual([]);
  });

  it('finds Monaco or onnxruntime-web in a mapped initial chunk', () => {
    write('index-A.js', 'x');
    write(
      'index-A.js.map',
      JSON.stringify({ sources: ['../../src/main.tsx', '../../node_modules/monaco-editor/esm/vs/editor/editor.api.js', '../../node_modules/onnxruntime-web/dist/ort.mjs'] }),
    );
    expect(inspectInitialChunks(dist, ['index-A.js']).lazyLibrarySources).toEqual([
      'index-A.js: ../../node_modules/monaco-editor/esm/vs/editor/editor.api.js',
      'index-A.js: ../../node_modules/onnxruntime-web/dist/ort.mjs',
    ]);
  });
});

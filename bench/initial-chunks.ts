import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

/**
 * What a production build loads before the app runs: the entry script of its index.html plus the chunks it
 * preloads (its static imports), and the stylesheets it links. Paths are relative to the build folder.
 */
export function initialFiles(html: string): { scripts: string[]; styles: string[] } {
  const scripts = [...html.matchAll(/<script type="module"[^>]*src="\/([^"]+)"|<link rel="modulepreload"[^>]*href="\/([^"]+)"/g)].map(
    (m) => m[1] ?? m[2] ?? '',
  );
  const styles = [...html.matchAll(/<link rel="stylesheet"[^>]*href="\/([^"]+)"/g)].map((m) => m[1] ?? '');
  return { scripts, styles };
}

/** Libraries that must be loaded lazily, as they appear in a source map's `sources`. */
const LAZY_LIBRARIES = /node_modules\/(monaco-editor|onnxruntime-web|@monaco-editor)\//;

export interface InitialChunks {
  rawBytes: number;
  gzipBytes: number;
  /** `chunk: source` for every source of a lazy library found in an initial chunk's source map. */
  lazyLibrarySources: string[];
  /**
   * Chunks without a `.map` next to them (the bundler's own runtime chunk has none): counted in the sizes,
   * but the library check cannot see into them.
   */
  unmapped: string[];
}

/** Sizes of the initial chunks in `dist` (a folder path ending in `/`) and what their source maps say is in them. */
export function inspectInitialChunks(dist: string, scripts: readonly string[]): InitialChunks {
  const result: InitialChunks = { rawBytes: 0, gzipBytes: 0, lazyLibrarySources: [], unmapped: [] };
  for (const file of scripts) {
    const code = readFileSync(dist + file);
    result.rawBytes += code.length;
    result.gzipBytes += gzipSync(code).length;
    const mapPath = `${dist}${file}.map`;
    if (!existsSync(mapPath)) {
      result.unmapped.push(file);
      continue;
    }
    const map = JSON.parse(readFileSync(mapPath, 'utf8')) as { sources: string[] };
    for (const source of map.sources) if (LAZY_LIBRARIES.test(source)) result.lazyLibrarySources.push(`${file}: ${source}`);
  }
  return result;
}

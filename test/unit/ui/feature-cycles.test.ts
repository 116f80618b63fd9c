// STYLE.md practice 12: features never import each other in a circle; what two features share moves down
// (src/ui/lib, components, state, fiat/). import-x/no-cycle sees cycles of modules only: examples/A.tsx ->
// reasoning/B.ts and reasoning/C.ts -> examples/D.ts is no module cycle, but it is a cycle of features.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const featuresDir = fileURLToPath(new URL('../../../src/ui/features', import.meta.url));

/** from feature -> to feature -> the imports that make the edge (`file: specifier`). */
type FeatureGraph = Map<string, Map<string, string[]>>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Static, type-only and dynamic imports and re-exports alike: each is a dependency of the feature. */
function featureGraph(): FeatureGraph {
  const graph: FeatureGraph = new Map();
  for (const file of sourceFiles(featuresDir)) {
    const from = relative(featuresDir, file).split(sep)[0]!;
    const edges = graph.get(from) ?? new Map<string, string[]>();
    graph.set(from, edges);
    for (const { fileName: specifier } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (!specifier.startsWith('.')) continue;
      const target = relative(featuresDir, resolve(dirname(file), specifier));
      if (target.startsWith('..')) continue;
      const to = target.split(sep)[0]!;
      if (to === from) continue;
      edges.set(to, [...(edges.get(to) ?? []), `${relative(featuresDir, file)}: ${specifier}`]);
    }
  }
  return graph;
}

/** One cycle as the path that closes it (`a -> b -> a`), or null when the graph has none. */
function findCycle(edges: ReadonlyMap<string, Iterable<string>>): string[] | null {
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (node: string): string[] | null => {
    const open = path.indexOf(node);
    if (open >= 0) return [...path.slice(open), node];
    if (done.has(node)) return null;
    path.push(node);
    for (const next of edges.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    done.add(node);
    return null;
  };
  for (const node of edges.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

describe('feature folders of src/ui', () => {
  it('findCycle finds a circle of any length and passes a graph without one', () => {
    const graph = (pairs: [string, string[]][]) => new Map(pairs);
    expect(findCycle(graph([['a', ['b']], ['b', ['a']]]))).toEqual(['a', 'b', 'a']);
    expect(findCycle(graph([['x', ['a']], ['a', ['b']], ['b', ['c']], ['c', ['a']]]))).toEqual(['a', 'b', 'c', 'a']);
    // Two ways to one feature (a diamond) is no circle.
    expect(findCycle(graph([['a', ['b', 'c']], ['b', ['d']], ['c', ['d']], ['d', []]]))).toBeNull();
  });

  it('do not import each other in a circle', () => {
    const graph = featureGraph();
    expect(graph.size).toBeGreaterThan(1);
    const cycle = findCycle(new Map([...graph].map(([from, to]) => [from, [...to.keys()]])));
    const why = (cycle ?? []).slice(1).map((to, i) => `${cycle![i]} -> ${to}: ${graph.get(cycle![i]!)!.get(to)!.join(', ')}`);
    expect(cycle, `features in a circle:\n  ${why.join('\n  ')}`).toBeNull();
  });
});

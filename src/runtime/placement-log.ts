/**
 * Reads node placement from onnxruntime's verbose session log (session option logSeverityLevel 0): at session
 * creation, VerifyEachNodeIsAssignedToAnEp logs either
 *   "All nodes placed on [JsExecutionProvider]. Number of nodes: 276"
 * or, per execution provider, "Node(s) placed on [CPUExecutionProvider]. Number of nodes: 3" followed by the
 * nodes, one per line, as "  Name (OpType)". Returns nodes per provider, and the listed nodes of each.
 */
export interface Placement {
  readonly nodesByProvider: Record<string, number>;
  readonly nodeNames: Record<string, string[]>;
}

const HEADER = /(All nodes|Node\(s\)) placed on \[(\w+)\]\. Number of nodes: (\d+)/;
const NODE = /^\s+(\S+) \((\w+)\)\s*$/;

export function parsePlacementLog(lines: readonly string[]): Placement | null {
  const nodesByProvider: Record<string, number> = {};
  const nodeNames: Record<string, string[]> = {};
  let current: string | null = null;
  for (const raw of lines) {
    for (const line of raw.split('\n')) {
      const header = HEADER.exec(line);
      if (header) {
        current = header[2]!;
        nodesByProvider[current] = (nodesByProvider[current] ?? 0) + Number(header[3]);
        nodeNames[current] ??= [];
        continue;
      }
      const text = line.replace(/^.*VerifyEachNodeIsAssignedToAnEp\]\s?/, '');
      const node = current && line.includes('VerifyEachNodeIsAssignedToAnEp') ? NODE.exec(text) : null;
      if (node && current) nodeNames[current]!.push(`${node[1]} (${node[2]})`);
      else if (!line.includes('VerifyEachNodeIsAssignedToAnEp')) current = null;
    }
  }
  return Object.keys(nodesByProvider).length === 0 ? null : { nodesByProvider, nodeNames };
}

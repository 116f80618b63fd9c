import type { OpDef } from '../ir.ts';
import { elementwiseOps } from './elementwise.ts';
import { gatherOps } from './gather.ts';
import { layoutOps } from './layout.ts';
import { logicOps } from './logic.ts';
import { matmulOps } from './matmul.ts';
import { reduceOps } from './reduce.ts';
import { softmaxOps } from './softmax.ts';

/**
 * The op table: every primitive of the IR, by name. Each row holds shape inference, ONNX emission and
 * (for differentiable ops) the VJP rule. Composites (nn/) have no row: they are built from these.
 */
export const opTable: ReadonlyMap<string, OpDef> = new Map(
  [...elementwiseOps, ...logicOps, ...matmulOps, ...reduceOps, ...layoutOps, ...gatherOps, ...softmaxOps].map((def) => [def.op, def]),
);

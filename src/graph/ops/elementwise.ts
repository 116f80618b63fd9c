import type { GradContext, OpDef, Tensor, TensorType } from '../ir.ts';
import { broadcastShapes } from '../shape.ts';
import { emitSimple, requireFloat, requireSameDType } from './common.ts';

/**
 * Float elementwise ops. Binary ops broadcast (numpy rules); their gradients are reduced back to each
 * input's shape with sumTo. Unary gradients reuse the node's output where that saves work (Exp, Sqrt,
 * Reciprocal, Sigmoid, Tanh).
 */

function binary(op: string, grad: OpDef['grad']): OpDef {
  return {
    op,
    arity: 2,
    infer: ([a, b]: readonly TensorType[]) => {
      const dtype = requireSameDType(op, [a!, b!]);
      requireFloat(op, a!);
      return [{ dtype, shape: broadcastShapes(a!.shape, b!.shape, op) }];
    },
    emit: (node, ctx) => emitSimple(node, ctx),
    ...(grad ? { grad } : {}),
  };
}

function unary(op: string, grad: (ctx: GradContext, x: Tensor, y: Tensor, g: Tensor) => Tensor): OpDef {
  return {
    op,
    arity: 1,
    infer: ([x]: readonly TensorType[]) => {
      requireFloat(op, x!);
      return [{ dtype: x!.dtype, shape: x!.shape }];
    },
    emit: (node, ctx) => emitSimple(node, ctx),
    grad: (ctx) => {
      const g = ctx.gy[0];
      if (g === undefined || !ctx.wants[0]) return [undefined];
      return [grad(ctx, ctx.node.inputs[0]!, ctx.node.outputs[0]!, g)];
    },
  };
}

/** Operands and cotangent of a binary node; `g` is present whenever the autodiff calls a rule. */
function operands(ctx: GradContext): { a: Tensor; b: Tensor; y: Tensor; g: Tensor } {
  const g = ctx.gy[0];
  if (g === undefined) throw new Error(`${ctx.node.def.op}: gradient rule called without a cotangent`);
  return { a: ctx.node.inputs[0]!, b: ctx.node.inputs[1]!, y: ctx.node.outputs[0]!, g };
}

export const Add = binary('Add', (ctx) => {
  const { a, b, g } = operands(ctx);
  const { sumTo } = ctx.b;
  return [ctx.wants[0] ? sumTo(g, a.shape) : undefined, ctx.wants[1] ? sumTo(g, b.shape) : undefined];
});

export const Sub = binary('Sub', (ctx) => {
  const { a, b, g } = operands(ctx);
  const { sumTo, neg } = ctx.b;
  return [ctx.wants[0] ? sumTo(g, a.shape) : undefined, ctx.wants[1] ? neg(sumTo(g, b.shape)) : undefined];
});

export const Mul = binary('Mul', (ctx) => {
  const { a, b, g } = operands(ctx);
  const { sumTo, mul } = ctx.b;
  return [ctx.wants[0] ? sumTo(mul(g, b), a.shape) : undefined, ctx.wants[1] ? sumTo(mul(g, a), b.shape) : undefined];
});

export const Div = binary('Div', (ctx) => {
  const { a, b, y, g } = operands(ctx);
  const { sumTo, div, mul, neg } = ctx.b;
  const ga = ctx.wants[0] || ctx.wants[1] ? div(g, b) : undefined;
  return [
    ctx.wants[0] ? sumTo(ga!, a.shape) : undefined,
    // d(a/b)/db = -a/b^2 = -y/b, so gb = -(g/b) * y
    ctx.wants[1] ? neg(sumTo(mul(ga!, y), b.shape)) : undefined,
  ];
});

export const Pow = binary('Pow', (ctx) => {
  const { a, b, y, g } = operands(ctx);
  const { sumTo, mul, pow, sub, log } = ctx.b;
  return [
    ctx.wants[0] ? sumTo(mul(mul(g, b), pow(a, sub(b, 1))), a.shape) : undefined,
    ctx.wants[1] ? sumTo(mul(mul(g, y), log(a)), b.shape) : undefined,
  ];
});

export const Neg = unary('Neg', ({ b }, _x, _y, g) => b.neg(g));
export const Exp = unary('Exp', ({ b }, _x, y, g) => b.mul(g, y));
export const Log = unary('Log', ({ b }, x, _y, g) => b.div(g, x));
export const Sqrt = unary('Sqrt', ({ b }, _x, y, g) => b.div(g, b.mul(y, 2)));
export const Reciprocal = unary('Reciprocal', ({ b }, _x, y, g) => b.neg(b.mul(g, b.mul(y, y))));
export const Sigmoid = unary('Sigmoid', ({ b }, _x, y, g) => b.mul(g, b.mul(y, b.sub(1, y))));
export const Tanh = unary('Tanh', ({ b }, _x, y, g) => b.mul(g, b.sub(1, b.mul(y, y))));

export const elementwiseOps: readonly OpDef[] = [Add, Sub, Mul, Div, Pow, Neg, Exp, Log, Sqrt, Reciprocal, Sigmoid, Tanh];

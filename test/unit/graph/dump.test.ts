import { expect, test } from 'vitest';
import { gradients } from '../../../src/graph/autodiff.ts';
import * as b from '../../../src/graph/builders.ts';
import { dumpGraph } from '../../../src/graph/dump.ts';
import { Graph } from '../../../src/graph/ir.ts';
import { logSoftmax } from '../../../src/graph/nn/activations.ts';
import { loraLinear } from '../../../src/graph/nn/lora.ts';

test('dump of a small graph and its gradient', () => {
  const g = new Graph('mlp');
  const x = g.input('x', 'float32', [2, 3]);
  const w = g.initializer('w', 'float32', [4, 3], new Float32Array(12));
  const bias = g.input('bias', 'float32', [4]);
  const y = b.tanh(b.add(b.gemm(x, w, { transB: true }), bias));
  const loss = b.mul(b.reduceSum(b.mul(y, y), [0, 1]), 0.5);
  g.output('loss', loss);
  const [gb] = gradients(loss, [bias]);
  g.output('bias.grad', gb!);
  expect(dumpGraph(g)).toMatchInlineSnapshot(`
    "graph mlp
      input x: float32[2,3]
      input bias: float32[4]
      initializer w: float32[4,3]
      constant const_13: float32[] = 0.5
      constant const_16: float32[] = 1
      t4: float32[2,4] = Gemm(x, w) transB=true
      t6: float32[2,4] = Add(t4, bias)
      t8: float32[2,4] = Tanh(t6)
      t10: float32[2,4] = Mul(t8, t8)
      t12: float32[] = ReduceSum(t10) axes=[0,1]
      loss: float32[] = Mul(t12, const_13)
      t20: float32[2,4] = Mul(const_13, t8)
      t22: float32[2,4] = Add(t20, t20)
      t24: float32[2,4] = Sub(const_16, t10)
      t26: float32[2,4] = Mul(t22, t24)
      bias.grad: float32[4] = ReduceSum(t26) axes=[0]
      output loss: float32[]
      output bias.grad: float32[4]"
  `);
});

test('dump of a LoRA linear and log-softmax (frozen weight as initializer without data)', () => {
  const g = new Graph('lora');
  const x = g.input('x', 'float32', [2, 5, 8]);
  const out = loraLinear(x, {
    weight: g.initializer('w', 'float32', [6, 8]),
    loraA: g.input('lora_A', 'float32', [2, 8]),
    loraB: g.input('lora_B', 'float32', [6, 2]),
    alpha: 16,
  });
  g.output('y', logSoftmax(out));
  expect(dumpGraph(g)).toMatchInlineSnapshot(`
    "graph lora
      input x: float32[2,5,8]
      input lora_A: float32[2,8]
      input lora_B: float32[6,2]
      initializer w: float32[6,8] (no data)
      t5: float32[10,8] = Reshape(x) shape=[10,8]
      t7: float32[8,6] = Transpose(w) perm=[1,0]
      t9: float32[10,6] = MatMul(t5, t7)
      t11: float32[10,2] = Gemm(t5, lora_A) transB=true
      t13: float32[10,6] = Gemm(t11, lora_B, t9) transB=true alpha=8
      t15: float32[2,5,6] = Reshape(t13) shape=[2,5,6]
      t17: float32[2,5,1] = ReduceMax(t15) axes=[-1] keepdims=true
      t19: float32[2,5,1] = StopGradient(t17)
      t21: float32[2,5,6] = Sub(t15, t19)
      t23: float32[2,5,6] = Exp(t21)
      t25: float32[2,5,1] = ReduceSum(t23) axes=[-1] keepdims=true
      t27: float32[2,5,1] = Log(t25)
      y: float32[2,5,6] = Sub(t21, t27)
      output y: float32[2,5,6]"
  `);
});

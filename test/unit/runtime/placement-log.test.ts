import { expect, test } from 'vitest';
import { parsePlacementLog } from '../../../src/runtime/placement-log.ts';

const prefix = '2026-11-27 14:00:00.000 [I:onnxruntime:, session_state_utils.cc:1] VerifyEachNodeIsAssignedToAnEp]';

test('one provider: "All nodes placed on"', () => {
  const p = parsePlacementLog(['other line', `${prefix} All nodes placed on [JsExecutionProvider]. Number of nodes: 330`]);
  expect(p).toEqual({ nodesByProvider: { JsExecutionProvider: 330 }, nodeNames: { JsExecutionProvider: [] } });
});

test('mixed placement: counts per provider and the nodes listed under each', () => {
  const p = parsePlacementLog([
    `${prefix}  Node(s) placed on [JsExecutionProvider]. Number of nodes: 2`,
    `${prefix}   MatMul_0 (MatMul)`,
    `${prefix}   Add_1 (Add)`,
    `${prefix}  Node(s) placed on [CPUExecutionProvider]. Number of nodes: 1\n${prefix}   OneHot_2 (OneHot)`,
    'unrelated',
  ]);
  expect(p).toEqual({
    nodesByProvider: { JsExecutionProvider: 2, CPUExecutionProvider: 1 },
    nodeNames: { JsExecutionProvider: ['MatMul_0 (MatMul)', 'Add_1 (Add)'], CPUExecutionProvider: ['OneHot_2 (OneHot)'] },
  });
});

test('a log without placement lines gives null (verbose logging was off)', () => {
  expect(parsePlacementLog(['[W:onnxruntime] something'])).toBeNull();
});

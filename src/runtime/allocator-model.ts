import { create, toBinary } from '@bufbuild/protobuf';
import { IR_VERSION, OPSET } from '../graph/onnx/emit.ts';
import { ModelProtoSchema, TensorProto_DataType, ValueInfoProtoSchema, type ValueInfoProto } from '../graph/onnx/gen/onnx_pb.ts';

/**
 * The WebGPU backend's allocator session (webgpu-backend.ts): its output, kept on the GPU, is a buffer onnxruntime
 * made. Written as a ModelProto directly because the graph IR has static shapes only.
 */
/** The allocator: y [n] = Expand(value [1], length [1]), n = length[0]; one node, one dynamic dimension. */
export function allocatorModel(): Uint8Array {
  const info = (name: string, elemType: TensorProto_DataType, dim: number | string): ValueInfoProto =>
    create(ValueInfoProtoSchema, {
      name,
      type: {
        value: {
          case: 'tensorType',
          value: { elemType, shape: { dim: [{ value: typeof dim === 'number' ? { case: 'dimValue', value: BigInt(dim) } : { case: 'dimParam', value: dim } }] } },
        },
      },
    });
  const model = create(ModelProtoSchema, {
    irVersion: BigInt(IR_VERSION),
    opsetImport: [{ domain: '', version: BigInt(OPSET) }],
    producerName: 'fiat-studio',
    graph: {
      name: 'gpu_allocator',
      node: [{ opType: 'Expand', name: 'expand', input: ['value', 'length'], output: ['y'] }],
      input: [info('value', TensorProto_DataType.FLOAT, 1), info('length', TensorProto_DataType.INT64, 1)],
      output: [info('y', TensorProto_DataType.FLOAT, 'n')],
    },
  });
  return toBinary(ModelProtoSchema, model);
}

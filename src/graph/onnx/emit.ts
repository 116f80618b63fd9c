import { create, toBinary } from '@bufbuild/protobuf';
import type { TensorData } from '../dtype.ts';
import type { EmitContext, Graph, Node, OnnxAttr, Tensor } from '../ir.ts';
import { onnxDataType } from '../ops/logic.ts';
import { GraphError } from '../shape.ts';
import {
  type AttributeProto,
  AttributeProtoSchema,
  AttributeProto_AttributeType,
  type ModelProto,
  ModelProtoSchema,
  type NodeProto,
  NodeProtoSchema,
  type TensorProto,
  TensorProtoSchema,
  TensorProto_DataLocation,
  type ValueInfoProto,
  ValueInfoProtoSchema,
} from './gen/onnx_pb.ts';

/**
 * ai.onnx opset 17, IR version 8 (the IR version that introduced opset 17; onnxruntime 1.30 reads
 * IR <= 10). Opset 17 keeps ReduceMax's axes an attribute and has no Split num_outputs.
 */
export const OPSET = 17;
export const IR_VERSION = 8;

export interface EmitOptions {
  /**
   * Initializers to emit as graph inputs instead (no data in the model): `true` for all, or a
   * predicate. Use it for frozen base weights shared across sessions, or too large for one protobuf
   * (2 GiB limit). Initializers declared without data must be chosen here. Default: none.
   */
  readonly initializersAsInputs?: boolean | ((t: Tensor) => boolean);
  /**
   * Initializers of at least `minBytes` bytes are stored outside the model in one blob (ONNX external
   * data, data_location EXTERNAL, 64-byte aligned offsets) whose file name is `location`; the blob is
   * returned by emitModel as `externalData`. Small initializers and constants always stay inline.
   */
  readonly externalData?: { readonly location: string; readonly minBytes: number };
  readonly producerName?: string;
  readonly docString?: string;
}

export interface EmittedModel {
  readonly model: ModelProto;
  /** The external-data blob when EmitOptions.externalData was given and some tensor went there. */
  readonly externalData?: Uint8Array;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function rawBytes(data: TensorData): Uint8Array {
  if (!littleEndian) throw new GraphError('ONNX raw_data is little-endian; this platform is big-endian');
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function valueInfo(name: string, t: Tensor): ValueInfoProto {
  return create(ValueInfoProtoSchema, {
    name,
    type: {
      value: {
        case: 'tensorType',
        value: { elemType: onnxDataType[t.dtype], shape: { dim: t.shape.map((d) => ({ value: { case: 'dimValue' as const, value: BigInt(d) } })) } },
      },
    },
  });
}

/** Attribute strings are ONNX keywords ("constant"); ASCII only, since graph/ has no TextEncoder (no DOM lib). */
function ascii(s: string): Uint8Array {
  if (!/^[\x20-\x7e]*$/.test(s)) throw new GraphError(`emit: attribute string "${s}" is not printable ASCII`);
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

function attribute(name: string, a: OnnxAttr): AttributeProto {
  if ('int' in a) return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.INT, i: BigInt(a.int) });
  if ('ints' in a) return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.INTS, ints: a.ints.map((v) => BigInt(v)) });
  if ('float' in a) return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.FLOAT, f: a.float });
  return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.STRING, s: ascii(a.string) });
}

/** Nodes needed by the graph outputs, in graph order (dead code is never emitted). */
export function liveNodes(graph: Graph): Node[] {
  const needed = new Set<Tensor>(graph.outputs.map((o) => o.tensor));
  const live: Node[] = [];
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const node = graph.nodes[i]!;
    if (!node.outputs.some((o) => needed.has(o))) continue;
    for (const t of node.inputs) needed.add(t);
    live.push(node);
  }
  return live.reverse();
}

/** Builds the ONNX ModelProto of `graph`. Throws a GraphError for a graph without outputs or a data-less initializer kept inline. */
export function emitModel(graph: Graph, options: EmitOptions = {}): EmittedModel {
  if (graph.outputs.length === 0) throw new GraphError(`emit: graph ${graph.name} has no outputs`);
  const asInput = (t: Tensor): boolean => {
    const choice = options.initializersAsInputs ?? false;
    return typeof choice === 'function' ? choice(t) : choice;
  };
  const nodes: NodeProto[] = [];
  const initializers: TensorProto[] = [];
  const aliases = new Map<Tensor, Tensor>();
  const int64Names = new Map<string, string>();
  const external: Uint8Array[] = [];
  let externalSize = 0;

  const tensorProto = (name: string, t: Tensor, data: TensorData): TensorProto => {
    const bytes = rawBytes(data);
    const base = { name, dims: t.shape.map((d) => BigInt(d)), dataType: onnxDataType[t.dtype] };
    const ext = options.externalData;
    if (ext && t.kind === 'initializer' && bytes.byteLength >= ext.minBytes) {
      const offset = Math.ceil(externalSize / 64) * 64;
      if (offset > externalSize) external.push(new Uint8Array(offset - externalSize));
      external.push(bytes);
      externalSize = offset + bytes.byteLength;
      return create(TensorProtoSchema, {
        ...base,
        dataLocation: TensorProto_DataLocation.EXTERNAL,
        externalData: [
          { key: 'location', value: ext.location },
          { key: 'offset', value: String(offset) },
          { key: 'length', value: String(bytes.byteLength) },
        ],
      });
    }
    return create(TensorProtoSchema, { ...base, rawData: bytes });
  };

  const resolve = (t: Tensor): Tensor => {
    let r = t;
    for (let a = aliases.get(r); a !== undefined; a = aliases.get(r)) r = a;
    return r;
  };
  const ctx: EmitContext = {
    name: (t) => resolve(t).name,
    int64s: (values) => {
      const key = values.join(',');
      let name = int64Names.get(key);
      if (name === undefined) {
        name = `i64_${int64Names.size}`;
        int64Names.set(key, name);
        initializers.push(
          create(TensorProtoSchema, { name, dims: [BigInt(values.length)], dataType: onnxDataType.int64, rawData: rawBytes(BigInt64Array.from(values, (v) => BigInt(v))) }),
        );
      }
      return name;
    },
    node: (opType, inputs, outputs, attrs = {}) => {
      nodes.push(
        create(NodeProtoSchema, {
          opType,
          name: `${opType}_${nodes.length}`,
          input: [...inputs],
          output: [...outputs],
          attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
        }),
      );
    },
    alias: (output, from) => aliases.set(output, from),
  };

  const live = liveNodes(graph);
  for (const node of live) node.def.emit(node, ctx);

  // Leaves actually read by emitted nodes or outputs.
  const used = new Set<string>([...nodes.flatMap((n) => n.input), ...graph.outputs.map((o) => ctx.name(o.tensor))]);
  const inputs: ValueInfoProto[] = graph.inputs.map((t) => valueInfo(t.name, t));
  for (const t of graph.initializers) {
    if (!used.has(t.name)) continue;
    if (asInput(t)) inputs.push(valueInfo(t.name, t));
    else if (t.data === undefined) throw new GraphError(`emit: initializer ${t.name} has no data; emit it as an input (initializersAsInputs)`);
    else initializers.push(tensorProto(t.name, t, t.data));
  }
  for (const t of graph.constants) {
    if (used.has(t.name) && t.data !== undefined) initializers.push(tensorProto(t.name, t, t.data));
  }
  for (const { name, tensor } of graph.outputs) {
    if (ctx.name(tensor) !== name) ctx.node('Identity', [ctx.name(tensor)], [name]);
  }
  const outputs = graph.outputs.map(({ name, tensor }) => valueInfo(name, tensor));

  const model = create(ModelProtoSchema, {
    irVersion: BigInt(IR_VERSION),
    opsetImport: [{ domain: '', version: BigInt(OPSET) }],
    producerName: options.producerName ?? 'fiat-studio',
    ...(options.docString ? { docString: options.docString } : {}),
    graph: { name: graph.name, node: nodes, initializer: initializers, input: inputs, output: outputs },
  });
  if (external.length === 0) return { model };
  const blob = new Uint8Array(externalSize);
  let at = 0;
  for (const part of external) {
    blob.set(part, at);
    at += part.byteLength;
  }
  return { model, externalData: blob };
}

/** Serialises `graph` as ONNX model bytes (see emitModel for the options). */
export function emitOnnx(graph: Graph, options: EmitOptions = {}): Uint8Array {
  if (options.externalData) throw new GraphError('emitOnnx: use emitModel to get the external data blob too');
  return toBinary(ModelProtoSchema, emitModel(graph, options).model);
}

export function modelBytes(model: ModelProto): Uint8Array {
  return toBinary(ModelProtoSchema, model);
}

import { type DType, type TensorData, dataMatchesDType, typedArrayOf } from './dtype.ts';
import { GraphError, type Shape, checkShape, formatShape, sizeOf } from './shape.ts';
import type * as Builders from './builders.ts';

/**
 * The tensor graph IR. A Graph owns tensors and nodes; nodes are appended in creation order, which is
 * therefore a topological order (a node can only consume tensors that already exist). Shapes are static.
 *
 * Tensor kinds:
 *   input        fed at run time (batch, lr, step, trainable tensors, optimizer state, ...)
 *   initializer  a named weight with data (or without data when it will be emitted as a graph input)
 *   constant     unnamed data made by the builder (scalars, iota, rotary tables, masks); always emitted
 *                as an initializer
 *   node         produced by a node
 */
export type TensorKind = 'input' | 'initializer' | 'constant' | 'node';

/** Attribute values of IR nodes (shape-like arguments live here, not as int64 tensors). */
export type AttrValue = number | boolean | string | readonly number[];
export type Attrs = Readonly<Record<string, AttrValue>>;

export interface TensorType {
  readonly dtype: DType;
  readonly shape: Shape;
}

export interface Tensor extends TensorType {
  readonly id: number;
  readonly graph: Graph;
  readonly kind: TensorKind;
  /** Unique in its graph. Set by the builder; `Graph.output` may rename a node output once. */
  name: string;
  readonly producer?: Node;
  readonly data?: TensorData;
}

export interface Node {
  readonly id: number;
  readonly def: OpDef;
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  readonly attrs: Attrs;
}

/** What an op's emit rule writes: one ONNX node in the ai.onnx domain. */
export type OnnxAttr =
  | { readonly int: number }
  | { readonly ints: readonly number[] }
  | { readonly float: number }
  | { readonly string: string };

export interface EmitContext {
  /** Name of the ONNX value for an IR tensor. */
  name(t: Tensor): string;
  /** Name of a (deduplicated) int64 initializer holding `values` as a 1-D tensor: shapes, axes, pads. */
  int64s(values: readonly number[]): string;
  node(opType: string, inputs: readonly string[], outputs: readonly string[], attrs?: Readonly<Record<string, OnnxAttr>>): void;
  /** Lets an op (StopGradient) emit nothing: its output is read from `from` instead. */
  alias(output: Tensor, from: Tensor): void;
}

/**
 * Everything a gradient rule gets. `gy` holds the cotangent of each output (undefined when no
 * gradient flows into that output); `wants[i]` says whether input i needs a gradient: rules compute
 * only those (frozen inputs cost nothing). Rules build with the same builder functions as models.
 */
export interface GradContext {
  readonly node: Node;
  readonly gy: readonly (Tensor | undefined)[];
  readonly wants: readonly boolean[];
  /** The builder functions (passed in rather than imported, so op files and builders.ts form no import cycle). */
  readonly b: typeof Builders;
}

/**
 * One row of the op table: shape/dtype inference, ONNX emission and vector-Jacobian product.
 * `grad` absent: the op is not differentiable (comparisons, Cast to bool); gradients stop there.
 * A rule returns one entry per input (undefined: no gradient for that input).
 */
export interface OpDef {
  readonly op: string;
  readonly arity: number | readonly [min: number, max: number];
  readonly infer: (inputs: readonly TensorType[], attrs: Attrs) => TensorType[];
  readonly emit: (node: Node, ctx: EmitContext) => void;
  readonly grad?: (ctx: GradContext) => (Tensor | undefined)[];
}

export interface GraphOutput {
  readonly name: string;
  readonly tensor: Tensor;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.:/-]*$/;

/** How a Graph's builders lay out work; fixed when the graph is made. */
export interface GraphOptions {
  /**
   * Whether products with few output tiles for a long sum are cut into partial products along it (ops/matmul.ts
   * sumSplit). Default true. The same values either way; false is for measuring what the split buys on a GPU.
   */
  readonly splitSums?: boolean;
}

export class Graph {
  readonly nodes: Node[] = [];
  readonly inputs: Tensor[] = [];
  readonly initializers: Tensor[] = [];
  readonly constants: Tensor[] = [];
  readonly outputs: GraphOutput[] = [];
  private readonly names = new Set<string>();
  private readonly scalars = new Map<string, Tensor>();
  private readonly memos = new Map<string, Tensor>();
  private readonly cse = new Map<string, Node>();
  private readonly transposes = new Map<Tensor, Tensor>();
  private nextId = 0;

  constructor(
    readonly name = 'graph',
    readonly options: GraphOptions = {},
  ) {}

  /** Declares a graph input (fed at run time). */
  input(name: string, dtype: DType, shape: Shape): Tensor {
    checkUserName(name);
    const t = this.leaf('input', name, dtype, shape);
    this.inputs.push(t);
    return t;
  }

  /**
   * Declares a named weight. `data` may be omitted only if the emitter is told to make this
   * initializer a graph input (EmitOptions.initializersAsInputs); see onnx/emit.ts.
   */
  initializer(name: string, dtype: DType, shape: Shape, data?: TensorData): Tensor {
    checkUserName(name);
    if (data !== undefined) checkData(name, dtype, shape, data);
    const t = this.leaf('initializer', name, dtype, shape, data);
    this.initializers.push(t);
    return t;
  }

  /**
   * An unnamed constant (emitted as an initializer named `const_<id>`). Numbers (plain or in a typed
   * array of another float type) are converted to `dtype`.
   */
  constant(dtype: DType, shape: Shape, data: TensorData | readonly number[]): Tensor {
    const typed =
      ArrayBuffer.isView(data) && dataMatchesDType(dtype, data)
        ? data
        : data instanceof BigInt64Array
          ? typedArrayOf(dtype, Array.from(data, Number))
          : typedArrayOf(dtype, data);
    checkData('constant', dtype, shape, typed);
    const t = this.leaf('constant', `const_${this.nextId}`, dtype, shape, typed);
    this.constants.push(t);
    return t;
  }

  /**
   * Returns the tensor made by `make` under `key`, making it once per graph: composites use it so that
   * constants (rotary tables, iota, causal mask) called for in every layer exist once in the model.
   */
  memo(key: string, make: () => Tensor): Tensor {
    let t = this.memos.get(key);
    if (t === undefined) {
      t = make();
      this.memos.set(key, t);
    }
    return t;
  }

  /**
   * Declares that the weight `b` holds the transpose of the weight `a` (both 2-D initializers of this graph, made
   * once on the host): builders.transpose of either then returns the other instead of a Transpose node. A frozen
   * weight read by two products in both layouts (x W^T forward, dy W for x's gradient) thus needs no Transpose per
   * run. The data is the caller's to make right (without data, as graph inputs, nothing here can check it).
   */
  declareTranspose(a: Tensor, b: Tensor): void {
    for (const t of [a, b]) {
      if (t.graph !== this || t.kind !== 'initializer' || t.shape.length !== 2) throw new GraphError(`declareTranspose: ${t.name} is not a 2-D weight of graph ${this.name}`);
    }
    if (a.dtype !== b.dtype || a.shape[0] !== b.shape[1] || a.shape[1] !== b.shape[0]) {
      throw new GraphError(`declareTranspose: ${b.name} ${b.dtype}${formatShape(b.shape)} cannot be the transpose of ${a.name} ${a.dtype}${formatShape(a.shape)}`);
    }
    if (this.transposes.has(a) || this.transposes.has(b)) throw new GraphError(`declareTranspose: ${a.name} or ${b.name} already has a declared transpose`);
    this.transposes.set(a, b);
    this.transposes.set(b, a);
  }

  /** The weight declared to hold x's transpose (declareTranspose), if any. */
  transposeOf(x: Tensor): Tensor | undefined {
    return this.transposes.get(x);
  }

  /** A rank-0 constant, shared across uses of the same value and dtype. */
  scalar(value: number, dtype: DType): Tensor {
    const key = `${dtype}:${Object.is(value, -0) ? '-0' : String(value)}`;
    let t = this.scalars.get(key);
    if (t === undefined) {
      t = this.constant(dtype, [], [value]);
      this.scalars.set(key, t);
    }
    return t;
  }

  /** Appends a node of `def`; checks arity, graph membership, and runs the op's shape inference. */
  apply(def: OpDef, inputs: readonly Tensor[], attrs: Attrs = {}): Tensor[] {
    const [min, max] = typeof def.arity === 'number' ? [def.arity, def.arity] : def.arity;
    if (inputs.length < min || inputs.length > max) {
      throw new GraphError(`${def.op}: expects ${min === max ? min : `${min} to ${max}`} inputs, got ${inputs.length}`);
    }
    for (const t of inputs) {
      if (t.graph !== this) throw new GraphError(`${def.op}: input ${t.name} belongs to another graph`);
    }
    let types: TensorType[];
    try {
      types = def.infer(inputs, attrs);
    } catch (e) {
      if (e instanceof GraphError) {
        const operands = inputs.map((t) => `${t.name}: ${t.dtype}${formatShape(t.shape)}`).join(', ');
        throw new GraphError(`${e.message} (inputs: ${operands})`);
      }
      throw e;
    }
    // Common-subexpression elimination: every op is pure, so the same op on the same tensors with the
    // same attributes is the same value (fan-out gradients and composites repeat such nodes).
    const key = `${def.op}(${inputs.map((t) => t.id).join(',')})${JSON.stringify(attrs)}`;
    const existing = this.cse.get(key);
    if (existing !== undefined) return [...existing.outputs];
    const id = this.nextId++;
    const outputs: Tensor[] = [];
    const node: Node = { id, def, inputs: [...inputs], outputs, attrs };
    for (const type of types) {
      const oid = this.nextId++;
      const name = `t${oid}`;
      this.claim(name);
      outputs.push({ id: oid, graph: this, kind: 'node', name, dtype: type.dtype, shape: [...type.shape], producer: node });
    }
    this.nodes.push(node);
    this.cse.set(key, node);
    return [...outputs];
  }

  /**
   * Makes `t` a graph output called `name`. A node output is renamed in place; a leaf (input,
   * initializer, constant) or a tensor that is already an output is emitted through an Identity.
   */
  output(name: string, t: Tensor): void {
    checkUserName(name);
    if (t.graph !== this) throw new GraphError(`output ${name}: tensor ${t.name} belongs to another graph`);
    if (t.kind === 'node' && !this.outputs.some((o) => o.tensor === t) && /^t\d+$/.test(t.name)) {
      this.claim(name);
      this.names.delete(t.name);
      t.name = name;
      this.outputs.push({ name, tensor: t });
      return;
    }
    this.claim(name);
    this.outputs.push({ name, tensor: t });
  }

  private leaf(kind: TensorKind, name: string, dtype: DType, shape: Shape, data?: TensorData): Tensor {
    checkShape(shape, `${kind} ${name}`);
    this.claim(name);
    const t: Tensor = { id: this.nextId++, graph: this, kind, name, dtype, shape: [...shape], ...(data ? { data } : {}) };
    return t;
  }

  private claim(name: string): void {
    if (!NAME.test(name)) throw new GraphError(`name "${name}" is not a valid tensor name (letters, digits, _ . : / -)`);
    if (this.names.has(name)) throw new GraphError(`name "${name}" is already used in graph ${this.name}`);
    this.names.add(name);
  }
}

function checkData(what: string, dtype: DType, shape: Shape, data: TensorData): void {
  if (!dataMatchesDType(dtype, data)) throw new GraphError(`${what}: data is a ${data.constructor.name}, which does not hold ${dtype}`);
  if (data.length !== sizeOf(shape)) {
    throw new GraphError(`${what}: shape ${formatShape(shape)} needs ${sizeOf(shape)} values, data has ${data.length}`);
  }
}

/** Names of the form t<N> and const_<N> are the builder's own; refusing them keeps auto names collision-free. */
function checkUserName(name: string): void {
  if (/^(t|const_)\d+$/.test(name)) throw new GraphError(`name "${name}" is reserved for tensors the builder names itself`);
}

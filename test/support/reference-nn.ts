// Plain-loop reference implementations of the composites, written from the Hugging Face / PyTorch
// definitions (not from src/graph), for forward-value checks. Row-major Float64Arrays throughout.

export function logSoftmaxRef(x: Float64Array, last: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let r = 0; r < x.length / last; r++) {
    let m = -Infinity;
    for (let j = 0; j < last; j++) m = Math.max(m, x[r * last + j]!);
    let s = 0;
    for (let j = 0; j < last; j++) s += Math.exp(x[r * last + j]! - m);
    for (let j = 0; j < last; j++) out[r * last + j] = x[r * last + j]! - m - Math.log(s);
  }
  return out;
}

export const siluRef = (x: Float64Array): Float64Array => x.map((v) => v / (1 + Math.exp(-v)));

export function rmsNormRef(x: Float64Array, w: Float64Array, eps: number): Float64Array {
  const d = w.length;
  const out = new Float64Array(x.length);
  for (let r = 0; r < x.length / d; r++) {
    let ms = 0;
    for (let j = 0; j < d; j++) ms += x[r * d + j]! ** 2;
    const inv = 1 / Math.sqrt(ms / d + eps);
    for (let j = 0; j < d; j++) out[r * d + j] = w[j]! * x[r * d + j]! * inv;
  }
  return out;
}

/** HF apply_rotary_pos_emb on x [..., T, D] with positions 0..T-1 (rotate_half by slicing). */
export function rotaryRef(x: Float64Array, t: number, d: number, theta: number): Float64Array {
  const out = new Float64Array(x.length);
  const half = d / 2;
  for (let base = 0; base < x.length; base += t * d) {
    for (let p = 0; p < t; p++) {
      const row = base + p * d;
      for (let j = 0; j < d; j++) {
        const freq = p / theta ** ((2 * (j % half)) / d);
        const rotated = j < half ? -x[row + j + half]! : x[row + j - half]!;
        out[row + j] = x[row + j]! * Math.cos(freq) + rotated * Math.sin(freq);
      }
    }
  }
  return out;
}

/**
 * HF LlamaAttention core (eager): q [B,T,H*D], k/v [B,T,KV*D] (already projected), rotary on q and k,
 * repeat_kv, scores / sqrt(D), causal + key padding mask, softmax, @ v, heads merged: [B,T,H*D].
 */
export function attentionRef(
  q: Float64Array, k: Float64Array, v: Float64Array, mask: Float64Array,
  b: number, t: number, h: number, kv: number, d: number, theta: number,
): Float64Array {
  const group = h / kv;
  const heads = (x: Float64Array, n: number) => {
    // [B,T,n,D] -> [B,n,T,D]
    const o = new Float64Array(x.length);
    for (let bi = 0; bi < b; bi++) for (let ti = 0; ti < t; ti++) for (let hi = 0; hi < n; hi++) for (let j = 0; j < d; j++) {
      o[((bi * n + hi) * t + ti) * d + j] = x[((bi * t + ti) * n + hi) * d + j]!;
    }
    return o;
  };
  const qh = rotaryRef(heads(q, h), t, d, theta);
  const kh = rotaryRef(heads(k, kv), t, d, theta);
  const vh = heads(v, kv);
  const out = new Float64Array(b * t * h * d);
  for (let bi = 0; bi < b; bi++) {
    for (let hi = 0; hi < h; hi++) {
      const ki = Math.floor(hi / group);
      for (let i = 0; i < t; i++) {
        const scores: number[] = [];
        for (let s = 0; s < t; s++) {
          let dot = 0;
          for (let j = 0; j < d; j++) dot += qh[((bi * h + hi) * t + i) * d + j]! * kh[((bi * kv + ki) * t + s) * d + j]!;
          const allowed = s <= i && mask[bi * t + s] === 1;
          scores.push(allowed ? dot / Math.sqrt(d) : -Infinity);
        }
        const m = Math.max(...scores);
        const e = scores.map((x) => Math.exp(x - m));
        const z = e.reduce((a, c) => a + c, 0);
        for (let j = 0; j < d; j++) {
          let acc = 0;
          for (let s = 0; s < t; s++) acc += (e[s]! / z) * vh[((bi * kv + ki) * t + s) * d + j]!;
          out[((bi * t + i) * h + hi) * d + j] = acc;
        }
      }
    }
  }
  return out;
}

/** sum(mask * -log_softmax(logits)[label]) / max(sum(mask), 1) over [B,T,V] logits. */
export function maskedCrossEntropyRef(logits: Float64Array, labels: Float64Array, mask: Float64Array, v: number): number {
  const lsm = logSoftmaxRef(logits, v);
  let num = 0;
  let den = 0;
  for (let i = 0; i < labels.length; i++) {
    num += mask[i]! * -lsm[i * v + labels[i]!]!;
    den += mask[i]!;
  }
  return num / Math.max(den, 1);
}

/** x W^T + b + (alpha / r) (x A^T) B^T for x [N, in], W [out, in], A [r, in], B [out, r]. */
export function loraLinearRef(
  x: Float64Array, w: Float64Array, bias: Float64Array, a: Float64Array, bm: Float64Array,
  n: number, inDim: number, out: number, r: number, alpha: number,
): Float64Array {
  const y = new Float64Array(n * out);
  for (let i = 0; i < n; i++) {
    const xa = Array.from({ length: r }, (_, k) => {
      let s = 0;
      for (let j = 0; j < inDim; j++) s += x[i * inDim + j]! * a[k * inDim + j]!;
      return s;
    });
    for (let o = 0; o < out; o++) {
      let s = bias[o]!;
      for (let j = 0; j < inDim; j++) s += x[i * inDim + j]! * w[o * inDim + j]!;
      let lora = 0;
      for (let k = 0; k < r; k++) lora += xa[k]! * bm[o * r + k]!;
      y[i * out + o] = s + (alpha / r) * lora;
    }
  }
  return y;
}

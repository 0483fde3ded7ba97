/**
 * Gradient rules for the tfjs kernels our models differentiate through.
 *
 * Why this file exists: tfjs-core's Node bundle ships no gradient rules (the `@tensorflow/tfjs`
 * umbrella registers them, and we depend on tfjs-core only), so tf.variableGrads/tf.grad fail with
 * "gradient function not found" in Node. We register a small, tested set here. The matmul rule
 * uses explicit transposes instead of tfjs's transpose-flag kernels, which are 10–30× slower on
 * wasm. Rules already registered (e.g. by a bundle that imported tfjs's own) are left alone.
 * Importing this module registers the rules (once per tfjs instance).
 */
import * as tf from '@tensorflow/tfjs-core';

type GradMap = Record<string, () => tf.Tensor>;

/** Sums g over the axes broadcast to reach its shape from `shape`, then reshapes to `shape`. */
function unbroadcast(g: tf.Tensor, shape: number[]): tf.Tensor {
  if (g.shape.length === shape.length && g.shape.every((s, i) => s === shape[i])) return g;
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  return tf.reshape(axes.length ? tf.sum(g, axes) : g, shape);
}

/** Swaps the last two axes (explicit transpose, any rank ≥ 2). */
function swapLast(x: tf.Tensor): tf.Tensor {
  const perm = x.shape.map((_, i) => i);
  const r = x.rank;
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return tf.transpose(x, perm);
}

function mm(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D);
}

function reduceShapeKeepDims(shape: number[], axisAttr: number | number[] | null | undefined): number[] {
  // tfjs passes axis = null for a reduction over all axes.
  const axes = axisAttr == null ? shape.map((_, i) => i) : Array.isArray(axisAttr) ? axisAttr : [axisAttr];
  const norm = axes.map((a) => (a < 0 ? a + shape.length : a));
  return shape.map((s, i) => (norm.includes(i) ? 1 : s));
}

const rules: tf.GradConfig[] = [
  {
    kernelName: tf.BatchMatMul,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved, attrs) => {
      const [a, b] = saved;
      const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
      const d = dy as tf.Tensor;
      if (!transposeA && !transposeB) return { a: () => mm(d, swapLast(b)), b: () => mm(swapLast(a), d) };
      if (!transposeA && transposeB) return { a: () => mm(d, b), b: () => mm(swapLast(d), a) };
      if (transposeA && !transposeB) return { a: () => mm(b, swapLast(d)), b: () => mm(a, d) };
      return { a: () => mm(swapLast(b), swapLast(d)), b: () => mm(swapLast(d), swapLast(a)) };
    },
  },
  {
    kernelName: tf.Relu,
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => ({ x: () => tf.mul(dy as tf.Tensor, tf.step(saved[0])) }),
  },
  { kernelName: tf.Step, gradFunc: (dy) => ({ x: () => tf.zerosLike(dy as tf.Tensor) }) },
  {
    kernelName: tf.Sum,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const x = saved[0];
      const kept = reduceShapeKeepDims(x.shape, (attrs as { axis?: number | number[] | null }).axis);
      return { x: () => tf.mul(tf.reshape(dy as tf.Tensor, kept), tf.onesLike(x)) };
    },
  },
  {
    kernelName: tf.Mean,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const x = saved[0];
      const kept = reduceShapeKeepDims(x.shape, (attrs as { axis?: number | number[] | null }).axis);
      const count = x.size / kept.reduce((p, s) => p * s, 1);
      return { x: () => tf.mul(tf.reshape(dy as tf.Tensor, kept), tf.fill(x.shape, 1 / count)) };
    },
  },
  {
    kernelName: tf.Multiply,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved) => {
      const [a, b] = saved;
      return {
        a: () => unbroadcast(tf.mul(dy as tf.Tensor, b), a.shape),
        b: () => unbroadcast(tf.mul(dy as tf.Tensor, a), b.shape),
      };
    },
  },
  {
    kernelName: tf.Add,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved) => ({
      a: () => unbroadcast(dy as tf.Tensor, saved[0].shape),
      b: () => unbroadcast(dy as tf.Tensor, saved[1].shape),
    }),
  },
  {
    kernelName: tf.Sub,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved) => ({
      a: () => unbroadcast(dy as tf.Tensor, saved[0].shape),
      b: () => unbroadcast(tf.neg(dy as tf.Tensor), saved[1].shape),
    }),
  },
  {
    kernelName: tf.RealDiv,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved) => {
      const [a, b] = saved;
      return {
        a: () => unbroadcast(tf.div(dy as tf.Tensor, b), a.shape),
        b: () => unbroadcast(tf.neg(tf.div(tf.mul(dy as tf.Tensor, a), tf.square(b))), b.shape),
      };
    },
  },
  {
    kernelName: tf.Square,
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => ({ x: () => tf.mul(tf.mul(dy as tf.Tensor, saved[0]), 2) }),
  },
  { kernelName: tf.Neg, gradFunc: (dy) => ({ x: () => tf.neg(dy as tf.Tensor) }) },
  { kernelName: tf.Identity, gradFunc: (dy) => ({ x: () => tf.clone(dy as tf.Tensor) }) },
  { kernelName: tf.Cast, gradFunc: (dy) => ({ x: () => tf.clone(dy as tf.Tensor) }) },
  {
    kernelName: tf.Reshape,
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => ({ x: () => tf.reshape(dy as tf.Tensor, saved[0].shape) }),
  },
  {
    kernelName: tf.Transpose,
    gradFunc: (dy, _saved, attrs) => {
      const perm = (attrs as unknown as { perm: number[] }).perm;
      const inv = new Array<number>(perm.length);
      perm.forEach((p, i) => (inv[p] = i));
      return { x: () => tf.transpose(dy as tf.Tensor, inv) };
    },
  },
  {
    kernelName: tf.Slice,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const x = saved[0];
      const { begin, size } = attrs as unknown as { begin: number[]; size: number[] };
      const pads = x.shape.map(
        (s, i) => [begin[i], s - begin[i] - (size[i] === -1 ? s - begin[i] : size[i])] as [number, number],
      );
      return { x: () => tf.pad(dy as tf.Tensor, pads) };
    },
  },
  {
    kernelName: tf.PadV2,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const x = saved[0];
      const paddings = (attrs as unknown as { paddings: Array<[number, number]> }).paddings;
      return {
        x: () =>
          tf.slice(
            dy as tf.Tensor,
            paddings.map((p) => p[0]),
            x.shape,
          ),
      };
    },
  },
  {
    kernelName: tf.Concat,
    saveAllInputs: true,
    gradFunc: (dy, saved, attrs) => {
      const rank = saved[0].rank;
      let axis = (attrs as unknown as { axis: number }).axis;
      if (axis < 0) axis += rank;
      const parts = tf.split(
        dy as tf.Tensor,
        saved.map((t) => t.shape[axis]),
        axis,
      );
      return parts.map((t) => () => t) as unknown as GradMap;
    },
  },
];

// Registers the rules above for every kernel that has no gradient yet (a module body runs once).
for (const rule of rules) {
  if (tf.getGradient(rule.kernelName) == null) tf.registerGradient(rule);
}

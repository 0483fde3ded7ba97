/**
 * A small vision transformer (scalar output, NTK parameterisation, no biases, no layer norm) for
 * images flattened as rows in height×width×channels order. Non-overlapping P×P patches become
 * T = (H/P)(W/P) tokens, embedded to D dims plus a learned position embedding; then `blocks`
 * single-head blocks, each
 *     h ← (h + softmax(QKᵀ/√D) V W_o/√D) / √2,   h ← (h + relu(h W_1/√D) W_2/√D_mlp) / √2,
 * with Q = hW_q/√D (likewise K, V); finally f = w_outᵀ mean_tokens(h) / √D. All weights N(0, 1).
 * The softmax is exp(s)/Σexp(s) without the max shift (tf.max has no gradient rule here); scores
 * are O(1) at this scale, and a blow-up shows as a non-finite loss that the Trainer stops on.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Prng } from '../prng';
import { AutodiffModel } from './autodiffModel';

export interface VitShape {
  height: number;
  width: number;
  channels: number;
  /** Patch side P (must divide height and width). */
  patch: number;
  /** Token dimension D. */
  dim: number;
  /** Hidden units of each block's MLP. */
  mlp: number;
  blocks: number;
}

// d exp(x)/dx = exp(x); the only kernel the ViT needs beyond autodiff.ts's rules.
if (tf.getGradient(tf.Exp) == null) {
  tf.registerGradient({
    kernelName: tf.Exp,
    outputsToSave: [true],
    gradFunc: (dy, saved) => ({ x: () => tf.mul(dy as tf.Tensor, saved[0]) }),
  });
}

export class Vit extends AutodiffModel {
  readonly kind = 'vit';
  readonly shape: VitShape;
  readonly tokens: number;

  /** Weights in order: embed [P²C, D], pos [T, D], per block W_q, W_k, W_v, W_o [D, D], W_1 [D, mlp], W_2 [mlp, D], readout [D, 1]. */
  constructor(shape: VitShape, weights: Float32Array[]) {
    checkShape('Vit', shape);
    const shapes = vitShapes(shape);
    if (weights.length !== shapes.length)
      throw new Error(
        `Vit: expected ${shapes.length} weight arrays (embed, pos, 6 per block, readout), got ${weights.length}`,
      );
    super(
      shape.height * shape.width * shape.channels,
      shapes.map((s, i) => ({ shape: s, values: weights[i] })),
    );
    this.shape = { ...shape };
    this.tokens = (shape.height / shape.patch) * (shape.width / shape.patch);
  }

  protected forward(X: tf.Tensor2D): tf.Tensor1D {
    const { height: H, width: W, channels: C, patch: P, dim: D, mlp, blocks } = this.shape;
    const n = X.shape[0];
    const T = this.tokens;
    const p = this.params as tf.Variable<tf.Rank.R2>[];
    const lin = (a: tf.Tensor2D, w: tf.Tensor2D, fanIn: number) =>
      tf.mul(tf.matMul(a, w), 1 / Math.sqrt(fanIn)) as tf.Tensor2D;
    const patches = tf.reshape(tf.transpose(tf.reshape(X, [n, H / P, P, W / P, P, C]), [0, 1, 3, 2, 4, 5]), [
      n * T,
      P * P * C,
    ]) as tf.Tensor2D;
    let h = tf.add(tf.reshape(lin(patches, p[0], P * P * C), [n, T, D]), p[1]) as tf.Tensor3D;
    for (let k = 0; k < blocks; k++) {
      const [wq, wk, wv, wo, w1, w2] = p.slice(2 + 6 * k, 8 + 6 * k);
      const flat = tf.reshape(h, [n * T, D]) as tf.Tensor2D;
      const q = tf.reshape(lin(flat, wq, D), [n, T, D]) as tf.Tensor3D;
      const kk = tf.reshape(lin(flat, wk, D), [n, T, D]) as tf.Tensor3D;
      const v = tf.reshape(lin(flat, wv, D), [n, T, D]) as tf.Tensor3D;
      const e = tf.exp(tf.mul(tf.matMul(q, tf.transpose(kk, [0, 2, 1])), 1 / Math.sqrt(D)));
      const attn = tf.div(e, tf.sum(e, 2, true)) as tf.Tensor3D;
      const o = lin(tf.reshape(tf.matMul(attn, v), [n * T, D]) as tf.Tensor2D, wo, D);
      const h1 = tf.mul(tf.add(flat, o), Math.SQRT1_2) as tf.Tensor2D;
      const m = lin(tf.relu(lin(h1, w1, D)), w2, mlp);
      h = tf.reshape(tf.mul(tf.add(h1, m), Math.SQRT1_2), [n, T, D]) as tf.Tensor3D;
    }
    const pooled = tf.mean(h, 1) as tf.Tensor2D;
    return tf.reshape(lin(pooled, p[p.length - 1], D), [n]);
  }
}

function checkShape(fn: string, s: VitShape): void {
  for (const key of ['height', 'width', 'channels', 'patch', 'dim', 'mlp', 'blocks'] as const) {
    if (!Number.isInteger(s[key]) || s[key] <= 0)
      throw new Error(`${fn}: ${key} must be a positive integer, got ${s[key]}`);
  }
  if (s.height % s.patch !== 0 || s.width % s.patch !== 0) {
    throw new Error(
      `${fn}: patch = ${s.patch} must divide height = ${s.height} and width = ${s.width}; pick a divisor`,
    );
  }
}

function vitShapes(s: VitShape): number[][] {
  const T = (s.height / s.patch) * (s.width / s.patch);
  const shapes: number[][] = [
    [s.patch * s.patch * s.channels, s.dim],
    [T, s.dim],
  ];
  for (let k = 0; k < s.blocks; k++)
    shapes.push([s.dim, s.dim], [s.dim, s.dim], [s.dim, s.dim], [s.dim, s.dim], [s.dim, s.mlp], [s.mlp, s.dim]);
  shapes.push([s.dim, 1]);
  return shapes;
}

/** A fresh small ViT (see file doc); N(0,1) weights drawn in parameter order. */
export function createVit(opts: VitShape & { prng: Prng }): Vit {
  const shape: VitShape = {
    height: opts.height,
    width: opts.width,
    channels: opts.channels,
    patch: opts.patch,
    dim: opts.dim,
    mlp: opts.mlp,
    blocks: opts.blocks,
  };
  checkShape('createVit', shape);
  return new Vit(
    shape,
    vitShapes(shape).map(([a, b]) => opts.prng.normalArray(a * b)),
  );
}

/**
 * Fully connected ReLU net in NTK parameterisation, no bias, scalar output. With `depth` = L
 * weight layers (L − 1 hidden layers of `width` units):
 *     h_1 = W_0ᵀx/√d,   h_{l+1} = W_lᵀ relu(h_l)/√width,   f = w_{L−1}ᵀ relu(h_{L−1})/√width,
 * all weights N(0, 1). W_0 is d×width, W_l width×width, the readout width×1 (stored as
 * in×out so the forward pass needs no transposes).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Prng } from '../prng';
import { AutodiffModel } from './autodiffModel';

export class Fcn extends AutodiffModel {
  readonly kind = 'fcn';
  readonly width: number;
  readonly depth: number;

  /** An FCN with weights given in layer order (shapes [d, width], [width, width]…, [width, 1]). */
  constructor(d: number, width: number, depth: number, weights: Float32Array[]) {
    checkSizes('Fcn', d, width, depth);
    if (weights.length !== depth)
      throw new Error(`Fcn: expected ${depth} weight arrays (one per layer), got ${weights.length}`);
    super(
      d,
      fcnShapes(d, width, depth).map((shape, i) => ({ shape, values: weights[i] })),
    );
    this.width = width;
    this.depth = depth;
  }

  protected forward(X: tf.Tensor2D): tf.Tensor1D {
    const n = X.shape[0];
    let h = tf.mul(
      tf.matMul(X, this.params[0] as tf.Variable<tf.Rank.R2>),
      1 / Math.sqrt(this.inputDim),
    ) as tf.Tensor2D;
    for (let l = 1; l < this.depth; l++) {
      h = tf.mul(
        tf.matMul(tf.relu(h), this.params[l] as tf.Variable<tf.Rank.R2>),
        1 / Math.sqrt(this.width),
      ) as tf.Tensor2D;
    }
    return tf.reshape(h, [n]);
  }
}

function checkSizes(fn: string, d: number, width: number, depth: number): void {
  if (!Number.isInteger(d) || d <= 0) throw new Error(`${fn}: d must be a positive integer, got ${d}`);
  if (!Number.isInteger(width) || width <= 0) throw new Error(`${fn}: width must be a positive integer, got ${width}`);
  if (!Number.isInteger(depth) || depth < 2)
    throw new Error(`${fn}: depth (number of weight layers) must be an integer ≥ 2, got ${depth}`);
}

function fcnShapes(d: number, width: number, depth: number): number[][] {
  const shapes: number[][] = [[d, width]];
  for (let l = 1; l < depth - 1; l++) shapes.push([width, width]);
  shapes.push([width, 1]);
  return shapes;
}

/** A fresh FCN: `depth` weight layers (so depth 5 = 4 hidden layers + readout), N(0,1) weights drawn in layer order. */
export function createFcn(opts: { d: number; width: number; depth: number; prng: Prng }): Fcn {
  const { d, width, depth, prng } = opts;
  checkSizes('createFcn', d, width, depth);
  const weights = fcnShapes(d, width, depth).map(([a, b]) => prng.normalArray(a * b));
  return new Fcn(d, width, depth, weights);
}

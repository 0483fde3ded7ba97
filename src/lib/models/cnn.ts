/**
 * Convolutional ReLU net in NTK parameterisation for images flattened as rows of X in
 * height×width×channels (HWC) order: 28×28×1 for MNIST (784 inputs), 32×32×3 for CIFAR (3072).
 * `depth` weight layers = (depth − 1) conv layers + a linear readout; so depth 5 is the paper's
 * 5-layer CNN: four 3×3 convolutions (stride 1, 'same' zero padding, `filters` channels, ReLU),
 * global average pooling, readout. No biases, all weights N(0, 1), each layer scaled by
 * 1/√fan-in (9·C_in for a conv, `filters` for the readout).
 *
 * Convolutions are written as im2col + matmul (nine shifted slices of the padded input,
 * concatenated along channels) because tfjs's wasm backend has no filter-gradient kernel for
 * conv2d; this way the tape only meets slice/pad/concat/matmul, all with gradient rules.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Prng } from '../prng';
import { AutodiffModel } from './autodiffModel';
import { countLiveColumns } from './liveChannels';
import { conv3x3Same } from './resnet';

export interface CnnShape {
  height: number;
  width: number;
  channels: number;
  filters: number;
  depth: number;
}

export class Cnn extends AutodiffModel {
  readonly kind = 'cnn';
  readonly shape: CnnShape;

  /** A CNN with weights in layer order: conv kernels [9·C_in, filters] (row (3·di + dj)·C_in + c), then readout [filters, 1]. */
  constructor(shape: CnnShape, weights: Float32Array[]) {
    checkShape('Cnn', shape);
    if (weights.length !== shape.depth)
      throw new Error(`Cnn: expected ${shape.depth} weight arrays (one per layer), got ${weights.length}`);
    super(
      shape.height * shape.width * shape.channels,
      cnnShapes(shape).map((s, i) => ({ shape: s, values: weights[i] })),
    );
    this.shape = { ...shape };
  }

  protected forward(X: tf.Tensor2D, direct = false): tf.Tensor1D {
    const { filters: F, depth } = this.shape;
    const n = X.shape[0];
    const pooled = this.pooledFeatures(X, direct);
    const out = tf.mul(tf.matMul(pooled, this.params[depth - 1] as tf.Variable<tf.Rank.R2>), 1 / Math.sqrt(F));
    return tf.reshape(out, [n]);
  }

  /**
   * Channels of the last conv layer that are positive somewhere on some input of X: a channel whose
   * pooled ReLU output is 0 on every input gives its readout weight no gradient, and all weights
   * feeding it none either (a dead channel). Returns the count out of `filters`.
   */
  liveChannels(X: tf.Tensor2D): number {
    return countLiveColumns(tf.tidy(() => this.pooledFeatures(X, tf.getBackend() === 'wasm')));
  }

  /** Not differentiated: convolutions by tf.conv2d (bitwise the im2col values, see conv3x3Same). */
  protected override forwardNoGrad(X: tf.Tensor2D): tf.Tensor1D {
    return this.forward(X, true);
  }

  /** Global-average-pooled ReLU output of the last conv layer, n × filters (`direct`: tf.conv2d, see conv3x3Same). */
  private pooledFeatures(X: tf.Tensor2D, direct = false): tf.Tensor2D {
    const { height: H, width: W, channels: C, filters: F, depth } = this.shape;
    const n = X.shape[0];
    let a = tf.reshape(X, [n, H, W, C]) as tf.Tensor4D;
    let cin = C;
    for (let l = 0; l < depth - 1; l++) {
      if (direct) {
        a = tf.relu(conv3x3Same(a, this.params[l] as tf.Variable<tf.Rank.R2>, true)) as tf.Tensor4D;
        cin = F;
        continue;
      }
      const padded = tf.pad(a, [
        [0, 0],
        [1, 1],
        [1, 1],
        [0, 0],
      ]);
      const shifts: tf.Tensor4D[] = [];
      for (let di = 0; di < 3; di++) {
        for (let dj = 0; dj < 3; dj++) shifts.push(tf.slice(padded, [0, di, dj, 0], [n, H, W, cin]));
      }
      const patches = tf.reshape(tf.concat(shifts, 3), [n * H * W, 9 * cin]) as tf.Tensor2D;
      const h = tf.mul(tf.matMul(patches, this.params[l] as tf.Variable<tf.Rank.R2>), 1 / Math.sqrt(9 * cin));
      a = tf.relu(tf.reshape(h, [n, H, W, F])) as tf.Tensor4D;
      cin = F;
    }
    return tf.mean(a, [1, 2]) as tf.Tensor2D;
  }
}

function checkShape(fn: string, s: CnnShape): void {
  for (const key of ['height', 'width', 'channels', 'filters'] as const) {
    if (!Number.isInteger(s[key]) || s[key] <= 0)
      throw new Error(`${fn}: ${key} must be a positive integer, got ${s[key]}`);
  }
  if (!Number.isInteger(s.depth) || s.depth < 2)
    throw new Error(`${fn}: depth (conv layers + readout) must be an integer ≥ 2, got ${s.depth}`);
}

function cnnShapes(s: CnnShape): number[][] {
  const shapes: number[][] = [[9 * s.channels, s.filters]];
  for (let l = 1; l < s.depth - 1; l++) shapes.push([9 * s.filters, s.filters]);
  shapes.push([s.filters, 1]);
  return shapes;
}

/** A fresh CNN (see file doc for the architecture); N(0,1) weights drawn in layer order. */
export function createCnn(opts: CnnShape & { prng: Prng }): Cnn {
  const shape: CnnShape = {
    height: opts.height,
    width: opts.width,
    channels: opts.channels,
    filters: opts.filters,
    depth: opts.depth,
  };
  checkShape('createCnn', shape);
  const weights = cnnShapes(shape).map(([a, b]) => opts.prng.normalArray(a * b));
  return new Cnn(shape, weights);
}

/**
 * A small wide ResNet (scalar output, NTK parameterisation, no biases, no normalisation layers) for
 * images flattened as rows in height×width×channels order:
 *     a_0 = conv_stem(x),   a_{k+1} = (a_k + conv_{k,2}(relu(conv_{k,1}(relu(a_k))))) / √2,
 *     f = w_outᵀ mean_{pixels}(relu(a_B)) / √filters.
 * Every conv is 3×3, stride 1, 'same' zero padding, `filters` channels, weights N(0, 1) scaled by
 * 1/√(9·C_in). The 1/√2 keeps the residual stream's scale from growing with depth. Convolutions
 * are im2col + matmul, as in cnn.ts, so the tape only meets ops with gradient rules (autodiff.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Prng } from '../prng';
import { AutodiffModel } from './autodiffModel';
import { countLiveColumns } from './liveChannels';

export interface ResNetShape {
  height: number;
  width: number;
  channels: number;
  /** Channels of every conv (the "width" of the wide ResNet). */
  filters: number;
  /** Number of residual blocks (two convs each). */
  blocks: number;
}

/**
 * 3×3 'same' convolution of a (n×H×W×C_in) with w ([9·C_in, C_out], row (3·di + dj)·C_in + c), scaled by 1/√(9·C_in).
 * With `direct`, by tf.conv2d (w is its [3, 3, C_in, C_out] filter): no gradient rule for the
 * filter on wasm, so only for passes that are not differentiated (predict, live channels), where
 * it avoids the nine slices and the concat; used on wasm only, where it sums the same terms in the
 * same order as im2col + matmul, so the values are bitwise equal (tested).
 */
export function conv3x3Same(a: tf.Tensor4D, w: tf.Tensor2D, direct = false): tf.Tensor4D {
  const [n, H, W, cin] = a.shape;
  if (w.shape[0] !== 9 * cin)
    throw new Error(`conv3x3Same: kernel must have 9·C_in = ${9 * cin} rows, got ${w.shape[0]}`);
  if (direct)
    return tf.mul(
      tf.conv2d(a, tf.reshape(w, [3, 3, cin, w.shape[1]]) as tf.Tensor4D, 1, 'same'),
      1 / Math.sqrt(9 * cin),
    ) as tf.Tensor4D;
  const padded = tf.pad(a, [
    [0, 0],
    [1, 1],
    [1, 1],
    [0, 0],
  ]);
  const shifts: tf.Tensor4D[] = [];
  for (let di = 0; di < 3; di++)
    for (let dj = 0; dj < 3; dj++) shifts.push(tf.slice(padded, [0, di, dj, 0], [n, H, W, cin]));
  const patches = tf.reshape(tf.concat(shifts, 3), [n * H * W, 9 * cin]) as tf.Tensor2D;
  const h = tf.mul(tf.matMul(patches, w), 1 / Math.sqrt(9 * cin));
  return tf.reshape(h, [n, H, W, w.shape[1]]) as tf.Tensor4D;
}

export class ResNet extends AutodiffModel {
  readonly kind = 'resnet';
  readonly shape: ResNetShape;

  /** Weights in layer order: stem [9·C, F], then per block two [9·F, F], then readout [F, 1]. */
  constructor(shape: ResNetShape, weights: Float32Array[]) {
    checkShape('ResNet', shape);
    const shapes = resnetShapes(shape);
    if (weights.length !== shapes.length)
      throw new Error(
        `ResNet: expected ${shapes.length} weight arrays (stem, 2 per block, readout), got ${weights.length}`,
      );
    super(
      shape.height * shape.width * shape.channels,
      shapes.map((s, i) => ({ shape: s, values: weights[i] })),
    );
    this.shape = { ...shape };
  }

  protected forward(X: tf.Tensor2D, direct = false): tf.Tensor1D {
    const n = X.shape[0];
    const p = this.params as tf.Variable<tf.Rank.R2>[];
    const pooled = this.pooledFeatures(X, direct);
    return tf.reshape(tf.mul(tf.matMul(pooled, p[p.length - 1]), 1 / Math.sqrt(this.shape.filters)), [n]);
  }

  /** Not differentiated: convolutions by tf.conv2d (bitwise the im2col values, see conv3x3Same). */
  protected override forwardNoGrad(X: tf.Tensor2D): tf.Tensor1D {
    return this.forward(X, true);
  }

  /** Channels of the final ReLU that are positive somewhere on some input of X (see liveChannels.ts); out of `filters`. */
  liveChannels(X: tf.Tensor2D): number {
    return countLiveColumns(tf.tidy(() => this.pooledFeatures(X, tf.getBackend() === 'wasm')));
  }

  /** Global-average-pooled final ReLU of the residual stream, n × filters (`direct`: see conv3x3Same). */
  private pooledFeatures(X: tf.Tensor2D, direct = false): tf.Tensor2D {
    const { height: H, width: W, channels: C, blocks } = this.shape;
    const n = X.shape[0];
    const p = this.params as tf.Variable<tf.Rank.R2>[];
    let a = conv3x3Same(tf.reshape(X, [n, H, W, C]) as tf.Tensor4D, p[0], direct);
    for (let k = 0; k < blocks; k++) {
      const h = conv3x3Same(tf.relu(conv3x3Same(tf.relu(a), p[1 + 2 * k], direct)), p[2 + 2 * k], direct);
      a = tf.mul(tf.add(a, h), Math.SQRT1_2) as tf.Tensor4D;
    }
    return tf.mean(tf.relu(a), [1, 2]) as tf.Tensor2D;
  }
}

function checkShape(fn: string, s: ResNetShape): void {
  for (const key of ['height', 'width', 'channels', 'filters', 'blocks'] as const) {
    if (!Number.isInteger(s[key]) || s[key] <= 0)
      throw new Error(`${fn}: ${key} must be a positive integer, got ${s[key]}`);
  }
}

function resnetShapes(s: ResNetShape): number[][] {
  const shapes: number[][] = [[9 * s.channels, s.filters]];
  for (let k = 0; k < 2 * s.blocks; k++) shapes.push([9 * s.filters, s.filters]);
  shapes.push([s.filters, 1]);
  return shapes;
}

/** A fresh small wide ResNet (see file doc); N(0,1) weights drawn in layer order. */
export function createResNet(opts: ResNetShape & { prng: Prng }): ResNet {
  const shape: ResNetShape = {
    height: opts.height,
    width: opts.width,
    channels: opts.channels,
    filters: opts.filters,
    blocks: opts.blocks,
  };
  checkShape('createResNet', shape);
  return new ResNet(
    shape,
    resnetShapes(shape).map(([a, b]) => opts.prng.normalArray(a * b)),
  );
}

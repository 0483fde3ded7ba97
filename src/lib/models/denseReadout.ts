/**
 * The chapter's CNN and small ResNet with a dense readout in place of global average pooling:
 * f = w_outᵀ vec(relu(a_last)) / √(H·W·filters), w_out ~ N(0, 1) over every position and channel.
 * The conv layers are those of cnn.ts and resnet.ts (same shapes, same N(0, 1) draws in the same
 * order, so one seed gives the same convolutions under either readout). Why it exists: pooling
 * averages each channel over all positions, which makes the tangent kernel nearly rank one on
 * images (λ₂/λ₁ ≈ 0.01 on chapter 2's MNIST subset), so a rate near 2/λ_max barely moves the
 * directions the labels live in; keeping the positions apart is the smallest change that trains.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Prng } from '../prng';
import { AutodiffModel } from './autodiffModel';
import { conv3x3Same, ResNet } from './resnet';
import { Cnn } from './cnn';

export type ConvBody = 'cnn' | 'resnet';

export interface DenseReadoutShape {
  body: ConvBody;
  height: number;
  width: number;
  channels: number;
  filters: number;
  /** CNN: conv layers + readout (as cnn.ts's depth); ResNet: residual blocks (two convs each). */
  layers: number;
}

function convShapes(s: DenseReadoutShape): number[][] {
  const convs = s.body === 'cnn' ? s.layers - 1 : 1 + 2 * s.layers;
  const shapes: number[][] = [[9 * s.channels, s.filters]];
  for (let l = 1; l < convs; l++) shapes.push([9 * s.filters, s.filters]);
  shapes.push([s.height * s.width * s.filters, 1]);
  return shapes;
}

export class DenseReadoutConvNet extends AutodiffModel {
  readonly kind: string;
  readonly shape: DenseReadoutShape;

  /** Weights in layer order: the body's convs ([9·C_in, filters] each), then the readout [H·W·filters, 1] (HWC order). */
  constructor(shape: DenseReadoutShape, weights: Float32Array[]) {
    for (const key of ['height', 'width', 'channels', 'filters', 'layers'] as const) {
      if (!Number.isInteger(shape[key]) || shape[key] <= 0)
        throw new Error(`DenseReadoutConvNet: ${key} must be a positive integer, got ${shape[key]}`);
    }
    if (shape.body !== 'cnn' && shape.body !== 'resnet')
      throw new Error(`DenseReadoutConvNet: body must be 'cnn' or 'resnet', got '${String(shape.body)}'`);
    if (shape.body === 'cnn' && shape.layers < 2)
      throw new Error(`DenseReadoutConvNet: a CNN needs layers ≥ 2 (convs + readout), got ${shape.layers}`);
    const shapes = convShapes(shape);
    if (weights.length !== shapes.length)
      throw new Error(`DenseReadoutConvNet: expected ${shapes.length} weight arrays, got ${weights.length}`);
    super(
      shape.height * shape.width * shape.channels,
      shapes.map((s, i) => ({ shape: s, values: weights[i] })),
    );
    this.shape = { ...shape };
    this.kind = `${shape.body}-dense`;
  }

  protected forward(X: tf.Tensor2D, direct = false): tf.Tensor1D {
    const { body, height: H, width: W, channels: C, filters: F, layers } = this.shape;
    const n = X.shape[0];
    const p = this.params as tf.Variable<tf.Rank.R2>[];
    let a = tf.reshape(X, [n, H, W, C]) as tf.Tensor4D;
    if (body === 'cnn') {
      for (let l = 0; l < layers - 1; l++) a = tf.relu(conv3x3Same(a, p[l], direct)) as tf.Tensor4D;
    } else {
      a = conv3x3Same(a, p[0], direct);
      for (let k = 0; k < layers; k++) {
        const h = conv3x3Same(tf.relu(conv3x3Same(tf.relu(a), p[1 + 2 * k], direct)), p[2 + 2 * k], direct);
        a = tf.mul(tf.add(a, h), Math.SQRT1_2) as tf.Tensor4D;
      }
      a = tf.relu(a) as tf.Tensor4D;
    }
    const flat = tf.reshape(a, [n, H * W * F]) as tf.Tensor2D;
    return tf.reshape(tf.mul(tf.matMul(flat, p[p.length - 1]), 1 / Math.sqrt(H * W * F)), [n]);
  }

  /** Not differentiated: convolutions by tf.conv2d (bitwise the im2col values, see conv3x3Same). */
  protected override forwardNoGrad(X: tf.Tensor2D): tf.Tensor1D {
    return this.forward(X, true);
  }
}

/** A fresh dense-readout CNN or ResNet (see file doc); N(0, 1) weights drawn in layer order. */
export function createDenseReadoutConvNet(opts: DenseReadoutShape & { prng: Prng }): DenseReadoutConvNet {
  const { prng, ...shape } = opts;
  const weights = convShapes(shape).map(([a, b]) => prng.normalArray(a * b));
  return new DenseReadoutConvNet(shape, weights);
}

/** The dense-readout twin of a pooled CNN or ResNet: its convolutions copied, a fresh N(0, 1) readout from `prng`. */
export function denseReadoutTwin(pooled: Cnn | ResNet, prng: Prng): DenseReadoutConvNet {
  const s = pooled.shape;
  const shape: DenseReadoutShape =
    pooled instanceof Cnn
      ? {
          body: 'cnn',
          height: s.height,
          width: s.width,
          channels: s.channels,
          filters: s.filters,
          layers: pooled.shape.depth,
        }
      : {
          body: 'resnet',
          height: s.height,
          width: s.width,
          channels: s.channels,
          filters: s.filters,
          layers: pooled.shape.blocks,
        };
  const convs = pooled.getWeights().slice(0, -1);
  return new DenseReadoutConvNet(shape, [...convs, prng.normalArray(s.height * s.width * s.filters)]);
}

/**
 * Shared set-up of chapter 2's MNIST runs: a seeded subset of MNIST digits, each image averaged over
 * 2×2 blocks to 14×14 (196 inputs) so convolutional and attention models run on two CPU cores, then
 * rescaled to ‖x‖ = √196 (the scale NTK-parameterised models expect); labels ±1 by digit parity.
 * And the architectures the chapter compares, built by name from one seed.
 */
import { mnistDataset } from '../lib/data/mnist';
import { normaliseImages } from '../lib/data/normalise';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { Dataset, ScalarModel } from '../lib/models/model';
import { SEED_STREAM, type Prng } from '../lib/prng';
import { createFcn } from '../lib/models/fcn';
import { createCnn, type Cnn } from '../lib/models/cnn';
import { createResNet, type ResNet } from '../lib/models/resnet';
import { denseReadoutTwin } from '../lib/models/denseReadout';
import { createVit } from '../lib/models/vit';
import { createShallowNet } from '../lib/models/shallow';

/** Side of the downsampled images. */
const SMALL_SIDE = 14;
/** Inputs per downsampled image (14×14). */
const SMALL_DIM = SMALL_SIDE * SMALL_SIDE;

/** 2×2 average pooling of n 28×28 images (row-major, 784 each) → n×196, then ‖x‖ = √196 per image. */
export function downsampleMnist(X: Float32Array, n: number): Float32Array {
  if (X.length !== n * 784) throw new Error(`downsampleMnist: X must hold n·784 = ${n * 784} pixels, got ${X.length}`);
  const out = new Float32Array(n * SMALL_DIM);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < SMALL_SIDE; r++) {
      for (let c = 0; c < SMALL_SIDE; c++) {
        const o = i * 784 + 2 * r * 28 + 2 * c;
        out[i * SMALL_DIM + r * SMALL_SIDE + c] = (X[o] + X[o + 1] + X[o + 28] + X[o + 29]) / 4;
      }
    }
  }
  normaliseImages(out, n, SMALL_DIM, 'sqrt-d', false);
  return out;
}

/** `perClass` images of each digit 0–9 (seeded), 14×14, targets +1 for even and −1 for odd digits. */
function mnistSmall(prng: Prng, perClass: number): Dataset {
  const full = mnistDataset({ digits: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], perClass, prng, labels: 'pm1' });
  return { n: full.n, d: SMALL_DIM, X: downsampleMnist(full.X, full.n), y: full.y };
}

/** Channels of every convolution of the chapter's CNN and ResNet. */
export const CONV_CHANNELS = 16;

/** Architectures of chapter 2 (sizes fixed here so every figure states the same models). */
const CHAPTER2_ARCHS = ['shallow', 'fcn', 'cnn', 'resnet', 'vit', 'cnn-dense', 'resnet-dense'] as const;
export type Chapter2Arch = (typeof CHAPTER2_ARCHS)[number];
/** The CNN and ResNet with a dense readout over every position instead of global average pooling (denseReadout.ts). */
type DenseArch = 'cnn-dense' | 'resnet-dense';

const CNN_SIZE = `5-layer CNN (four 3×3 convolutions with ${CONV_CHANNELS} channels, global average pooling)`;
const RESNET_SIZE = `small wide ResNet (3×3 stem + 2 residual blocks of two 3×3 convolutions, ${CONV_CHANNELS} channels)`;

/** Human-readable size of each architecture, for captions. */
export const ARCH_SIZES: Record<Chapter2Arch, string> = {
  shallow: 'shallow ReLU net, width 1024',
  fcn: '5-layer FCN (4 hidden layers of width 128)',
  cnn: CNN_SIZE,
  resnet: RESNET_SIZE,
  vit: 'small ViT (2×2 patches → 49 tokens of dimension 32, 2 single-head blocks, MLP 64)',
  'cnn-dense': CNN_SIZE.replace('global average pooling', 'dense readout over all positions'),
  'resnet-dense': `${RESNET_SIZE}, dense readout over all positions instead of global average pooling`,
};

function isDense(arch: Chapter2Arch): arch is DenseArch {
  return arch === 'cnn-dense' || arch === 'resnet-dense';
}

const IMAGE = { height: SMALL_SIDE, width: SMALL_SIDE, channels: 1 };

/** A fresh pooled CNN or ResNet on 14×14×1 inputs (NTK parameterisation, weights from `prng`). */
function createPooledConvNet(body: 'cnn' | 'resnet', prng: Prng): Cnn | ResNet {
  return body === 'cnn'
    ? createCnn({ ...IMAGE, filters: CONV_CHANNELS, depth: 5, prng })
    : createResNet({ ...IMAGE, filters: CONV_CHANNELS, blocks: 2, prng });
}

/** A fresh model of a pooled architecture on 14×14×1 inputs, NTK parameterisation, weights from `prng`. */
function createChapter2Model(arch: Exclude<Chapter2Arch, DenseArch>, prng: Prng): ScalarModel {
  switch (arch) {
    case 'shallow':
      return createShallowNet({ d: SMALL_DIM, m: 1024, prng });
    case 'fcn':
      return createFcn({ d: SMALL_DIM, width: 128, depth: 5, prng });
    case 'cnn':
    case 'resnet':
      return createPooledConvNet(arch, prng);
    case 'vit':
      return createVit({ ...IMAGE, patch: 2, dim: 32, mlp: 64, blocks: 2, prng });
    default:
      throw new Error(`createChapter2Model: arch must be one of ${CHAPTER2_ARCHS.join(', ')}, got '${String(arch)}'`);
  }
}

/**
 * A chapter-2 run's data (SEED_STREAM.data), model (SEED_STREAM.weights) and inputs as a tensor; dispose() frees the
 * model and tensor. A dense-readout architecture keeps the convolutions of the pooled model of the same seed and
 * draws its readout from a second SEED_STREAM.weights fork, so both readouts share one body.
 */
export function chapter2Setup(
  prng: Prng,
  perClass: number,
  arch: Chapter2Arch,
): { data: Dataset; net: ScalarModel; X: tf.Tensor2D; dispose(): void } {
  const data = mnistSmall(prng.fork(SEED_STREAM.data), perClass);
  let net: ScalarModel;
  if (isDense(arch)) {
    const pooled = createPooledConvNet(arch === 'cnn-dense' ? 'cnn' : 'resnet', prng.fork(SEED_STREAM.weights));
    net = denseReadoutTwin(pooled, prng.fork(SEED_STREAM.weights));
    pooled.dispose();
  } else {
    net = createChapter2Model(arch, prng.fork(SEED_STREAM.weights));
  }
  const X = tf.tensor2d(data.X, [data.n, data.d]);
  return {
    data,
    net,
    X,
    dispose() {
      X.dispose();
      net.dispose();
    },
  };
}

/** Config field `archs`: a non-empty list drawn from `allowed`, the error naming the choices. */
export function archList<A extends string>(allowed: readonly [A, ...A[]]) {
  return z
    .array(z.enum(allowed, { error: () => `archs must be among ${allowed.join(', ')}` }))
    .nonempty('archs must list at least one architecture');
}

/** One grid point per architecture, keyed by its name; the other fields (minus seeds) are shared. */
export function expandByArch<C extends { archs: readonly string[]; seeds: number; baseSeed: number }>(
  cfg: C,
): { key: string; config: Omit<C, 'seeds' | 'baseSeed' | 'archs'> & { arch: C['archs'][number] } }[] {
  const { seeds: _s, baseSeed: _b, archs, ...rest } = cfg;
  return archs.map((arch) => ({ key: arch, config: { ...rest, arch } }));
}

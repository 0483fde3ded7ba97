/**
 * What every shallow-net demo builds from its seed: the training set and a shallow ReLU net in NTK
 * parameterisation, from streams forked in this order: data, then initialisation — the same
 * derivation as src/experiments/shallowSetup.ts, so equal settings give the precomputed runs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { createShallowNet, type ShallowNet } from '../../lib/models/shallow';
import type { Dataset } from '../../lib/models/model';
import { Prng, SEED_STREAM } from '../../lib/prng';

export interface ShallowDemoSetup {
  data: Dataset;
  model: ShallowNet;
  /** The training inputs as an n×d tensor (the caller disposes it with the model). */
  X: tf.Tensor2D;
}

/** Data from `sample` on the data stream, then a width-m shallow net on the init stream. */
export function shallowDemoSetup(seed: number, m: number, sample: (prng: Prng) => Dataset): ShallowDemoSetup {
  const prng = new Prng(seed);
  const data = sample(prng.fork(SEED_STREAM.data));
  const model = createShallowNet({ d: data.d, m, prng: prng.fork(SEED_STREAM.weights) });
  const X = tf.tensor2d(data.X, [data.n, data.d]);
  return { data, model, X };
}

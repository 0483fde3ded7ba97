/**
 * The batch kernels of one epoch: λ_max(K(w; X_B)) for each batch B of consecutive indices of a
 * permutation, so experiments that set a rate from "the median batch critical rate" read the same
 * batches the same way.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { ScalarModel } from './models/model';
import { batchLambdaMax } from './tangentKernel';

/** λ_max(K(w; X_B)) (float64) for the batches perm[0..b), perm[b..2b), … of one epoch (a short last batch is dropped). */
export function epochBatchLambdas(
  model: ScalarModel,
  X: tf.Tensor2D,
  b: number,
  perm: ArrayLike<number> & { subarray(a: number, z: number): ArrayLike<number> },
): number[] {
  const lams: number[] = [];
  for (let s = 0; s + b <= perm.length; s += b) lams.push(batchLambdaMax(model, X, perm.subarray(s, s + b)));
  return lams;
}

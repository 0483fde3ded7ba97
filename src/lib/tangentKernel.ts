/**
 * The (empirical, neural) tangent kernel K = J Jᵀ on inputs X, n×n, no 1/n (see
 * criticalLearningRate.ts), with J_ia = ∂f(x_i)/∂w_a. Models with a closed form implement
 * `tangentKernel` themselves; `jacobianTangentKernel` is the generic reference that works for any
 * ScalarModel and that the closed forms are tested against.
 */
import * as tf from '@tensorflow/tfjs-core';
// Gradient rules for autodiff (tfjs-core's Node bundle has none).
import './models/autodiff';
import { DENSE_EIGEN_MAX_N, lanczosTopK, symmetricMatvec, topEigen, type EigenPairs } from './eigen';
import type { ScalarModel } from './models/model';
import { rowDots } from './linalg';
import type { Prng } from './prng';

/** K = JJᵀ on X (n×d), n×n row-major float64, via the model's own (closed-form or generic) method. */
export function tangentKernel(model: ScalarModel, X: tf.Tensor2D): Float64Array {
  return model.tangentKernel(X);
}

/**
 * The Jacobian J (n×p row-major, float64 copy of float32 autodiff), row i = ∂f(x_i)/∂w with the
 * parameters flattened in `model.params` order. One backward pass per example.
 */
export function jacobian(model: ScalarModel, X: tf.Tensor2D): Float64Array {
  const rows = jacobianRowsFloat32(model, X);
  const p = model.numParams;
  const J = new Float64Array(rows.length * p);
  rows.forEach((r, i) => J.set(r, i * p));
  return J;
}

function jacobianRowsFloat32(model: ScalarModel, X: tf.Tensor2D): Float32Array[] {
  if (X.rank !== 2 || X.shape[1] !== model.inputDim) {
    throw new Error(`jacobian: X must be an n×${model.inputDim} tensor, got shape [${X.shape.join(', ')}]`);
  }
  const n = X.shape[0];
  const p = model.numParams;
  const rows: Float32Array[] = [];
  for (let i = 0; i < n; i++) {
    const row = new Float32Array(p);
    tf.tidy(() => {
      const xi = tf.slice(X, [i, 0], [1, model.inputDim]);
      const { value, grads } = tf.variableGrads(() => tf.sum(model.predict(xi)) as tf.Scalar, model.params);
      value.dispose();
      let off = 0;
      for (const v of model.params) {
        const g = grads[v.name];
        if (g === undefined) throw new Error(`jacobian: no gradient for parameter ${v.name}; is it used by predict()?`);
        row.set(g.dataSync(), off);
        off += v.size;
      }
      if (off !== p) throw new Error(`jacobian: params hold ${off} scalars but model.numParams = ${p}`);
    });
    rows.push(row);
  }
  return rows;
}

/** Generic K = JJᵀ from per-example autodiff gradients, Gram accumulated in float64. O(n²p) time. */
export function jacobianTangentKernel(model: ScalarModel, X: tf.Tensor2D): Float64Array {
  const rows = jacobianRowsFloat32(model, X);
  const n = rows.length;
  const p = model.numParams;
  const J = new Float64Array(n * p);
  rows.forEach((r, i) => J.set(r, i * p));
  return rowDots(J, n, J, n, p, true);
}

/**
 * Top-k eigenpairs of K(X) (descending, unit vectors in sample space). Dense float64 kernel +
 * `topEigen` for n ≤ DENSE_EIGEN_MAX_N; above that, Lanczos on the model's matrix-free
 * `tangentKernelMatvec` when it has one, else Lanczos on the dense kernel.
 */
export function topKernelEigen(
  model: ScalarModel,
  X: tf.Tensor2D,
  k: number,
  opts: { prng?: Prng; tol?: number } = {},
): EigenPairs {
  const n = X.shape[0];
  if (!Number.isInteger(k) || k <= 0 || k > n)
    throw new Error(`topKernelEigen: k must be an integer in 1..n=${n}, got ${k}`);
  if (n <= DENSE_EIGEN_MAX_N) return topEigen(model.tangentKernel(X), n, k);
  if (model.tangentKernelMatvec) {
    const mv = model.tangentKernelMatvec(X);
    try {
      // float32 matvecs: ask for what float32 can give.
      const res = lanczosTopK(mv, n, k, { prng: opts.prng, tol: opts.tol ?? 1e-6 });
      return { values: res.values, vectors: res.vectors };
    } finally {
      mv.dispose();
    }
  }
  const res = lanczosTopK(symmetricMatvec(model.tangentKernel(X), n), n, k, { prng: opts.prng, tol: opts.tol });
  return { values: res.values, vectors: res.vectors };
}

/** λ_max(K(X)), the largest tangent-kernel eigenvalue; η_crit = 2/λ_max (criticalLearningRate.ts). */
export function lambdaMax(model: ScalarModel, X: tf.Tensor2D): number {
  return topKernelEigen(model, X, 1).values[0];
}

/** λ_max(K(X_B)) of the batch B = rows `idx` of X (the batch kernel, a principal submatrix of K(X)). */
export function batchLambdaMax(model: ScalarModel, X: tf.Tensor2D, idx: ArrayLike<number>): number {
  const Xb = tf.gather(X, Array.from(idx)) as tf.Tensor2D;
  try {
    return lambdaMax(model, Xb);
  } finally {
    Xb.dispose();
  }
}

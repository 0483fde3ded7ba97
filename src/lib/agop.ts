/**
 * Average Gradient Outer Product (AGOP), the feature matrix of chapter 3:
 *     G = (1/n) Σ_i ∇_x f(x_i) ∇_x f(x_i)ᵀ     (d×d, float64; summed over outputs if f has several),
 * and its alignment with the true model's AGOP, a plain (uncentred) cosine of the flattened matrices.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { ScalarModel } from './models/model';
import type { Task } from './tasks';

/** G = (1/n) Σ_i g_i g_iᵀ from n input gradients g_i (row-major n×d) → d×d row-major float64. */
export function agopFromGradients(grads: ArrayLike<number>, n: number, d: number): Float64Array {
  if (!Number.isInteger(n) || n <= 0) throw new Error(`agopFromGradients: n must be a positive integer, got ${n}`);
  if (!Number.isInteger(d) || d <= 0) throw new Error(`agopFromGradients: d must be a positive integer, got ${d}`);
  if (grads.length !== n * d) {
    throw new Error(`agopFromGradients: grads has ${grads.length} entries, expected n·d = ${n}·${d} (row-major n×d)`);
  }
  const G = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) row[a] = grads[i * d + a];
    for (let a = 0; a < d; a++) {
      const ga = row[a];
      if (ga === 0) continue; // rank-2/rank-4 gradients are mostly zeros
      const off = a * d;
      for (let b = a; b < d; b++) G[off + b] += ga * row[b];
    }
  }
  const inv = 1 / n;
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const v = G[a * d + b] * inv;
      G[a * d + b] = v;
      G[b * d + a] = v;
    }
  }
  return G;
}

/** AGOP of a scalar model on the rows of X (n×d): (1/n) Σ ∇_x f(x_i)∇_x f(x_i)ᵀ, d×d float64. */
export function agop(model: ScalarModel, X: tf.Tensor2D): Float64Array {
  const [n, d] = X.shape;
  return agopFromGradients(model.inputGradients(X), n, d);
}

/** Empirical true AGOP (1/n) Σ ∇f*(x_i)∇f*(x_i)ᵀ on the same inputs X (row-major n×task.d). */
export function trueAgopEmpirical(task: Task, X: ArrayLike<number>, n: number): Float64Array {
  const d = task.d;
  if (X.length !== n * d) throw new Error(`trueAgopEmpirical: X has ${X.length} entries, expected n·d = ${n}·${d}`);
  const grads = new Float64Array(n * d);
  const x = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) x[a] = X[i * d + a];
    grads.set(task.grad(x), i * d);
  }
  return agopFromGradients(grads, n, d);
}

/** cos(G, G*) = ⟨G, G*⟩_F / (‖G‖_F ‖G*‖_F), uncentred, in [−1, 1]; NaN if either matrix is zero. */
export function agopAlignment(G: ArrayLike<number>, Gstar: ArrayLike<number>): number {
  if (G.length !== Gstar.length) {
    throw new Error(`agopAlignment: G has ${G.length} entries but G* has ${Gstar.length}; pass two d×d matrices`);
  }
  let dot = 0;
  let a = 0;
  let b = 0;
  for (let i = 0; i < G.length; i++) {
    dot += G[i] * Gstar[i];
    a += G[i] * G[i];
    b += Gstar[i] * Gstar[i];
  }
  if (a === 0 || b === 0) return NaN;
  return dot / Math.sqrt(a * b);
}

/** Top-left k×k block of a d×d row-major matrix (for pictures of the leading coordinates). */
export function agopBlock(G: ArrayLike<number>, d: number, k: number): Float64Array {
  if (G.length !== d * d) throw new Error(`agopBlock: G has ${G.length} entries, expected d² = ${d * d}`);
  if (!Number.isInteger(k) || k <= 0 || k > d) throw new Error(`agopBlock: k must be an integer in 1..d=${d}, got ${k}`);
  const out = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) out[a * k + b] = G[a * d + b];
  return out;
}

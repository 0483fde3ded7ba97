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
  const g = grads instanceof Float64Array ? grads : Float64Array.from(grads);
  const G = new Float64Array(d * d);
  // Upper triangle, each entry summed over i in order, skipping samples with g_ia = 0 (rank-2/rank-4
  // target gradients are mostly zeros); four samples per sweep over G so each entry is loaded and
  // stored once per four terms, in the same order as a sample-by-sample loop.
  const off = [0, 0, 0, 0];
  const w = [0, 0, 0, 0];
  for (let i0 = 0; i0 < n; i0 += 4) {
    const block = Math.min(4, n - i0);
    for (let a = 0; a < d; a++) {
      let c = 0;
      for (let q = 0; q < block; q++) {
        const ga = g[(i0 + q) * d + a];
        if (ga === 0) continue;
        off[c] = (i0 + q) * d;
        w[c] = ga;
        c++;
      }
      if (c === 0) continue;
      const ga0 = a * d;
      if (c === 4) {
        const [o0, o1, o2, o3] = off;
        const [w0, w1, w2, w3] = w;
        for (let b = a; b < d; b++) {
          let s = G[ga0 + b];
          s += w0 * g[o0 + b];
          s += w1 * g[o1 + b];
          s += w2 * g[o2 + b];
          s += w3 * g[o3 + b];
          G[ga0 + b] = s;
        }
      } else {
        for (let b = a; b < d; b++) {
          let s = G[ga0 + b];
          for (let q = 0; q < c; q++) s += w[q] * g[off[q] + b];
          G[ga0 + b] = s;
        }
      }
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
  if (!Number.isInteger(k) || k <= 0 || k > d)
    throw new Error(`agopBlock: k must be an integer in 1..d=${d}, got ${k}`);
  const out = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) out[a * k + b] = G[a * d + b];
  return out;
}

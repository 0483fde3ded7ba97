/**
 * Shared core of the shallow ReLU net and its quadratic model (NQM), both in NTK parameterisation:
 *     f(x) = (1/√m) Σ_j v_j s_j(x) u_jᵀx/√d,     s_j(x) = 1[g_jᵀx > 0],
 * with trainable U (m×d, rows u_j) and v (m). The ReLU net has live gates g_j = u_j, since
 * relu(z) = 1[z > 0]·z; the NQM freezes them at initialisation, g_j = u_{0,j} (see nqm.ts for why
 * that IS the second-order Taylor model). So value, hand-written gradients, tangent kernel and
 * input gradients are written once, here, with explicit transposes (see linalg.ts).
 *
 * With Z = XUᵀ/√d, S = 1[XGᵀ > 0] and B = S ⊙ Z (all n×m):
 *     ∂f_i/∂v_j = B_ij/√m,   ∂f_i/∂u_j = v_j S_ij x_i/√(md),
 *     K = (1/m) [ (S diag(v²) Sᵀ) ⊙ (XXᵀ/d) + B Bᵀ ],   ∇_x f_i = (1/√(md)) Σ_j v_j S_ij u_j.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelMatvec, ScalarModel } from './model';

function checkInput(fn: string, X: tf.Tensor2D, d: number): number {
  if (X.rank !== 2 || X.shape[1] !== d) {
    throw new Error(`${fn}: X must be an n×${d} tensor (rows are inputs), got shape [${X.shape.join(', ')}]`);
  }
  return X.shape[0];
}

export abstract class GatedReluNet implements ScalarModel {
  abstract readonly kind: string;
  readonly inputDim: number;
  /** Hidden width m. */
  readonly width: number;
  readonly numParams: number;
  /** First-layer weights U, m×d (rows u_j). */
  readonly U: tf.Variable<tf.Rank.R2>;
  /** Readout weights v, length m. */
  readonly v: tf.Variable<tf.Rank.R1>;
  readonly params: tf.Variable[];

  protected constructor(U: Float32Array, v: Float32Array, d: number, name: string) {
    const m = v.length;
    if (!Number.isInteger(d) || d <= 0) throw new Error(`${name}: input dimension d must be a positive integer, got ${d}`);
    if (m === 0) throw new Error(`${name}: width m (length of v) must be positive`);
    if (U.length !== m * d) throw new Error(`${name}: U has ${U.length} entries, expected m·d = ${m}·${d} (row-major m×d)`);
    this.inputDim = d;
    this.width = m;
    this.numParams = m * d + m;
    // tf.variable shares the initial tensor's data and keeps it counted, so tidy it away.
    this.U = tf.tidy(() => tf.variable(tf.tensor2d(U, [m, d]), true)) as tf.Variable<tf.Rank.R2>;
    this.v = tf.tidy(() => tf.variable(tf.tensor1d(v), true)) as tf.Variable<tf.Rank.R1>;
    this.params = [this.U, this.v];
  }

  /** Gate weights G (m×d) deciding s_j(x) = 1[g_jᵀx > 0]: U itself for ReLU, frozen U0 for the NQM. */
  protected abstract gateWeights(): tf.Tensor2D;
  /** The same gate weights as float64, row-major m×d (for kernels in float64). */
  protected abstract gateWeights64(): Float64Array;

  /** Z = XUᵀ/√d, S (gates) and B = S ⊙ Z, all n×m; call inside tf.tidy. */
  protected features(X: tf.Tensor2D): { Z: tf.Tensor2D; S: tf.Tensor2D; B: tf.Tensor2D } {
    const Z = tf.mul(tf.matMul(X, tf.transpose(this.U)), 1 / Math.sqrt(this.inputDim)) as tf.Tensor2D;
    const G = this.gateWeights();
    const S = (G === this.U ? tf.step(Z) : tf.step(tf.matMul(X, tf.transpose(G)))) as tf.Tensor2D;
    const B = (G === this.U ? tf.relu(Z) : tf.mul(S, Z)) as tf.Tensor2D;
    return { Z, S, B };
  }

  /** f(x_i) for each row of X (n×d) → n outputs. */
  predict(X: tf.Tensor2D): tf.Tensor1D {
    const n = checkInput(`${this.kind}.predict`, X, this.inputDim);
    return tf.tidy(() => {
      const { B } = this.features(X);
      return tf.mul(tf.reshape(tf.matMul(B, tf.reshape(this.v, [this.width, 1])), [n]), 1 / Math.sqrt(this.width));
    });
  }

  /** L = ½Σ(f − y)² and its exact gradients [∂L/∂U (m×d), ∂L/∂v (m)], hand-written backward pass. */
  lossAndGrads(X: tf.Tensor2D, y: tf.Tensor1D): { loss: tf.Scalar; grads: tf.Tensor[] } {
    const n = checkInput(`${this.kind}.lossAndGrads`, X, this.inputDim);
    if (y.rank !== 1 || y.shape[0] !== n) {
      throw new Error(`${this.kind}.lossAndGrads: y must be a 1-D tensor of n = ${n} targets, got shape [${y.shape.join(', ')}]`);
    }
    const m = this.width;
    const d = this.inputDim;
    return tf.tidy(() => {
      const { S, B } = this.features(X);
      const f = tf.mul(tf.reshape(tf.matMul(B, tf.reshape(this.v, [m, 1])), [n]), 1 / Math.sqrt(m));
      const r = tf.sub(f, y);
      const loss = tf.mul(tf.sum(tf.square(r)), 0.5) as tf.Scalar;
      // ∂L/∂v = Bᵀr/√m, computed as rᵀB (1×n · n×m) so no transpose is needed.
      const gv = tf.mul(tf.reshape(tf.matMul(tf.reshape(r, [1, n]), B), [m]), 1 / Math.sqrt(m));
      // ∂L/∂U = Mᵀ X/√(md) with M = (r vᵀ) ⊙ S; (XᵀM)ᵀ transposes X (n×d) and a d×m result
      // instead of the n×m matrix M.
      const M = tf.mul(tf.mul(tf.reshape(r, [n, 1]), tf.reshape(this.v, [1, m])), S);
      const gU = tf.mul(tf.transpose(tf.matMul(tf.transpose(X), M)), 1 / Math.sqrt(m * d));
      return { loss, grads: [gU, gv] };
    });
  }

  /** Closed-form tangent kernel K = JJᵀ on X, n×n row-major, computed entirely in float64. */
  tangentKernel(X: tf.Tensor2D): Float64Array {
    const n = checkInput(`${this.kind}.tangentKernel`, X, this.inputDim);
    const d = this.inputDim;
    const m = this.width;
    const x = X.dataSync();
    const U = this.U.dataSync();
    const v = this.v.dataSync();
    const Gw = this.gateWeights64();
    const sameGate = this.gateWeights() === this.U;
    // P = S diag(|v|) and B = S ⊙ Z, row-major n×m in float64.
    const P = new Float64Array(n * m);
    const B = new Float64Array(n * m);
    const invSqrtD = 1 / Math.sqrt(d);
    for (let i = 0; i < n; i++) {
      const xo = i * d;
      for (let j = 0; j < m; j++) {
        const uo = j * d;
        let z = 0;
        for (let k = 0; k < d; k++) z += U[uo + k] * x[xo + k];
        let gate = z;
        if (!sameGate) {
          gate = 0;
          for (let k = 0; k < d; k++) gate += Gw[uo + k] * x[xo + k];
        }
        if (gate > 0) {
          P[i * m + j] = Math.abs(v[j]);
          B[i * m + j] = z * invSqrtD;
        }
      }
    }
    const K = new Float64Array(n * n);
    for (let a = 0; a < n; a++) {
      const ao = a * m;
      for (let b = 0; b <= a; b++) {
        const bo = b * m;
        let pp = 0;
        let bb = 0;
        for (let j = 0; j < m; j++) {
          pp += P[ao + j] * P[bo + j];
          bb += B[ao + j] * B[bo + j];
        }
        let xx = 0;
        for (let k = 0; k < d; k++) xx += x[a * d + k] * x[b * d + k];
        const kab = (pp * (xx / d) + bb) / m;
        K[a * n + b] = kab;
        K[b * n + a] = kab;
      }
    }
    return K;
  }

  /**
   * Matrix-free K x = J(Jᵀx) on X via four tfjs matmuls (float32 inside, float64 in and out);
   * costs O(nmd) per call instead of O(n²m) memory and time for the dense kernel.
   */
  tangentKernelMatvec(X: tf.Tensor2D): KernelMatvec {
    const n = checkInput(`${this.kind}.tangentKernelMatvec`, X, this.inputDim);
    const m = this.width;
    const d = this.inputDim;
    const held = tf.tidy(() => {
      const { S, B } = this.features(X);
      return { Xc: tf.clone(X), Xt: tf.transpose(X), S, B, vRow: tf.reshape(this.v, [1, m]), vCol: tf.reshape(this.v, [m, 1]) };
    });
    let disposed = false;
    const fn = (x: Float64Array): Float64Array => {
      if (disposed) throw new Error(`${this.kind}.tangentKernelMatvec: used after dispose()`);
      if (x.length !== n) throw new Error(`${this.kind}.tangentKernelMatvec: x has length ${x.length}, expected n = ${n}`);
      const out = tf.tidy(() => {
        const xr = tf.tensor2d(Float32Array.from(x), [1, n]);
        // Jᵀx: dv = Bᵀx/√m (as a 1×m row), dUᵀ = Xᵀ((x vᵀ) ⊙ S)/√(md) (d×m).
        const dv = tf.matMul(xr, held.B);
        const M = tf.mul(tf.mul(tf.reshape(xr, [n, 1]), held.vRow), held.S);
        const dUt = tf.mul(tf.matMul(held.Xt, M), 1 / Math.sqrt(d));
        // J w = (1/√m)[B dv + ((S ⊙ X dUᵀ) v)/√d]; the 1/√m of Jᵀ and of J combine into 1/m.
        const t1 = tf.matMul(held.B, tf.reshape(dv, [m, 1]));
        const t2 = tf.mul(tf.matMul(tf.mul(held.S, tf.matMul(held.Xc, dUt)), held.vCol), 1 / Math.sqrt(d));
        return tf.mul(tf.add(t1, t2), 1 / m);
      });
      const res = Float64Array.from(out.dataSync());
      out.dispose();
      return res;
    };
    return Object.assign(fn, {
      n,
      dispose: () => {
        if (disposed) return;
        disposed = true;
        for (const t of Object.values(held)) t.dispose();
      },
    });
  }

  /** ∇_x f(x_i) = (1/√(md)) Σ_j v_j S_ij u_j, n×d row-major (float32 matmul, float64 output). */
  inputGradients(X: tf.Tensor2D): Float64Array {
    checkInput(`${this.kind}.inputGradients`, X, this.inputDim);
    const m = this.width;
    const d = this.inputDim;
    const g = tf.tidy(() => {
      const G = this.gateWeights();
      const S = tf.step(tf.matMul(X, tf.transpose(G)));
      const W = tf.mul(S, tf.reshape(this.v, [1, m]));
      return tf.mul(tf.matMul(W, this.U), 1 / Math.sqrt(m * d));
    });
    const out = Float64Array.from(g.dataSync());
    g.dispose();
    return out;
  }

  /** [U (m×d row-major), v (m)] as fresh float32 copies. */
  getWeights(): Float32Array[] {
    return [Float32Array.from(this.U.dataSync()), Float32Array.from(this.v.dataSync())];
  }

  /** Overwrites [U, v] from arrays shaped like `getWeights()`. */
  setWeights(w: Float32Array[]): void {
    const m = this.width;
    const d = this.inputDim;
    if (w.length !== 2 || w[0].length !== m * d || w[1].length !== m) {
      throw new Error(`${this.kind}.setWeights: expected [U (${m}·${d} = ${m * d} entries), v (${m} entries)], got [${w.map((a) => a.length).join(', ')}]`);
    }
    tf.tidy(() => {
      this.U.assign(tf.tensor2d(w[0], [m, d]));
      this.v.assign(tf.tensor1d(w[1]));
    });
  }

  dispose(): void {
    this.U.dispose();
    this.v.dispose();
  }
}

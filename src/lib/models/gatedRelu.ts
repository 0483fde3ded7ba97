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
 *
 * Layout. On wasm the right-hand operand of a matmul is repacked on every call with a new tensor
 * (~10 ms for 2000×1024), the left one is read as is. The backward pass (`lossAndGrads`) therefore
 * holds Zᵀ, Sᵀ, Bᵀ (m×n, one column per input): Zᵀ = U Xᵀ needs no transpose of U, Bᵀr and
 * ∂L/∂U = Mᵀ X (m×d directly) have the n×m matrices on the left, and f = vᵀBᵀ is summed outside
 * the matmul (`outputsT`); the row layout repacked two, B in rᵀB and M in XᵀM, and transposed U
 * and ∂L/∂U. `predict`, forward only, keeps the row layout, where nothing n×m is repacked. Each
 * entry is the same dot product over the same index in both layouts, so the values are bitwise
 * equal (tested). Xᵀ is kept per input tensor (`transposedInput`), so full-batch GD transposes its
 * inputs once.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelMatvec, ScalarModel } from './model';
import { rowDots, toFloat64 } from '../linalg';

/** Inputs whose transposes a net keeps: the training set and one batch or probe set at a time. */
const TRANSPOSE_CACHE = 2;

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
  /** Xᵀ of the last inputs seen (at most TRANSPOSE_CACHE), owned here; see `transposedInput`. */
  private readonly transposedInputs: { X: tf.Tensor2D; dataId: object; Xt: tf.Tensor2D }[] = [];

  protected constructor(U: Float32Array, v: Float32Array, d: number, name: string) {
    const m = v.length;
    if (!Number.isInteger(d) || d <= 0)
      throw new Error(`${name}: input dimension d must be a positive integer, got ${d}`);
    if (m === 0) throw new Error(`${name}: width m (length of v) must be positive`);
    if (U.length !== m * d)
      throw new Error(`${name}: U has ${U.length} entries, expected m·d = ${m}·${d} (row-major m×d)`);
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

  /**
   * Xᵀ (d×n) of X, transposed once per input tensor: the last TRANSPOSE_CACHE inputs are kept
   * (inputs disposed since are dropped first, then the least recently used), freed by `dispose()`.
   * Keyed by tensor identity and data id, so a reassigned variable is transposed afresh.
   */
  protected transposedInput(X: tf.Tensor2D): tf.Tensor2D {
    const cache = this.transposedInputs;
    const at = cache.findIndex((e) => e.X === X && e.dataId === X.dataId);
    if (at >= 0) {
      const [hit] = cache.splice(at, 1);
      cache.push(hit);
      return hit.Xt;
    }
    for (let i = cache.length - 1; i >= 0; i--) {
      if (cache[i].X.isDisposed) cache.splice(i, 1)[0].Xt.dispose();
    }
    while (cache.length >= TRANSPOSE_CACHE) cache.shift()!.Xt.dispose();
    const Xt = tf.keep(tf.transpose(X));
    cache.push({ X, dataId: X.dataId, Xt });
    return Xt;
  }

  /** Sᵀ (gates) and Bᵀ = Sᵀ ⊙ Zᵀ with Zᵀ = UXᵀ/√d, both m×n (column i is input i); call inside tf.tidy. */
  protected featuresT(X: tf.Tensor2D): { St: tf.Tensor2D; Bt: tf.Tensor2D } {
    const Xt = this.transposedInput(X);
    const Zt = tf.mul(tf.matMul(this.U, Xt), 1 / Math.sqrt(this.inputDim)) as tf.Tensor2D;
    const G = this.gateWeights();
    const St = (G === this.U ? tf.step(Zt) : tf.step(tf.matMul(G, Xt))) as tf.Tensor2D;
    const Bt = (G === this.U ? tf.relu(Zt) : tf.mul(St, Zt)) as tf.Tensor2D;
    return { St, Bt };
  }

  /**
   * f = Bv/√m from Bᵀ (m×n); call inside tf.tidy. As a matmul, vᵀBᵀ would repack all of Bᵀ (on
   * wasm that costs more than the matmul itself), so on wasm the n sums Σ_j v_j Bᵀ_ji are taken
   * here in float32, term by term in the order j = 0…m−1, as XNNPACK's GEMM accumulates them
   * (float32 products and sums emulated with Math.fround / Float32Array stores, which round
   * exactly like float32 arithmetic): bitwise the f of `predict` (tested). Other backends matmul.
   */
  private outputsT(Bt: tf.Tensor2D, n: number): tf.Tensor1D {
    const m = this.width;
    if (tf.getBackend() !== 'wasm')
      return tf.mul(tf.reshape(tf.matMul(tf.reshape(this.v, [1, m]), Bt), [n]), 1 / Math.sqrt(m)) as tf.Tensor1D;
    const bt = Bt.dataSync();
    const v = this.v.dataSync();
    const acc = new Float32Array(n);
    for (let j = 0; j < m; j++) {
      const vj = v[j];
      const o = j * n;
      for (let i = 0; i < n; i++) acc[i] = acc[i] + Math.fround(vj * bt[o + i]);
    }
    return tf.mul(tf.tensor1d(acc), 1 / Math.sqrt(m)) as tf.Tensor1D;
  }

  /**
   * f(x_i) for each row of X (n×d) → n outputs. Forward only, so in the row layout: B = relu(XUᵀ/√d)
   * (n×m) is the left operand of Bv and is never repacked (vᵀBᵀ would repack Bᵀ); bitwise the f
   * of `lossAndGrads`.
   */
  predict(X: tf.Tensor2D): tf.Tensor1D {
    const n = checkInput(`${this.kind}.predict`, X, this.inputDim);
    return tf.tidy(() => {
      const Z = tf.mul(tf.matMul(X, tf.transpose(this.U)), 1 / Math.sqrt(this.inputDim));
      const G = this.gateWeights();
      const B = G === this.U ? tf.relu(Z) : tf.mul(tf.step(tf.matMul(X, tf.transpose(G))), Z);
      return tf.mul(tf.reshape(tf.matMul(B, tf.reshape(this.v, [this.width, 1])), [n]), 1 / Math.sqrt(this.width));
    });
  }

  /**
   * L = ½Σ(f − y)² and its exact gradients [∂L/∂U (m×d), ∂L/∂v (m)], hand-written backward pass;
   * with `outputs`, also f(X) from the same forward pass (bitwise what `predict(X)` returns).
   */
  lossAndGrads(
    X: tf.Tensor2D,
    y: tf.Tensor1D,
    opts: { outputs?: boolean } = {},
  ): { loss: tf.Scalar; grads: tf.Tensor[]; outputs?: tf.Tensor1D } {
    const n = checkInput(`${this.kind}.lossAndGrads`, X, this.inputDim);
    if (y.rank !== 1 || y.shape[0] !== n) {
      throw new Error(
        `${this.kind}.lossAndGrads: y must be a 1-D tensor of n = ${n} targets, got shape [${y.shape.join(', ')}]`,
      );
    }
    const m = this.width;
    const d = this.inputDim;
    return tf.tidy(() => {
      const { St, Bt } = this.featuresT(X);
      const f = this.outputsT(Bt, n);
      const r = tf.sub(f, y);
      const loss = tf.mul(tf.sum(tf.square(r)), 0.5) as tf.Scalar;
      // ∂L/∂v = Bᵀr/√m.
      const gv = tf.mul(tf.reshape(tf.matMul(Bt, tf.reshape(r, [n, 1])), [m]), 1 / Math.sqrt(m));
      // ∂L/∂U = MᵀX/√(md) with Mᵀ = (v rᵀ) ⊙ Sᵀ (m×n): m×d directly, X the fixed right operand.
      const Mt = tf.mul(tf.mul(tf.reshape(this.v, [m, 1]), tf.reshape(r, [1, n])), St);
      const gU = tf.mul(tf.matMul(Mt, X), 1 / Math.sqrt(m * d));
      return opts.outputs ? { loss, grads: [gU, gv], outputs: f } : { loss, grads: [gU, gv] };
    });
  }

  /** Closed-form tangent kernel K = JJᵀ on X, n×n row-major, computed entirely in float64. */
  tangentKernel(X: tf.Tensor2D): Float64Array {
    const n = checkInput(`${this.kind}.tangentKernel`, X, this.inputDim);
    const d = this.inputDim;
    const m = this.width;
    const x = toFloat64(X.dataSync());
    const U = toFloat64(this.U.dataSync());
    const v = this.v.dataSync();
    const sameGate = this.gateWeights() === this.U;
    // Z = XUᵀ and the gate pre-activations XGᵀ (n×m) in float64, then P = S diag(|v|) and B = S ⊙ Z/√d.
    const Z = rowDots(x, n, U, m, d);
    const gates = sameGate ? Z : rowDots(x, n, this.gateWeights64(), m, d);
    const P = new Float64Array(n * m);
    const B = new Float64Array(n * m);
    const invSqrtD = 1 / Math.sqrt(d);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        if (gates[i * m + j] > 0) {
          P[i * m + j] = Math.abs(v[j]);
          B[i * m + j] = Z[i * m + j] * invSqrtD;
        }
      }
    }
    const PP = rowDots(P, n, P, n, m, true);
    const BB = rowDots(B, n, B, n, m, true);
    const XX = rowDots(x, n, x, n, d, true);
    const K = new Float64Array(n * n);
    for (let i = 0; i < n * n; i++) K[i] = (PP[i] * (XX[i] / d) + BB[i]) / m;
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
    // Jᵀx in the column layout, Jw with the gates also held as S (n×m): then the only n×m right
    // operand is the fixed Bᵀ (packed once), never a fresh matrix per call.
    const held = tf.tidy(() => {
      const { St, Bt } = this.featuresT(X);
      return {
        Xc: tf.clone(X),
        Xt: tf.clone(this.transposedInput(X)),
        St,
        Bt,
        S: tf.transpose(St),
        vCol: tf.reshape(this.v, [m, 1]),
      };
    });
    let disposed = false;
    const fn = (x: Float64Array): Float64Array => {
      if (disposed) throw new Error(`${this.kind}.tangentKernelMatvec: used after dispose()`);
      if (x.length !== n)
        throw new Error(`${this.kind}.tangentKernelMatvec: x has length ${x.length}, expected n = ${n}`);
      const out = tf.tidy(() => {
        const xr = tf.tensor2d(Float32Array.from(x), [1, n]);
        // Jᵀx: dv = Bᵀx/√m (m×1), dU = ((v xᵀ) ⊙ Sᵀ) X/√(md) (m×d).
        const dv = tf.matMul(held.Bt, tf.reshape(xr, [n, 1]));
        const Mt = tf.mul(tf.mul(held.vCol, xr), held.St);
        const dU = tf.mul(tf.matMul(Mt, held.Xc), 1 / Math.sqrt(d));
        // J w = (1/√m)[B dv + ((S ⊙ X dUᵀ) v)/√d]; the 1/√m of Jᵀ and of J combine into 1/m.
        const t1 = tf.reshape(tf.matMul(tf.reshape(dv, [1, m]), held.Bt), [n]);
        const t2 = tf.reshape(
          tf.mul(tf.matMul(tf.mul(held.S, tf.matMul(held.Xc, tf.transpose(dU))), held.vCol), 1 / Math.sqrt(d)),
          [n],
        );
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
      throw new Error(
        `${this.kind}.setWeights: expected [U (${m}·${d} = ${m * d} entries), v (${m} entries)], got [${w.map((a) => a.length).join(', ')}]`,
      );
    }
    tf.tidy(() => {
      this.U.assign(tf.tensor2d(w[0], [m, d]));
      this.v.assign(tf.tensor1d(w[1]));
    });
  }

  dispose(): void {
    this.U.dispose();
    this.v.dispose();
    for (const e of this.transposedInputs.splice(0)) e.Xt.dispose();
  }
}

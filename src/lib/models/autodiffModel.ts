/**
 * Base for models differentiated by the tfjs tape (FCN, CNN): subclasses give `forward` and their
 * parameters; loss gradients, input gradients and the generic Jacobian tangent kernel follow.
 * Parameters are N(0, 1) (NTK parameterisation: the 1/√fan-in lives in the forward pass).
 */
import * as tf from '@tensorflow/tfjs-core';
import './autodiff';
import { jacobianTangentKernel } from '../tangentKernel';
import type { ScalarModel } from './model';

export abstract class AutodiffModel implements ScalarModel {
  abstract readonly kind: string;
  readonly inputDim: number;
  readonly numParams: number;
  readonly params: tf.Variable[];

  protected constructor(inputDim: number, weights: { shape: number[]; values: Float32Array }[]) {
    this.inputDim = inputDim;
    this.params = weights.map((w) => {
      const size = w.shape.reduce((a, b) => a * b, 1);
      if (w.values.length !== size)
        throw new Error(`model weights: expected ${size} values for shape [${w.shape}], got ${w.values.length}`);
      // tf.variable shares the initial tensor's data and keeps it counted, so tidy it away.
      return tf.tidy(() => tf.variable(tf.tensor(w.values, w.shape), true));
    });
    this.numParams = this.params.reduce((s, p) => s + p.size, 0);
  }

  /** f on each row of X (n×inputDim) → n outputs; differentiable w.r.t. params and X. */
  protected abstract forward(X: tf.Tensor2D): tf.Tensor1D;

  protected checkX(fn: string, X: tf.Tensor2D): number {
    if (X.rank !== 2 || X.shape[1] !== this.inputDim) {
      throw new Error(
        `${this.kind}.${fn}: X must be an n×${this.inputDim} tensor (flattened inputs as rows), got shape [${X.shape.join(', ')}]`,
      );
    }
    return X.shape[0];
  }

  /**
   * The forward pass of `predict` when no gradient tape is recording (on wasm): by default
   * `forward`; models override it with kernels that give the same values faster but have no
   * gradient rule (convolutions by tf.conv2d instead of im2col).
   */
  protected forwardNoGrad(X: tf.Tensor2D): tf.Tensor1D {
    return this.forward(X);
  }

  /** f(x_i) for each row of X → n outputs (differentiable when called under a gradient tape). */
  predict(X: tf.Tensor2D): tf.Tensor1D {
    this.checkX('predict', X);
    const taped = tf.engine().state.gradientDepth > 0;
    return tf.tidy(() => (taped || tf.getBackend() !== 'wasm' ? this.forward(X) : this.forwardNoGrad(X)));
  }

  /**
   * L = ½Σ(f − y)² and ∂L/∂params by tape autodiff (matmul rule with explicit transposes); with
   * `outputs`, also the forward pass's f(X).
   */
  lossAndGrads(
    X: tf.Tensor2D,
    y: tf.Tensor1D,
    opts: { outputs?: boolean } = {},
  ): { loss: tf.Scalar; grads: tf.Tensor[]; outputs?: tf.Tensor1D } {
    const n = this.checkX('lossAndGrads', X);
    if (y.rank !== 1 || y.shape[0] !== n) {
      throw new Error(
        `${this.kind}.lossAndGrads: y must be a 1-D tensor of n = ${n} targets, got shape [${y.shape.join(', ')}]`,
      );
    }
    let outputs: tf.Tensor1D | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const f = this.forward(X);
      if (opts.outputs) outputs = tf.keep(f);
      return tf.mul(tf.sum(tf.square(tf.sub(f, y))), 0.5) as tf.Scalar;
    }, this.params);
    const out = { loss: value, grads: this.params.map((p) => grads[p.name]) };
    return outputs ? { ...out, outputs } : out;
  }

  /** K = JJᵀ from per-example gradients (no closed form for this architecture), float64 Gram. */
  tangentKernel(X: tf.Tensor2D): Float64Array {
    this.checkX('tangentKernel', X);
    return jacobianTangentKernel(this, X);
  }

  /** ∇_x f(x_i), n×inputDim float64: the gradient of Σ_i f(x_i), since f(x_i) depends on x_i only. */
  inputGradients(X: tf.Tensor2D): Float64Array {
    this.checkX('inputGradients', X);
    const g = tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(this.forward(x as tf.Tensor2D)))(X));
    const out = Float64Array.from(g.dataSync());
    g.dispose();
    return out;
  }

  /** Parameters in `params` order as fresh float32 copies. */
  getWeights(): Float32Array[] {
    return this.params.map((p) => Float32Array.from(p.dataSync()));
  }

  /** Overwrites parameters from arrays shaped like `getWeights()`. */
  setWeights(w: Float32Array[]): void {
    if (w.length !== this.params.length || w.some((a, i) => a.length !== this.params[i].size)) {
      throw new Error(
        `${this.kind}.setWeights: expected ${this.params.length} arrays of sizes [${this.params.map((p) => p.size).join(', ')}], got [${w.map((a) => a.length).join(', ')}]`,
      );
    }
    tf.tidy(() => this.params.forEach((p, i) => p.assign(tf.tensor(w[i], p.shape))));
  }

  dispose(): void {
    for (const p of this.params) p.dispose();
  }
}

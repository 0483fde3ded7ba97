/**
 * The contract every scalar-output model in `src/lib` meets. Loss convention everywhere:
 * L = ½ Σ_i (f(x_i) − y_i)² (see criticalLearningRate.ts), so gradients are Jᵀr.
 */
import type * as tf from '@tensorflow/tfjs-core';

/** Row-major float32 data: X is n×d, y has n scalar targets. */
export interface Dataset {
  n: number;
  d: number;
  X: Float32Array;
  y: Float32Array;
}

/** x ↦ K x for a fixed kernel K (n×n), holding tensors until `dispose()`. */
export type KernelMatvec = ((x: Float64Array) => Float64Array) & { readonly n: number; dispose(): void };

export interface ScalarModel {
  /** Stable name, e.g. 'shallow-relu-ntk', 'nqm', 'fcn', 'cnn'. */
  readonly kind: string;
  /** Input dimension d. */
  readonly inputDim: number;
  /** Total number of trainable scalars p. */
  readonly numParams: number;
  /** Trainable parameters, in a fixed order shared with `lossAndGrads`. */
  readonly params: tf.Variable[];
  /** f on each row of X (n×d) → n outputs. Caller disposes. */
  predict(X: tf.Tensor2D): tf.Tensor1D;
  /**
   * L = ½Σ(f − y)² on (X, y) and ∂L/∂params (same order as `params`). With `opts.outputs`, also
   * f(X) from the same forward pass, equal to `predict(X)` (saves a second forward pass when the
   * caller needs the residual too). Caller disposes loss, grads and outputs.
   */
  lossAndGrads(
    X: tf.Tensor2D,
    y: tf.Tensor1D,
    opts?: { outputs?: boolean },
  ): { loss: tf.Scalar; grads: tf.Tensor[]; outputs?: tf.Tensor1D };
  /** Tangent kernel K = J Jᵀ on X, n×n row-major, accumulated in float64. */
  tangentKernel(X: tf.Tensor2D): Float64Array;
  /**
   * Optional matrix-free kernel x ↦ K x = J(Jᵀx) on X (n-vectors, float64 in and out), for Lanczos
   * when n is too large for a dense n×n kernel. Caller calls `dispose()` on the result when done.
   */
  tangentKernelMatvec?(X: tf.Tensor2D): KernelMatvec;
  /**
   * Optional, for models ending in pooled ReLU channels (CNN, ResNet): how many last-layer channels
   * are positive somewhere on some row of X (a channel zero on every input passes no gradient).
   */
  liveChannels?(X: tf.Tensor2D): number;
  /** Input gradients ∇_x f(x_i), n×d row-major float64 (for AGOP). */
  inputGradients(X: tf.Tensor2D): Float64Array;
  /** Current parameters as plain arrays (for export and snapshots). */
  getWeights(): Float32Array[];
  /** Overwrites parameters from arrays shaped like `getWeights()`. */
  setWeights(w: Float32Array[]): void;
  dispose(): void;
}

/**
 * The neural quadratic model (NQM) of the shallow ReLU net: its second-order Taylor expansion
 * in w = (U, v) around the initial weights w0 = (U0, v0).
 *
 * Derivation. With z_j = u_jᵀx/√d, f = (1/√m) Σ_j v_j σ(z_j). The only non-zero second
 * derivatives are the cross terms ∂²f/∂v_j∂u_j = σ'(z_j) x/√(md) (σ'' = 0 a.e. for ReLU), so
 *     g(w) = f(w0) + ∇f(w0)ᵀΔw + (1/√(md)) Σ_j Δv_j σ'(z0_j) Δu_jᵀx.
 * Collecting terms and using σ(z0) = σ'(z0) z0:
 *     g(w) = (1/√m) Σ_j v_j 1[u_{0,j}ᵀx > 0] u_jᵀx/√d,
 * i.e. the network with its ReLU gates frozen at w0. Its Jacobian depends on Δw through v and U,
 * so its tangent kernel moves during training (the catapult needs that).
 */
import * as tf from '@tensorflow/tfjs-core';
import { GatedReluNet } from './gatedRelu';
import type { ShallowNet } from './shallow';

export class Nqm extends GatedReluNet {
  readonly kind = 'nqm';
  /** Frozen gate weights U0 (m×d) = the base net's U at construction. */
  private readonly U0: tf.Tensor2D;
  private readonly U0f64: Float64Array;
  private readonly v0: Float32Array;

  /** The NQM around w0 = (U0 m×d row-major, v0), starting at w = w0. */
  constructor(U0: Float32Array, v0: Float32Array, d: number) {
    super(U0, v0, d, 'Nqm');
    this.U0 = tf.tensor2d(U0, [v0.length, d]);
    this.U0f64 = Float64Array.from(U0);
    this.v0 = Float32Array.from(v0);
  }

  protected gateWeights(): tf.Tensor2D {
    return this.U0;
  }

  protected gateWeights64(): Float64Array {
    return this.U0f64;
  }

  /** Expansion point w0 = [U0, v0] as float32 copies. */
  initialWeights(): Float32Array[] {
    return [Float32Array.from(this.U0f64), Float32Array.from(this.v0)];
  }

  override dispose(): void {
    super.dispose();
    this.U0.dispose();
  }
}

/** The NQM of `base` around its current weights; starts at w = w0, owns its own variables. */
export function createNqm(base: ShallowNet): Nqm {
  const [U0, v0] = base.getWeights();
  return new Nqm(U0, v0, base.inputDim);
}

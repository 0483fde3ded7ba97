/**
 * The shallow ReLU net of the papers, NTK parameterisation, no bias:
 *     f(x) = (1/√m) Σ_j v_j relu(u_jᵀx/√d),   u_j ~ N(0, I_d),   v_j ~ N(0, 1) or random signs.
 * Value, gradients, kernel and input gradients come from GatedReluNet with live gates g_j = u_j.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { Prng } from '../prng';
import { GatedReluNet } from './gatedRelu';

export type ShallowVInit = 'normal' | 'sign';

export class ShallowNet extends GatedReluNet {
  readonly kind = 'shallow-relu-ntk';

  constructor(U: Float32Array, v: Float32Array, d: number) {
    super(U, v, d, 'ShallowNet');
  }

  protected gateWeights(): tf.Tensor2D {
    return this.U;
  }

  protected gateWeights64(): Float64Array {
    return Float64Array.from(this.U.dataSync());
  }
}

/** A freshly initialised shallow net: U (m×d) then v (m) drawn from `prng`, in that order. */
export function createShallowNet(opts: { d: number; m: number; prng: Prng; vInit?: ShallowVInit }): ShallowNet {
  const { d, m, prng } = opts;
  const vInit = opts.vInit ?? 'normal';
  if (!Number.isInteger(d) || d <= 0) throw new Error(`createShallowNet: d must be a positive integer, got ${d}`);
  if (!Number.isInteger(m) || m <= 0) throw new Error(`createShallowNet: width m must be a positive integer, got ${m}`);
  if (vInit !== 'normal' && vInit !== 'sign') {
    throw new Error(`createShallowNet: vInit must be 'normal' or 'sign', got ${String(vInit)}`);
  }
  const U = prng.normalArray(m * d);
  const v = vInit === 'normal' ? prng.normalArray(m) : prng.signArray(m);
  return new ShallowNet(U, v, d);
}

/** A shallow net with given weights: U is m×d row-major, v has m entries, d is the input dimension. */
export function shallowNetFromWeights(U: Float32Array, v: Float32Array, d: number): ShallowNet {
  return new ShallowNet(U, v, d);
}

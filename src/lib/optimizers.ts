/**
 * First-order optimizers acting in place on a model's tf.Variables. The learning rate η is passed
 * at every step so schedules (and a demo's slider) can change it between steps. Gradients are those
 * of L = ½Σ(f−y)² (criticalLearningRate.ts), so plain SGD with η < 2/λ_max(K) is the lazy regime.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Which optimizer and its hyper-parameters (defaults in brackets). */
export type OptimizerSpec =
  | { kind: 'sgd' }
  /** Heavy ball: v ← βv + g, w ← w − ηv [β = 0.9]. */
  | { kind: 'momentum'; beta?: number }
  /** Adam with bias correction [β1 = 0.9, β2 = 0.999, ε = 1e-8]. */
  | { kind: 'adam'; beta1?: number; beta2?: number; epsilon?: number }
  /** RMSprop: s ← ρs + (1−ρ)g², w ← w − ηg/(√s + ε) [ρ = 0.9, ε = 1e-8]. */
  | { kind: 'rmsprop'; rho?: number; epsilon?: number };

/** An optimizer bound to a fixed list of variables. */
export interface Optimizer {
  readonly spec: OptimizerSpec;
  /** Number of updates applied so far. */
  readonly iterations: number;
  /** One update w ← w − η·direction(grads); grads align with the params list. Does not dispose grads. */
  apply(grads: tf.Tensor[], eta: number): void;
  /** Frees the optimizer's state tensors (not the params). */
  dispose(): void;
}

function checkUnit(field: string, v: number): number {
  if (!(v >= 0 && v < 1)) throw new Error(`createOptimizer: ${field} must be in [0, 1), got ${v}`);
  return v;
}

function zerosLike(params: tf.Variable[]): tf.Variable[] {
  return params.map((p) => tf.variable(tf.zerosLike(p), false));
}

/** Builds the optimizer of `spec` for `params` (state tensors start at zero). */
export function createOptimizer(spec: OptimizerSpec, params: tf.Variable[]): Optimizer {
  const kind = (spec as { kind: string }).kind;
  let iterations = 0;
  let slots: tf.Variable[][] = [];
  let update: (g: tf.Tensor, i: number, eta: number, t: number) => tf.Tensor;

  if (kind === 'sgd') {
    update = (g, _i, eta) => tf.mul(g, eta);
  } else if (kind === 'momentum') {
    const beta = checkUnit('momentum.beta', (spec as { beta?: number }).beta ?? 0.9);
    const vel = zerosLike(params);
    slots = [vel];
    update = (g, i, eta) => {
      const v = tf.add(tf.mul(vel[i], beta), g);
      vel[i].assign(v);
      return tf.mul(v, eta);
    };
  } else if (kind === 'adam') {
    const s = spec as { beta1?: number; beta2?: number; epsilon?: number };
    const b1 = checkUnit('adam.beta1', s.beta1 ?? 0.9);
    const b2 = checkUnit('adam.beta2', s.beta2 ?? 0.999);
    const eps = s.epsilon ?? 1e-8;
    const m1 = zerosLike(params);
    const m2 = zerosLike(params);
    slots = [m1, m2];
    update = (g, i, eta, t) => {
      const m = tf.add(tf.mul(m1[i], b1), tf.mul(g, 1 - b1));
      const v = tf.add(tf.mul(m2[i], b2), tf.mul(tf.square(g), 1 - b2));
      m1[i].assign(m);
      m2[i].assign(v);
      const mHat = tf.div(m, 1 - b1 ** t);
      const vHat = tf.div(v, 1 - b2 ** t);
      return tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), eps)), eta);
    };
  } else if (kind === 'rmsprop') {
    const s = spec as { rho?: number; epsilon?: number };
    const rho = checkUnit('rmsprop.rho', s.rho ?? 0.9);
    const eps = s.epsilon ?? 1e-8;
    const sq = zerosLike(params);
    slots = [sq];
    update = (g, i, eta) => {
      const v = tf.add(tf.mul(sq[i], rho), tf.mul(tf.square(g), 1 - rho));
      sq[i].assign(v);
      return tf.mul(tf.div(g, tf.add(tf.sqrt(v), eps)), eta);
    };
  } else {
    throw new Error(`createOptimizer: spec.kind must be 'sgd', 'momentum', 'adam' or 'rmsprop', got '${kind}'`);
  }

  return {
    spec,
    get iterations() {
      return iterations;
    },
    apply(grads, eta) {
      if (grads.length !== params.length) {
        throw new Error(
          `optimizer.apply: got ${grads.length} gradients for ${params.length} params (same order as model.params)`,
        );
      }
      if (!Number.isFinite(eta) || eta < 0)
        throw new Error(`optimizer.apply: eta must be a finite number ≥ 0, got ${eta}`);
      iterations++;
      const t = iterations;
      tf.tidy(() => {
        for (let i = 0; i < params.length; i++) params[i].assign(tf.sub(params[i], update(grads[i], i, eta, t)));
      });
    },
    dispose() {
      for (const list of slots) for (const v of list) v.dispose();
      slots = [];
    },
  };
}

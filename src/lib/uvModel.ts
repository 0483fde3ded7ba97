/**
 * The uv model of Lewkowycz et al. (2020): f = vᵀu·x/√m on one sample x = 1, y = 0,
 * loss L = ½ f² (LOSS_CONVENTION), tangent kernel λ = (‖u‖² + ‖v‖²)/m.
 * GD on (u, v) reduces exactly to two scalar recursions:
 *     f' = (1 − ηλ + η²f²/m) f,     λ' = λ + (η f²/m)(ηλ − 4).
 * Lazy for η < 2/λ0, catapult for 2/λ0 < η < 4/λ0, divergent above 4/λ0.
 */

export interface UvTrace {
  /** Step index t = 0..T (inclusive of the start). */
  step: number[];
  /** Loss ½ f_t² at each step. */
  loss: number[];
  /** Tangent kernel λ_t at each step. */
  lambda: number[];
  /** First step at which the loss exceeded `divergeAbove` or became non-finite, else null. */
  divergedAt: number | null;
}

/** One exact GD step of the uv model in (f, λ) coordinates; m is the width. */
export function uvStep(f: number, lambda: number, eta: number, m: number): { f: number; lambda: number } {
  const f2m = (f * f) / m;
  return {
    f: (1 - eta * lambda + eta * eta * f2m) * f,
    lambda: lambda + eta * f2m * (eta * lambda - 4),
  };
}

/** Runs `steps` GD steps from (f0, λ0); stops early once ½f² > divergeAbove or is non-finite. */
export function runUvModel(opts: {
  f0: number;
  lambda0: number;
  eta: number;
  m: number;
  steps: number;
  divergeAbove?: number;
}): UvTrace {
  const { f0, lambda0, eta, m, steps } = opts;
  const divergeAbove = opts.divergeAbove ?? 1e8;
  if (!(m > 0)) throw new Error(`runUvModel: width m must be positive, got ${m}`);
  if (!(eta > 0)) throw new Error(`runUvModel: eta must be positive, got ${eta}`);
  if (!(lambda0 > 0)) throw new Error(`runUvModel: lambda0 must be positive, got ${lambda0}`);
  const trace: UvTrace = { step: [0], loss: [0.5 * f0 * f0], lambda: [lambda0], divergedAt: null };
  let f = f0;
  let lambda = lambda0;
  for (let t = 1; t <= steps; t++) {
    ({ f, lambda } = uvStep(f, lambda, eta, m));
    const loss = 0.5 * f * f;
    trace.step.push(t);
    trace.loss.push(loss);
    trace.lambda.push(lambda);
    if (!Number.isFinite(loss) || loss > divergeAbove) {
      trace.divergedAt = t;
      break;
    }
  }
  return trace;
}

/**
 * Plain GD on explicit vectors u, v ∈ R^m for the same model, used to check the recursions:
 * f = vᵀu/√m, ∂L/∂u = f v/√m, ∂L/∂v = f u/√m.
 */
export function uvGdStepVectors(u: Float64Array, v: Float64Array, eta: number): void {
  const m = u.length;
  let dot = 0;
  for (let i = 0; i < m; i++) dot += u[i] * v[i];
  const f = dot / Math.sqrt(m);
  const c = (eta * f) / Math.sqrt(m);
  for (let i = 0; i < m; i++) {
    const ui = u[i];
    u[i] = ui - c * v[i];
    v[i] = v[i] - c * ui;
  }
}

/**
 * Loss normalisation and critical learning rates.
 *
 * THE convention of this code base (docs/conventions.md#loss-normalisations-and-critical-rates,
 * first row of the table): the training loss is
 *     L(w) = ½ Σ_i (f(w; x_i) − y_i)²      (a sum over samples, no 1/n),
 * its gradient is Jᵀr, and GD on a linear model converges iff η < η_crit = 2/λ_max(K) with
 * K = J Jᵀ (n×n, no 1/n). For SGD the same formula holds on the batch: L_B = ½ Σ_{i∈B}(f−y)²,
 * η_crit(X_B) = 2/λ_max(K(w; X_B)). Every "η/η_crit" a reader sees is in these units.
 */
/** The convention's name, as criticalLearningRateFor spells it. */
const LOSS_CONVENTION = 'half-sum-squared';

/** ½ Σ (f − y)²: the training loss under LOSS_CONVENTION (dimensionless, summed over samples). */
export function halfSumSquaredLoss(f: ArrayLike<number>, y: ArrayLike<number>): number {
  if (f.length !== y.length) throw new Error(`halfSumSquaredLoss: ${f.length} predictions vs ${y.length} targets`);
  let s = 0;
  for (let i = 0; i < f.length; i++) {
    const r = f[i] - y[i];
    s += r * r;
  }
  return 0.5 * s;
}

/** Mean squared error (1/n) Σ (f − y)², no ½: what we report as test loss. */
export function meanSquaredError(f: ArrayLike<number>, y: ArrayLike<number>): number {
  if (f.length === 0) return NaN;
  return mseFromHalfSum(halfSumSquaredLoss(f, y), f.length);
}

/** The MSE (1/k)Σ(f−y)² of k samples from their ½Σ loss. */
export function mseFromHalfSum(halfSum: number, k: number): number {
  return (2 * halfSum) / k;
}

/** η_crit = 2/λ_max(K) for L = ½Σ(f−y)², K = JJᵀ on the same samples (full set or one batch). */
export function criticalLearningRate(lambdaMax: number): number {
  if (!(lambdaMax > 0) || !Number.isFinite(lambdaMax)) {
    throw new Error(`criticalLearningRate: λ_max must be a positive finite number, got ${lambdaMax}`);
  }
  return criticalLearningRateUnchecked(lambdaMax);
}

/** 2/λ_max without the check, for recorded series: a zero kernel (every unit dead) records Infinity instead of stopping the run. */
export function criticalLearningRateUnchecked(lambdaMax: number): number {
  return 2 / lambdaMax;
}

/**
 * Converts η_crit between loss normalisations (table in docs/conventions.md#loss-normalisations-and-critical-rates):
 * for (1/2n)Σ it is 2n/μ, for the
 * mean MSE without ½ it is n/μ. Used to translate other people's numbers into ours and, for the mean loss, by SGD runs.
 */
export function criticalLearningRateFor(
  convention: typeof LOSS_CONVENTION | 'half-mean-squared' | 'mean-squared',
  lambdaMax: number,
  n: number,
): number {
  const base = criticalLearningRate(lambdaMax);
  if (convention === LOSS_CONVENTION) return base;
  if (convention === 'half-mean-squared') return meanLossCriticalRate(lambdaMax, n);
  return (base * n) / 2;
}

/**
 * SGD on the batch MEAN loss (1/2b)Σ_{i∈B}(f−y)² at rate η̄ takes the same step as our ½Σ convention
 * at η = η̄/b; this is that ½Σ rate (b = number of samples in the batch).
 */
export function halfSumRateForMeanLoss(etaBar: number, b: number): number {
  if (!(b >= 1)) throw new Error(`halfSumRateForMeanLoss: batch size must be ≥ 1, got ${b}`);
  return etaBar / b;
}

/** The inverse of halfSumRateForMeanLoss: a ½Σ rate η (or critical rate) on batches of b samples in batch-mean-loss units, η̄ = b·η. */
export function meanLossRateForHalfSum(eta: number, b: number): number {
  if (!(b >= 1)) throw new Error(`meanLossRateForHalfSum: batch size must be ≥ 1, got ${b}`);
  return eta * b;
}

/** Critical rate of the mean loss (1/2k)Σ(f−y)² on k points whose kernel has top eigenvalue λ: 2k/λ (η̄ units). */
export function meanLossCriticalRate(lambdaMax: number, k: number): number {
  criticalLearningRate(lambdaMax); // validates λ
  if (!(k >= 1)) throw new Error(`meanLossCriticalRate: number of points must be ≥ 1, got ${k}`);
  return (2 * k) / lambdaMax;
}

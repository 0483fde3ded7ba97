/**
 * Loss conventions: the critical rates of the ½Σ and mean losses against the closed-form behaviour
 * of GD on a linear model (the residual along the top eigenvector is multiplied by 1 − ηλ per step).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  criticalLearningRate,
  criticalLearningRateFor,
  criticalLearningRateUnchecked,
  halfSumRateForMeanLoss,
  halfSumSquaredLoss,
  meanLossCriticalRate,
  meanLossRateForHalfSum,
  meanSquaredError,
  mseFromHalfSum,
} from '../../../src/lib/criticalLearningRate';

/** GD on the mean loss (1/2k)Σ(w·x_i − y_i)² of a 1-parameter linear model; returns |r| growth over 200 steps. */
function meanLossGdGrowth(xs: number[], etaBar: number): number {
  const k = xs.length;
  let w = 1; // target y = 0, so the residual is w·x
  for (let t = 0; t < 200; t++) {
    const grad = xs.reduce((g, x) => g + w * x * x, 0) / k;
    w -= etaBar * grad;
  }
  return Math.abs(w);
}

test('mean-loss critical rate 2k/λ is where GD on a linear model stops converging', () => {
  const xs = [0.5, 1.5, -2, 1];
  const lambda = xs.reduce((s, x) => s + x * x, 0); // K = xxᵀ has the single eigenvalue Σx²
  const crit = meanLossCriticalRate(lambda, xs.length);
  assert.ok(Math.abs(crit - (2 * xs.length) / lambda) < 1e-15);
  assert.ok(meanLossGdGrowth(xs, 0.99 * crit) < 1);
  assert.ok(meanLossGdGrowth(xs, 1.01 * crit) > 1);
  // the same step in the ½Σ convention runs at η̄/k and meets its own threshold 2/λ there
  assert.ok(Math.abs(halfSumRateForMeanLoss(crit, xs.length) - criticalLearningRate(lambda)) < 1e-15);
  assert.equal(criticalLearningRateFor('half-mean-squared', lambda, xs.length), crit);
  assert.ok(Math.abs(criticalLearningRateFor('mean-squared', lambda, xs.length) - crit / 2) < 1e-15);
});

test('conversions: ½Σ ↔ MSE, and ½Σ ↔ mean-loss rates in both directions', () => {
  const f = [1, 2, 4];
  const y = [0, 0, 1];
  assert.equal(halfSumSquaredLoss(f, y), 7);
  assert.equal(mseFromHalfSum(7, 3), 14 / 3);
  assert.equal(meanSquaredError(f, y), 14 / 3);
  assert.equal(meanLossRateForHalfSum(halfSumRateForMeanLoss(0.8, 4), 4), 0.8);
  // a batch's ½Σ critical rate 2/λ in mean-loss units is that batch's mean-loss critical rate 2b/λ
  assert.ok(Math.abs(meanLossRateForHalfSum(criticalLearningRate(3), 5) - meanLossCriticalRate(3, 5)) < 1e-15);
  // the unchecked rate is the same formula, and records a zero kernel as Infinity instead of throwing
  assert.equal(criticalLearningRateUnchecked(3), criticalLearningRate(3));
  assert.equal(criticalLearningRateUnchecked(0), Infinity);
  assert.throws(() => criticalLearningRate(0), /λ_max must be a positive finite number/);
});

test('bad inputs name the quantity', () => {
  assert.throws(() => meanLossCriticalRate(0, 5), /λ_max must be a positive finite number/);
  assert.throws(() => meanLossCriticalRate(2, 0), /number of points must be ≥ 1/);
  assert.throws(() => halfSumRateForMeanLoss(1, 0), /batch size must be ≥ 1/);
  assert.throws(() => meanLossRateForHalfSum(1, 0), /batch size must be ≥ 1/);
});

/**
 * The published numbers we compare against, in one place (the papers are listed in docs/conventions.md#sources).
 * These are the only hand-typed numbers on the site, and each names where it comes from.
 * Our own numbers always come from traces.
 */

/** Zhu et al. 2024 (talk/paper), rank-2 regression, 2000 training points, one η for all batch sizes. */
export const PAPER_RANK2_BATCH_TABLE = [
  { batchSize: 2000, agopAlignment: 0.81, testLoss: 0.74 },
  { batchSize: 50, agopAlignment: 0.84, testLoss: 0.71 },
  { batchSize: 10, agopAlignment: 0.89, testLoss: 0.59 },
  { batchSize: 5, agopAlignment: 0.95, testLoss: 0.42 },
] as const;

/** Zhu et al. (quadratic models, ICLR 2024): 128 two-Gaussian points in d = 1, width 5000. */
export const PAPER_NQM_THRESHOLDS = { twoOverLambda1: 0.37, twoOverLambda2: 0.39, n: 128, width: 5000 } as const;

/** η_max/η_crit: 2 in the uv-model and quadratic-model theory; ≈ 6 (η_max ≈ 12/λ0) in Lewkowycz et al.'s ReLU nets. */
export const PAPER_ETA_MAX_RATIO = { theory: 2, lewkowyczReluEmpirical: 6 } as const;

/** Lewkowycz et al. 2020: η_crit = 6.25 for a 3-hidden-layer ReLU FCN of width 2048 on MNIST; catapult transient under ~10 steps. */
export const PAPER_LEWKOWYCZ = { etaCritMnistFcn: 6.25, transientSteps: 10, width: 2048 } as const;

/** Zhu et al. 2024: the deep network of their projected-loss figure, a fully connected net trained by GD on CIFAR-10 points. */
export const PAPER_DEEP_FCN = { layers: 5, n: 128 } as const;

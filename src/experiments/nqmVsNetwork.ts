/**
 * nqm-vs-network: the quadratic model (NQM) of a shallow ReLU net against the net itself on the
 * 1-d two-Gaussian task of Zhu et al.'s quadratic-model paper (128 points, means ±2, labels ±1).
 * With d = 1 and no bias the tangent kernel has rank 2 (one block per sign of x), so λ1 and λ2 are
 * the whole spectrum. GD at η below 2/λ1(0), between 2/λ1(0) and 2/λ2(0), and above 2/λ2(0);
 * loss and λ1, λ2 recorded at every step for both models from the same initial weights.
 * Loss convention: L = ½Σ(f−y)², so thresholds are 2/λ_i; the summary also converts them to the
 * other normalisations (docs/conventions.md#loss-normalisations-and-critical-rates) to compare with the paper's 0.37 and 0.39.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { Trainer } from '../lib/train';
import { criticalLearningRate, criticalLearningRateFor } from '../lib/criticalLearningRate';
import { topEigen } from '../lib/eigen';
import { sampleTwoGaussians } from '../lib/tasks';
import { createShallowNet } from '../lib/models/shallow';
import { createNqm } from '../lib/models/nqm';
import type { ScalarModel } from '../lib/models/model';
import { classifyRegime } from '../lib/regime';
import { SEED_STREAM } from '../lib/prng';
import { baseSeed, positiveInt, positiveReal, seeds, width } from './schema';
import { defineExperiment, type GridPoint, type RunResult } from './types';
import { defineOutputs } from './outputs';

const REGIMES = ['below', 'between', 'above'] as const;
type EtaRegime = (typeof REGIMES)[number];

const configSchema = z
  .object({
    n: positiveInt('n (training points)'),
    m: width(),
    steps: positiveInt('steps (GD steps per run)'),
    belowFactor: positiveReal('belowFactor (η = belowFactor × 2/λ1(0))').max(
      1,
      'belowFactor must be ≤ 1 so η stays below 2/λ1(0)',
    ),
    aboveFactor: positiveReal('aboveFactor (η = aboveFactor × 2/λ2(0))').min(
      1,
      'aboveFactor must be ≥ 1 so η is above 2/λ2(0)',
    ),
    seeds: seeds(),
    baseSeed: baseSeed(),
  })
  .strict();
export type NqmVsNetworkConfig = z.infer<typeof configSchema>;

const outputs = defineOutputs({
  name: 'run',
  summarySchema: z
    .object({
      model: z.enum(['network', 'nqm']),
      etaRegime: z.enum(REGIMES),
      eta: z.number(),
      lambda1At0: z.number(),
      lambda2At0: z.number(),
      threshold1: z.number(),
      threshold2: z.number(),
      threshold1MeanSquared: z.number(),
      threshold2MeanSquared: z.number(),
      threshold1HalfMean: z.number(),
      threshold2HalfMean: z.number(),
      lambda1End: z.number().nullable(),
      lambda2End: z.number().nullable(),
      lambda1Ratio: z.number(),
      lambda2Ratio: z.number(),
      observedRegime: z.enum(['linear', 'catapult', 'diverged']),
      peakLossRatio: z.number(),
      finalLoss: z.number().nullable(),
      divergedAt: z.number().int().nullable(),
    })
    .strict(),
  seriesNames: ['step', 'loss', 'lambda1', 'lambda2'],
});

type Run = {
  n: number;
  m: number;
  steps: number;
  model: 'network' | 'nqm';
  regime: EtaRegime;
  belowFactor: number;
  aboveFactor: number;
};

/** η for a regime from the initial top-2 kernel eigenvalues (λ1 ≥ λ2). */
function nqmEta(regime: EtaRegime, l1: number, l2: number, belowFactor: number, aboveFactor: number): number {
  const t1 = criticalLearningRate(l1);
  const t2 = criticalLearningRate(l2);
  if (regime === 'below') return belowFactor * t1;
  if (regime === 'between') return (t1 + t2) / 2;
  return aboveFactor * t2;
}

export const nqmVsNetwork = defineExperiment<NqmVsNetworkConfig, Run, typeof outputs>({
  id: 'nqm-vs-network',
  title: 'Quadratic model vs network on two Gaussians',
  description:
    'GD on a shallow ReLU net and on its quadratic model (NQM), 1-d two-Gaussian data, η below 2/λ1(0), between 2/λ1(0) and 2/λ2(0), and above 2/λ2(0): loss, λ1 and λ2 per step.',
  version: 1,
  usesTfjs: true,
  seriesAxes: { loss: 'step', lambda1: 'step', lambda2: 'step' },
  schema: configSchema,
  outputs,
  profiles: {
    paper: { n: 128, m: 5000, steps: 300, belowFactor: 0.95, aboveFactor: 1.3, seeds: 1, baseSeed: 0 },
    quick: { n: 32, m: 256, steps: 40, belowFactor: 0.95, aboveFactor: 1.3, seeds: 1, baseSeed: 0 },
  },
  expand(cfg): GridPoint<Run>[] {
    const points: GridPoint<Run>[] = [];
    for (const model of ['network', 'nqm'] as const) {
      for (const regime of REGIMES) {
        points.push({
          key: `${model}-${regime}`,
          config: {
            n: cfg.n,
            m: cfg.m,
            steps: cfg.steps,
            model,
            regime,
            belowFactor: cfg.belowFactor,
            aboveFactor: cfg.aboveFactor,
          },
        });
      }
    }
    return points;
  },
  run(run, ctx): RunResult {
    const data = sampleTwoGaussians(run.n, ctx.prng.fork(SEED_STREAM.data));
    const net = createShallowNet({ d: 1, m: run.m, prng: ctx.prng.fork(SEED_STREAM.weights) });
    const model: ScalarModel = run.model === 'nqm' ? createNqm(net) : net;
    const X = tf.tensor2d(data.X, [data.n, 1]);
    try {
      const top2 = () => topEigen(model.tangentKernel(X), data.n, 2).values;
      const [l1, l2] = top2();
      const eta = nqmEta(run.regime, l1, l2, run.belowFactor, run.aboveFactor);
      const trainer = new Trainer(model, data, {
        schedule: { kind: 'constant', eta },
        maxSteps: run.steps,
        record: { every: 1, what: ['trainLoss'] },
      });
      const lambda1: number[] = [];
      const lambda2: number[] = [];
      let info;
      do {
        // λ1, λ2 at w_t, the same point at which the trainer records the loss of step t.
        const [a, b] = top2();
        info = trainer.step();
        if (info.recorded) {
          lambda1.push(a);
          lambda2.push(b);
        }
        if (info.step % 10 === 0) ctx.progress(info.step, run.steps);
      } while (!info.done);
      const tr = trainer.getTrace();
      trainer.dispose();
      const loss = tr.series.trainLoss;
      const regime = classifyRegime(loss, tr.divergedAt);
      const len = Math.min(loss.length, lambda1.length);
      return {
        series: {
          step: tr.steps.slice(0, len),
          loss: loss.slice(0, len),
          lambda1: lambda1.slice(0, len),
          lambda2: lambda2.slice(0, len),
        },
        summary: {
          model: run.model,
          etaRegime: run.regime,
          eta,
          lambda1At0: l1,
          lambda2At0: l2,
          threshold1: criticalLearningRate(l1),
          threshold2: criticalLearningRate(l2),
          // The same thresholds under the other loss normalisations (docs/conventions.md#loss-normalisations-and-critical-rates).
          threshold1MeanSquared: criticalLearningRateFor('mean-squared', l1, data.n),
          threshold2MeanSquared: criticalLearningRateFor('mean-squared', l2, data.n),
          threshold1HalfMean: criticalLearningRateFor('half-mean-squared', l1, data.n),
          threshold2HalfMean: criticalLearningRateFor('half-mean-squared', l2, data.n),
          lambda1End: lambda1[len - 1] ?? null,
          lambda2End: lambda2[len - 1] ?? null,
          lambda1Ratio: lambda1[len - 1] / l1,
          lambda2Ratio: lambda2[len - 1] / l2,
          observedRegime: regime,
          peakLossRatio: Math.max(...loss.filter(Number.isFinite)) / loss[0],
          finalLoss: regime === 'diverged' ? null : loss[len - 1],
          divergedAt: tr.divergedAt,
        },
      };
    } finally {
      X.dispose();
      if (model !== net) model.dispose();
      net.dispose();
    }
  },
});

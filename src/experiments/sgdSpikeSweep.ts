/**
 * sgd-spike-sweep (chapter 2): how large do SGD's spikes get before SGD diverges? Mean-loss SGD on
 * the rank-2 task with the shallow ReLU net (the sgd-spike-anatomy setting), η̄ swept as a multiple
 * of the median batch critical rate at initialisation (2b/λ_max(K(w0; X_B)) over one epoch of
 * batches, mean-loss units as in sgd-spike-anatomy), for a few batch sizes. Per run: the largest
 * completed spike (peak / loss at its start), completed spikes per 100 steps, where it diverged (divergedAt),
 * and the share of steps whose batch was above its own critical rate.
 */
import { z } from 'zod';
import { train } from '../lib/train';
import { detectCatapults } from '../lib/catapults';
import { epochBatchLambdas } from '../lib/batchKernels';
import { halfSumRateForMeanLoss, meanLossCriticalRate, meanLossRateForHalfSum } from '../lib/criticalLearningRate';
import { median } from '../lib/stats';
import { SEED_STREAM } from '../lib/prng';
import { rank2ShallowSetup } from './shallowSetup';
import { baseSeed, batchSize, positiveGrid, positiveInt, seeds, width } from './schema';
import { defineExperiment, type GridPoint, type RunResult } from './types';
import { defineOutputs, RUN_END_SUMMARY, runEndSummary } from './outputs';

const configSchema = z
  .object({
    n: positiveInt('n (training points)'),
    d: positiveInt('d (input dimension)'),
    m: width(),
    batchSizes: z.array(batchSize()).nonempty('batchSizes must list at least one batch size'),
    ratios: positiveGrid('ratios (η̄ in units of the median batch critical rate at initialisation)'),
    steps: positiveInt('steps (SGD steps per run)'),
    seeds: seeds(),
    baseSeed: baseSeed(),
  })
  .strict()
  .superRefine((c, ctx) => {
    for (const b of c.batchSizes)
      if (b >= c.n || c.n % b !== 0)
        ctx.addIssue({
          code: 'custom',
          path: ['batchSizes'],
          message: `batch size ${b} must be below n = ${c.n} and divide it (every batch the same size)`,
        });
  });
export type SgdSpikeSweepConfig = z.infer<typeof configSchema>;

type Run = Omit<SgdSpikeSweepConfig, 'batchSizes' | 'ratios' | 'seeds' | 'baseSeed'> & { b: number; ratio: number };

const outputs = defineOutputs({
  name: 'run',
  summarySchema: z
    .object({
      b: z.number().int(),
      ratio: z.number(),
      lambda0: z.number(),
      /** Full-set mean-loss critical rate 2n/λ_max(K(w0)). */
      etaCrit: z.number(),
      medianBatchCrit: z.number(),
      etaBar: z.number(),
      etaOverFullCrit: z.number(),
      spikes: z.number().int(),
      spikesPer100: z.number(),
      // null without a completed spike
      largestSpikeRatio: z.number().nullable(),
      stepsAboveBatchCritShare: z.number(),
      ...RUN_END_SUMMARY,
    })
    .strict(),
  seriesNames: ['step', 'trainLoss'],
});

export const sgdSpikeSweep = defineExperiment<SgdSpikeSweepConfig, Run, typeof outputs>({
  id: 'sgd-spike-sweep',
  title: 'How large SGD spikes get before divergence: a sweep of η̄ and the batch size',
  description:
    'Mean-loss SGD on rank-2 regression (n = 512, d = 100) with the shallow ReLU net (m = 1024), η̄ from 0.5 to 4 times the median batch critical rate at initialisation, batch sizes 8 and 32: the largest spike, spikes per 100 steps and divergence.',
  version: 1,
  usesTfjs: true,
  seriesAxes: { trainLoss: 'step' },
  schema: configSchema,
  outputs,
  profiles: {
    paper: {
      n: 512,
      d: 100,
      m: 1024,
      batchSizes: [8, 32],
      ratios: [0.5, 0.75, 1, 1.25, 1.5, 2, 3, 4],
      steps: 400,
      seeds: 3,
      baseSeed: 0,
    },
    quick: {
      n: 64,
      d: 10,
      m: 128,
      batchSizes: [8],
      ratios: [0.5, 4],
      steps: 40,
      seeds: 1,
      baseSeed: 0,
    },
  },
  expand(cfg): GridPoint<Run>[] {
    const { batchSizes, ratios, seeds: _s, baseSeed: _b, ...rest } = cfg;
    return batchSizes.flatMap((b) =>
      ratios.map((ratio) => ({ key: `b${b}-r${String(ratio).replace('.', 'p')}`, config: { ...rest, b, ratio } })),
    );
  },
  run(run, ctx): RunResult {
    // Data and weights from the seed's streams, as in sgd-spike-anatomy: every rate of a seed starts alike.
    const setup = rank2ShallowSetup(ctx.prng, run.n, run.d, run.m);
    try {
      const etaCrit = meanLossCriticalRate(setup.lambda0, run.n);
      // Median over one epoch of consecutive batches (a seeded permutation) of each batch's rate 2b/λ_B.
      const perm = ctx.prng.fork(SEED_STREAM.initialBatches).permutation(run.n);
      const rates = epochBatchLambdas(setup.net, setup.X, run.b, perm).map((l) => meanLossCriticalRate(l, run.b));
      const medianBatchCrit = median(rates);
      const etaBar = run.ratio * medianBatchCrit;
      const tr = train(setup.net, setup.data, {
        batchSize: run.b,
        seed: ctx.seed,
        schedule: { kind: 'constant', eta: halfSumRateForMeanLoss(etaBar, run.b) },
        maxSteps: run.steps,
        record: { every: 1, what: ['trainLoss', 'batchEtaCrit'] },
      });
      ctx.progress(1, 1);
      const s = tr.series;
      const batchCrit = s.batchEtaCrit.map((c) => meanLossRateForHalfSum(c, run.b));
      const events = detectCatapults(s.trainLoss).filter((e) => !e.diverged);
      const steps = Math.max(1, tr.stepsTaken);
      return {
        series: { step: tr.steps, trainLoss: s.trainLoss },
        summary: {
          b: run.b,
          ratio: run.ratio,
          lambda0: setup.lambda0,
          etaCrit,
          medianBatchCrit,
          etaBar,
          etaOverFullCrit: etaBar / etaCrit,
          spikes: events.length,
          spikesPer100: (100 * events.length) / steps,
          largestSpikeRatio: events.length ? Math.max(...events.map((e) => e.ratio)) : null,
          stepsAboveBatchCritShare: batchCrit.length
            ? batchCrit.filter((c) => etaBar > c).length / batchCrit.length
            : 0,
          ...runEndSummary(tr),
        },
      };
    } finally {
      setup.dispose();
    }
  },
});

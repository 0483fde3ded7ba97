/**
 * sgd-spike-anatomy (chapter 2, figure 1): SGD on rank-2 regression with the shallow ReLU net at a
 * small and a large learning rate.
 *
 * Normalisation (as in agop-batch-sweep): SGD minimises the batch MEAN loss (1/2b)Σ_{i∈B}(f−y)² at
 * rate η̄, i.e. the ½Σ step at η = η̄/b. Rates are stated in units of the full-set mean-loss
 * critical rate η̄_crit = 2n/λ_max(K(w0; X)); a batch's critical rate in the same units is
 * 2b/λ_max(K(w_t; X_B)). Whether a step is in its batch's catapult regime (η̄ > 2b/λ_B) does not
 * depend on the normalisation, since both sides scale by b.
 *
 * Every step records the full training loss (½Σ), the batch loss (½Σ on the batch), the batch's
 * critical rate, the batch's sample indices (so the rate can be recomputed), and PL_s / PL_s^⊥ of
 * the batch residual in the top-s eigenspace of the batch kernel. Spikes are found by
 * detectCatapults on the full training loss; for each we note whether the batch of its start step
 * (the update that raised the loss) had η̄ above its critical rate.
 */
import { z } from 'zod';
import { train } from '../lib/train';
import { detectCatapults, type CatapultEvent } from '../lib/catapults';
import { halfSumRateForMeanLoss, meanLossCriticalRate, meanLossRateForHalfSum } from '../lib/criticalLearningRate';
import { rank2ShallowSetup } from './shallowSetup';
import { median } from '../lib/stats';
import { baseSeed, batchSize, batchSizeAtMostN, positiveInt, positiveReal, seeds, width } from './schema';
import { defineExperiment, type GridPoint, type RunResult } from './types';
import { defineOutputs, RUN_END_SUMMARY, runEndSummary } from './outputs';

const configSchema = z
  .object({
    n: positiveInt('n (training points)'),
    d: positiveInt('d (input dimension)'),
    m: width(),
    batchSize: batchSize(),
    steps: positiveInt('steps (SGD steps per run)'),
    /** η̄ of the small and the large run in units of the full-set mean-loss critical rate 2n/λ_max(K(w0)). */
    smallRatio: positiveReal('smallRatio (η̄ of the small run in units of the full-set critical rate 2n/λ_max(K))'),
    largeRatio: positiveReal('largeRatio (η̄ of the large run in units of the full-set critical rate 2n/λ_max(K))'),
    plS: positiveInt('plS (s of PL_s on the batch kernel)'),
    seeds: seeds(),
    baseSeed: baseSeed(),
  })
  .strict()
  .superRefine(batchSizeAtMostN('n', 'batchSize'))
  .superRefine((c, ctx) => {
    if (c.n % c.batchSize !== 0)
      ctx.addIssue({
        code: 'custom',
        path: ['batchSize'],
        message: `batchSize = ${c.batchSize} must divide n = ${c.n} so every batch has the same size`,
      });
    if (c.plS > c.batchSize)
      ctx.addIssue({ code: 'custom', path: ['plS'], message: `plS = ${c.plS} must be ≤ batchSize = ${c.batchSize}` });
  });
export type SgdSpikeAnatomyConfig = z.infer<typeof configSchema>;

const outputs = defineOutputs({
  name: 'run',
  summarySchema: z
    .object({
      which: z.enum(['small', 'large']),
      lambda0: z.number(),
      etaCrit: z.number(),
      etaRatio: z.number(),
      eta: z.number(),
      medianBatchCritOverCrit: z.number(),
      minBatchCritOverCrit: z.number(),
      stepsAboveBatchCrit: z.number().int(),
      spikes: z.number().int(),
      spikesStartingAbove: z.number().int(),
      spikesWithRiseAbove: z.number().int(),
      // null when the run has no spike
      largestSpikeStart: z.number().int().nullable(),
      largestSpikePeak: z.number().int().nullable(),
      largestSpikeEnd: z.number().int().nullable(),
      ...RUN_END_SUMMARY,
    })
    .strict(),
  seriesNames: [
    'step',
    'trainLoss',
    'batchLoss',
    'etaBar',
    'batchCrit',
    'pl',
    'plPerp',
    'plTotal',
    'batchIndices',
    'spikeStart',
    'spikePeak',
    'spikeEnd',
    'spikeRatio',
    'spikeStartAbove',
    'spikeRiseAbove',
  ],
});

type Run = Omit<SgdSpikeAnatomyConfig, 'seeds' | 'baseSeed' | 'smallRatio' | 'largeRatio'> & {
  which: 'small' | 'large';
  etaRatio: number;
};

/** Whether spike e starts on a step whose batch has η > η_crit(batch); `anyInRise` looks at every step from start to peak − 1. */
export function spikeStartsAboveBatchCrit(
  e: CatapultEvent,
  eta: ArrayLike<number>,
  batchEtaCrit: ArrayLike<number>,
): { atStart: boolean; anyInRise: boolean } {
  let any = false;
  for (let t = e.start; t < Math.max(e.peak, e.start + 1); t++) if (eta[t] > batchEtaCrit[t]) any = true;
  return { atStart: eta[e.start] > batchEtaCrit[e.start], anyInRise: any };
}

export const sgdSpikeAnatomy = defineExperiment<SgdSpikeAnatomyConfig, Run, typeof outputs>({
  id: 'sgd-spike-anatomy',
  title: 'Anatomy of an SGD spike: per-batch critical learning rates and the projected loss of the batch',
  description:
    'Mean-loss SGD (b = 32) on rank-2 regression (n = 512, d = 100) with the shallow ReLU net (m = 1024) at a small and a large η̄, both below the full-set critical rate: training and batch loss, η̄ against each batch’s critical rate, PL_5 and PL_5^⊥ of the batch.',
  version: 1,
  usesTfjs: true,
  // batchIndices holds steps × batch size indices and is not tied to an axis.
  seriesAxes: {
    trainLoss: 'step',
    batchLoss: 'step',
    etaBar: 'step',
    batchCrit: 'step',
    pl: 'step',
    plPerp: 'step',
    plTotal: 'step',
    spikePeak: 'spikeStart',
    spikeEnd: 'spikeStart',
    spikeRatio: 'spikeStart',
    spikeStartAbove: 'spikeStart',
    spikeRiseAbove: 'spikeStart',
  },
  schema: configSchema,
  outputs,
  profiles: {
    paper: {
      n: 512,
      d: 100,
      m: 1024,
      batchSize: 32,
      steps: 400,
      smallRatio: 0.25,
      largeRatio: 0.85,
      plS: 5,
      seeds: 3,
      baseSeed: 0,
    },
    quick: {
      n: 64,
      d: 10,
      m: 128,
      batchSize: 8,
      steps: 40,
      smallRatio: 0.25,
      largeRatio: 0.9,
      plS: 5,
      seeds: 1,
      baseSeed: 0,
    },
  },
  expand(cfg): GridPoint<Run>[] {
    const { seeds: _s, baseSeed: _b, smallRatio, largeRatio, ...rest } = cfg;
    return [
      { key: 'small', config: { ...rest, which: 'small', etaRatio: smallRatio } },
      { key: 'large', config: { ...rest, which: 'large', etaRatio: largeRatio } },
    ];
  },
  run(run, ctx): RunResult {
    // Data and weights from the seed's data and weights streams: the small and large runs of a seed share both.
    const setup = rank2ShallowSetup(ctx.prng, run.n, run.d, run.m);
    try {
      // Mean-loss units throughout (module doc); the Trainer takes the ½Σ rate η̄/b.
      const etaCrit = meanLossCriticalRate(setup.lambda0, run.n);
      const eta = run.etaRatio * etaCrit;
      let done = 0;
      const tr = train(setup.net, setup.data, {
        batchSize: run.batchSize,
        seed: ctx.seed,
        schedule: { kind: 'constant', eta: halfSumRateForMeanLoss(eta, run.batchSize) },
        maxSteps: run.steps,
        record: {
          every: 1,
          what: ['trainLoss', 'batchLoss', 'batchEtaCrit', 'projectedLoss', 'batchIndices'],
          projectedLoss: { s: run.plS, on: 'batch' },
        },
      });
      ctx.progress(++done, 1);
      const s = tr.series;
      // Per-step rates in mean-loss units: η̄ = b·η and 2b/λ_B = b·(2/λ_B) (every batch has size b; n is checked to be a multiple).
      const etaBar = s.eta.map((e) => meanLossRateForHalfSum(e, run.batchSize));
      const batchCrit = s.batchEtaCrit.map((c) => meanLossRateForHalfSum(c, run.batchSize));
      const events = detectCatapults(s.trainLoss).filter((e) => !e.diverged);
      const checks = events.map((e) => spikeStartsAboveBatchCrit(e, etaBar, batchCrit));
      const largest = events.reduce<CatapultEvent | null>(
        (best, e) => (best === null || e.ratio > best.ratio ? e : best),
        null,
      );
      const stepsAbove = batchCrit.filter((c, i) => etaBar[i] > c).length;
      const idx = tr.batchIndices ?? [];
      return {
        series: {
          step: tr.steps,
          trainLoss: s.trainLoss,
          batchLoss: s.batchLoss,
          etaBar,
          batchCrit,
          pl: s.pl,
          plPerp: s.plPerp,
          plTotal: s.plTotal,
          batchIndices: idx.flat(),
          spikeStart: events.map((e) => tr.steps[e.start]),
          spikePeak: events.map((e) => tr.steps[e.peak]),
          spikeEnd: events.map((e) => tr.steps[e.end!]),
          spikeRatio: events.map((e) => e.ratio),
          spikeStartAbove: checks.map((c) => (c.atStart ? 1 : 0)),
          spikeRiseAbove: checks.map((c) => (c.anyInRise ? 1 : 0)),
        },
        summary: {
          which: run.which,
          lambda0: setup.lambda0,
          etaCrit,
          etaRatio: run.etaRatio,
          eta,
          medianBatchCritOverCrit: median(batchCrit) / etaCrit,
          minBatchCritOverCrit: Math.min(...batchCrit) / etaCrit,
          stepsAboveBatchCrit: stepsAbove,
          spikes: events.length,
          spikesStartingAbove: checks.filter((c) => c.atStart).length,
          spikesWithRiseAbove: checks.filter((c) => c.anyInRise).length,
          largestSpikeStart: largest ? tr.steps[largest.start] : null,
          largestSpikePeak: largest ? tr.steps[largest.peak] : null,
          largestSpikeEnd: largest ? tr.steps[largest.end!] : null,
          ...runEndSummary(tr),
        },
      };
    } finally {
      setup.dispose();
    }
  },
});

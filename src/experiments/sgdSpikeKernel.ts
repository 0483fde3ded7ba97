/**
 * sgd-spike-kernel (chapter 2): does the kernel flatten after a large SGD spike? sgd-spike-sweep's
 * set-up at the rates where its spikes are largest, with the kernel measured through each run: the
 * full-set λ_max(K(w_t)) at every step, and every `batchEvery` steps the median over one fixed epoch of
 * batches of the batch critical rate 2b/λ_max(K(w_t; X_B)) (mean-loss units). Per completed spike:
 * λ_max and the median batch rate at its start and after its end, so "flatter after the spike" is read
 * off the trace rather than assumed.
 */
import { z } from 'zod';
import { Trainer } from '../lib/train';
import { detectCatapults } from '../lib/catapults';
import { epochBatchLambdas } from '../lib/batchKernels';
import { halfSumRateForMeanLoss, meanLossCriticalRate } from '../lib/criticalLearningRate';
import { median } from '../lib/stats';
import { SEED_STREAM } from '../lib/prng';
import { rank2ShallowSetup } from './shallowSetup';
import { baseSeed, batchSize, positiveInt, positiveReal, seeds, width } from './schema';
import { defineExperiment, type GridPoint, type RunResult } from './types';
import { defineOutputs } from './outputs';

const configSchema = z
  .object({
    n: positiveInt('n (training points)'),
    d: positiveInt('d (input dimension)'),
    m: width(),
    runs: z
      .array(
        z
          .object({
            b: batchSize(),
            ratio: positiveReal('runs[].ratio (η̄ in units of the median batch critical rate at initialisation)'),
          })
          .strict(),
      )
      .nonempty('runs must list at least one (b, ratio)'),
    steps: positiveInt('steps (SGD steps per run)'),
    batchEvery: positiveInt('batchEvery (steps between medians of the batch critical rates)'),
    minSpikeRatio: positiveReal('minSpikeRatio (peak / start of the spikes tabulated)').min(
      1.001,
      'minSpikeRatio must be > 1',
    ),
    seeds: seeds(),
    baseSeed: baseSeed(),
  })
  .strict()
  .superRefine((c, ctx) => {
    c.runs.forEach((r, i) => {
      if (r.b >= c.n || c.n % r.b !== 0)
        ctx.addIssue({
          code: 'custom',
          path: ['runs', i, 'b'],
          message: `batch size ${r.b} must be below n = ${c.n} and divide it (every batch the same size)`,
        });
    });
  });
export type SgdSpikeKernelConfig = z.infer<typeof configSchema>;

type Run = Omit<SgdSpikeKernelConfig, 'runs' | 'seeds' | 'baseSeed'> & { b: number; ratio: number };

const outputs = defineOutputs({
  name: 'run',
  summarySchema: z
    .object({
      b: z.number().int(),
      ratio: z.number(),
      lambda0: z.number(),
      etaBar: z.number(),
      /** Full-set mean-loss critical rate 2n/λ_max(K(w0)). */
      etaCrit: z.number(),
      medianBatchCrit0: z.number(),
      divergedAt: z.number().int().nullable(),
      /** Completed spikes with peak / start ≥ minSpikeRatio, and how many of them end with a lower λ_max / a higher median batch rate. */
      largeSpikes: z.number().int(),
      lambdaLowerAfter: z.number().int(),
      batchCritHigherAfter: z.number().int(),
    })
    .strict(),
  seriesNames: [
    'step',
    'trainLoss',
    'lambdaMax',
    'batchStep',
    'medianBatchCrit',
    'spikeStart',
    'spikeEnd',
    'spikeRatio',
    'lambdaAtStart',
    'lambdaAfterEnd',
    'batchCritAtStart',
    'batchCritAfterEnd',
  ],
});

/** Index of the last entry ≤ step in increasing `steps` (−1 if none). */
const atOrBefore = (steps: number[], step: number) => {
  let k = -1;
  for (let i = 0; i < steps.length && steps[i] <= step; i++) k = i;
  return k;
};

export const sgdSpikeKernel = defineExperiment<SgdSpikeKernelConfig, Run, typeof outputs>({
  id: 'sgd-spike-kernel',
  title: 'The kernel across large SGD spikes: full-set λ_max and the batch critical rates',
  description:
    'sgd-spike-sweep’s set-up (rank-2, n = 512, d = 100, m = 1024) at the rates of its largest spikes (b = 32 at 1.25 and b = 8 at 1.5 times the median batch critical rate): λ_max(K) at every step and the median batch critical rate every 5 steps, before and after each spike of 10× or more.',
  version: 1,
  usesTfjs: true,
  seriesAxes: {
    trainLoss: 'step',
    lambdaMax: 'step',
    medianBatchCrit: 'batchStep',
    spikeEnd: 'spikeStart',
    spikeRatio: 'spikeStart',
    lambdaAtStart: 'spikeStart',
    lambdaAfterEnd: 'spikeStart',
    batchCritAtStart: 'spikeStart',
    batchCritAfterEnd: 'spikeStart',
  },
  schema: configSchema,
  outputs,
  profiles: {
    paper: {
      n: 512,
      d: 100,
      m: 1024,
      runs: [
        { b: 32, ratio: 1.25 },
        { b: 8, ratio: 1.5 },
      ],
      steps: 400,
      batchEvery: 5,
      minSpikeRatio: 10,
      seeds: 3,
      baseSeed: 0,
    },
    quick: {
      n: 64,
      d: 10,
      m: 128,
      runs: [{ b: 8, ratio: 2 }],
      steps: 40,
      batchEvery: 5,
      minSpikeRatio: 1.5,
      seeds: 1,
      baseSeed: 0,
    },
  },
  expand(cfg): GridPoint<Run>[] {
    const { runs, seeds: _s, baseSeed: _b, ...rest } = cfg;
    return runs.map((r) => ({ key: `b${r.b}-r${String(r.ratio).replace('.', 'p')}`, config: { ...rest, ...r } }));
  },
  run(run, ctx): RunResult {
    // The same data, weights and initial batches as sgd-spike-sweep's run of this seed, b and ratio.
    const setup = rank2ShallowSetup(ctx.prng, run.n, run.d, run.m);
    try {
      const etaCrit = meanLossCriticalRate(setup.lambda0, run.n);
      const perm = ctx.prng.fork(SEED_STREAM.initialBatches).permutation(run.n);
      const medianCrit = () =>
        median(epochBatchLambdas(setup.net, setup.X, run.b, perm).map((l) => meanLossCriticalRate(l, run.b)));
      const medianBatchCrit0 = medianCrit();
      const etaBar = run.ratio * medianBatchCrit0;
      const trainer = new Trainer(setup.net, setup.data, {
        batchSize: run.b,
        seed: ctx.seed,
        schedule: { kind: 'constant', eta: halfSumRateForMeanLoss(etaBar, run.b) },
        maxSteps: run.steps,
        record: { every: 1, what: ['trainLoss', 'lambdaMax'] },
      });
      const batchStep: number[] = [];
      const batchCrit: number[] = [];
      let info;
      do {
        const t = trainer.state.step;
        if (t % run.batchEvery === 0) {
          batchStep.push(t);
          batchCrit.push(medianCrit());
        }
        info = trainer.step();
        if (t % 20 === 0) ctx.progress(t, run.steps);
      } while (!info.done);
      const tr = trainer.getTrace();
      trainer.dispose();
      const s = tr.series;
      const lam = s.lambdaMax;
      const spikes = detectCatapults(s.trainLoss).filter(
        (e) => !e.diverged && e.end !== null && e.ratio >= run.minSpikeRatio,
      );
      const ends = spikes.map((e) => e.end ?? e.peak);
      // the first batch median at or after a spike's end, the last at or before its start
      const afterIdx = (step: number) => batchStep.findIndex((b) => b >= step);
      const series = {
        step: tr.steps,
        trainLoss: s.trainLoss,
        lambdaMax: lam,
        batchStep,
        medianBatchCrit: batchCrit,
        spikeStart: spikes.map((e) => tr.steps[e.start]),
        spikeEnd: ends.map((i) => tr.steps[i]),
        spikeRatio: spikes.map((e) => e.ratio),
        lambdaAtStart: spikes.map((e) => lam[e.start]),
        lambdaAfterEnd: ends.map((i) => lam[i]),
        batchCritAtStart: spikes.map((e) => batchCrit[Math.max(0, atOrBefore(batchStep, tr.steps[e.start]))]),
        batchCritAfterEnd: ends.map((i) => {
          const k = afterIdx(tr.steps[i]);
          return batchCrit[k >= 0 ? k : batchCrit.length - 1];
        }),
      };
      return {
        series,
        summary: {
          b: run.b,
          ratio: run.ratio,
          lambda0: setup.lambda0,
          etaBar,
          etaCrit,
          medianBatchCrit0,
          divergedAt: tr.divergedAt,
          largeSpikes: spikes.length,
          lambdaLowerAfter: spikes.filter((_, i) => series.lambdaAfterEnd[i] < series.lambdaAtStart[i]).length,
          batchCritHigherAfter: spikes.filter((_, i) => series.batchCritAfterEnd[i] > series.batchCritAtStart[i])
            .length,
        },
      };
    } finally {
      setup.dispose();
    }
  },
});

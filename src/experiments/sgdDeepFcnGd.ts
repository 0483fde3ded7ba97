/**
 * deep-fcn-gd (chapter 2, figure 2): a catapult in a deep net under full-batch GD lives in the top
 * eigenspace of the tangent kernel. The 5-layer FCN (NTK parameterisation) on 130 MNIST digits
 * (14×14, parity labels; the paper uses 128 CIFAR-10 points) at a constant η above η_crit.
 * At the measured steps: the training loss, λ_max(K(w_t)), and PL_s / PL_s^⊥ of the residual in the
 * top-s eigenspace of K(w_t) on the training set (projectedLoss.ts; PL_s + PL_s^⊥ = MSE).
 * Measured at every step for the first `denseSteps` steps (the catapult), then every `every` steps.
 */
import { z } from 'zod';
import { Trainer, runWithMeasurements } from '../lib/train';
import { topKernelEigen } from '../lib/tangentKernel';
import { projectedLoss } from '../lib/projectedLoss';
import { detectCatapults } from '../lib/catapults';
import { criticalLearningRate } from '../lib/criticalLearningRate';
import { baseSeed, positiveInt, positiveReal, seeds } from './schema';
import { defineExperiment, type GridPoint, type RunResult } from './types';
import { defineOutputs, RUN_END_SUMMARY, runEndSummary } from './outputs';
import { ARCH_SIZES, chapter2Setup } from './sgdMnist';

const configSchema = z
  .object({
    perClass: positiveInt('perClass (training images per digit; n = 10·perClass)'),
    steps: positiveInt('steps (GD steps)'),
    etaRatios: z
      .array(positiveReal('etaRatios (η/η_crit at initialisation)'))
      .nonempty('etaRatios must list at least one η/η_crit'),
    plS: positiveInt('plS (s of PL_s)'),
    denseSteps: positiveInt('denseSteps (steps measured one by one at the start)'),
    every: positiveInt('every (measurement interval after denseSteps)'),
    seeds: seeds(),
    baseSeed: baseSeed(),
  })
  .strict();
export type DeepFcnGdConfig = z.infer<typeof configSchema>;

const outputs = defineOutputs({
  name: 'run',
  summarySchema: z
    .object({
      arch: z.literal('fcn'),
      archSize: z.string(),
      n: z.number().int(),
      lambda0: z.number(),
      etaCrit: z.number(),
      etaRatio: z.number(),
      spikes: z.number().int(),
      // null when the run has no spike
      peakStep: z.number().int().nullable(),
      peakRatio: z.number().nullable(),
      plShareAtPeak: z.number().nullable(),
      lambdaEnd: z.number(),
      lambdaEndTimesEtaOver2: z.number(),
      ...RUN_END_SUMMARY,
    })
    .strict(),
  seriesNames: ['step', 'trainLoss', 'measureStep', 'lambdaMax', 'pl', 'plPerp', 'mse'],
});

type Run = Omit<DeepFcnGdConfig, 'seeds' | 'baseSeed' | 'etaRatios'> & { etaRatio: number };

export const deepFcnGd = defineExperiment<DeepFcnGdConfig, Run, typeof outputs>({
  id: 'deep-fcn-gd',
  title: 'A catapult of a 5-layer FCN under GD, split into PL_5 and PL_5^⊥',
  description:
    'Full-batch GD with the 5-layer FCN on 130 MNIST digits (14×14) at η above η_crit: loss, λ_max, and the residual in and outside the top-5 kernel eigenspace.',
  version: 1,
  usesTfjs: true,
  seriesAxes: {
    trainLoss: 'step',
    lambdaMax: 'measureStep',
    pl: 'measureStep',
    plPerp: 'measureStep',
    mse: 'measureStep',
  },
  schema: configSchema,
  outputs,
  profiles: {
    paper: { perClass: 13, steps: 150, etaRatios: [0.5, 1.8], plS: 5, denseSteps: 50, every: 5, seeds: 1, baseSeed: 0 },
    quick: { perClass: 3, steps: 12, etaRatios: [1.8], plS: 5, denseSteps: 6, every: 3, seeds: 1, baseSeed: 0 },
  },
  expand(cfg): GridPoint<Run>[] {
    const { seeds: _s, baseSeed: _b, etaRatios, ...rest } = cfg;
    return etaRatios.map((r) => ({ key: `eta${String(r).replace('.', 'p')}`, config: { ...rest, etaRatio: r } }));
  },
  run(run, ctx): RunResult {
    const setup = chapter2Setup(ctx.prng, run.perClass, 'fcn');
    const { data, net, X } = setup;
    try {
      const eig0 = topKernelEigen(net, X, 1);
      const etaCrit = criticalLearningRate(eig0.values[0]);
      const trainer = new Trainer(net, data, {
        schedule: { kind: 'constant', eta: run.etaRatio * etaCrit },
        maxSteps: run.steps,
        record: { every: 1, what: ['trainLoss'] },
      });
      const mStep: number[] = [];
      const lam: number[] = [];
      const pl: number[] = [];
      const plPerp: number[] = [];
      const mse: number[] = [];
      const measure = (t: number) => {
        const f = net.predict(X);
        const fv = f.dataSync();
        f.dispose();
        const r = Float64Array.from(fv, (v, i) => v - data.y[i]);
        // The full spectrum (dense at this n), so PL_s^⊥ is summed over the other eigenvectors, not taken as MSE − PL_s.
        const eig = topKernelEigen(net, X, data.n);
        const p = projectedLoss(eig, r, run.plS);
        mStep.push(t);
        lam.push(eig.values[0]);
        pl.push(p.pl);
        plPerp.push(p.plPerp);
        mse.push(p.total);
      };
      const tr = runWithMeasurements(
        trainer,
        (t) => t < run.denseSteps || t % run.every === 0,
        measure,
        (t) => ctx.progress(t, run.steps),
      );
      trainer.dispose();
      if (tr.divergedAt === null) measure(tr.stepsTaken);
      const events = detectCatapults(tr.series.trainLoss).filter((e) => !e.diverged);
      const big = events.reduce<(typeof events)[number] | null>(
        (b, e) => (b === null || e.ratio > b.ratio ? e : b),
        null,
      );
      // Share of the MSE in PL_s at the spike's peak (nearest measured step at or after it).
      const peakIdx = big ? mStep.findIndex((s) => s >= tr.steps[big.peak]) : -1;
      ctx.progress(run.steps, run.steps);
      return {
        series: { step: tr.steps, trainLoss: tr.series.trainLoss, measureStep: mStep, lambdaMax: lam, pl, plPerp, mse },
        summary: {
          arch: 'fcn',
          archSize: ARCH_SIZES.fcn,
          n: data.n,
          lambda0: eig0.values[0],
          etaCrit,
          etaRatio: run.etaRatio,
          spikes: events.length,
          peakStep: big ? tr.steps[big.peak] : null,
          peakRatio: big ? big.ratio : null,
          plShareAtPeak: peakIdx >= 0 ? pl[peakIdx] / mse[peakIdx] : null,
          lambdaEnd: lam[lam.length - 1],
          lambdaEndTimesEtaOver2: (lam[lam.length - 1] * run.etaRatio * etaCrit) / 2,
          ...runEndSummary(tr),
        },
      };
    } finally {
      setup.dispose();
    }
  },
});

/**
 * shallow-gd-regimes: GD on the shallow ReLU net (NTK parameterisation) on rank-2 data, for
 * η/η_crit on a grid from 0.5 to past divergence, several widths and seeds. Each run is classified
 * linear / catapult / diverged (src/lib/regime.ts) and summarised by peak loss / initial loss and
 * final λ_max / λ0 (the phase diagram). Trajectory runs additionally record λ_max(K) and the
 * projected losses PL_5, PL_5^⊥ at every step (where the catapult lives).
 * Loss convention: L = ½Σ(f−y)², η_crit = 2/λ_max(K(w0)) on the training set.
 */
import { z } from 'zod';
import { Trainer } from '../lib/train';
import { lambdaMax } from '../lib/tangentKernel';
import { criticalLearningRate } from '../lib/criticalLearningRate';
import { classifyRegime } from '../lib/regime';
import { countCatapults, detectCatapults } from '../lib/catapults';
import { baseSeed, positiveGrid, positiveInt, positiveReal, seeds } from './schema';
import { defineExperiment, type GridPoint, type RunResult } from './types';
import { defineOutputs } from './outputs';
import { rank2ShallowSetup } from './shallowSetup';

const configSchema = z
  .object({
    n: positiveInt('n (training points)'),
    d: positiveInt('d (input dimension)'),
    widths: z.array(positiveInt('width (number of hidden neurons)')).nonempty('widths must list at least one width'),
    etaRatios: positiveGrid('etaRatios (η in units of η_crit)'),
    steps: positiveInt('steps (GD steps per run)'),
    trajectory: z
      .object({
        width: positiveInt('trajectory.width'),
        etaRatios: positiveGrid('trajectory.etaRatios (η/η_crit of the recorded trajectories)'),
        steps: positiveInt('trajectory.steps'),
        s: positiveInt('trajectory.s (top eigen-directions in PL_s)'),
      })
      .strict(),
    divergeFactor: positiveReal('divergeFactor (divergence when loss > divergeFactor × initial loss)'),
    seeds: seeds(),
    baseSeed: baseSeed(),
  })
  .strict();
export type ShallowGdRegimesConfig = z.infer<typeof configSchema>;

const summarySchema = z
  .object({
    m: z.number().int(),
    etaRatio: z.number(),
    lambda0: z.number(),
    etaCrit: z.number(),
    eta: z.number(),
    regime: z.enum(['linear', 'catapult', 'diverged']),
    catapults: z.number().int(),
    initialLoss: z.number(),
    peakLoss: z.number(),
    peakLossRatio: z.number(),
    peakStep: z.number().int(),
    // null when the run diverged
    finalLoss: z.number().nullable(),
    lambdaEnd: z.number().nullable(),
    finalLambdaRatio: z.number().nullable(),
    finalEtaLambda: z.number().nullable(),
    divergedAt: z.number().int().nullable(),
  })
  .strict();
/** A phase-diagram grid run: loss per step only. */
export const SHALLOW_GD_GRID_OUTPUTS = defineOutputs({ name: 'grid', summarySchema, seriesNames: ['step', 'loss'] });
/** A trajectory run: also λ_max(K) and PL_s, PL_s^⊥ per step. */
export const SHALLOW_GD_TRAJECTORY_OUTPUTS = defineOutputs({
  name: 'trajectory',
  summarySchema,
  seriesNames: ['step', 'loss', 'lambdaMax', 'pl', 'plPerp', 'plTotal'],
});
const outputs = [SHALLOW_GD_GRID_OUTPUTS, SHALLOW_GD_TRAJECTORY_OUTPUTS] as const;

type Run = {
  kind: 'grid' | 'trajectory';
  n: number;
  d: number;
  m: number;
  etaRatio: number;
  steps: number;
  s: number;
  divergeFactor: number;
};

const fmt = (x: number) => String(x).replace('.', 'p');

export const shallowGdRegimes = defineExperiment<ShallowGdRegimesConfig, Run, typeof outputs>({
  id: 'shallow-gd-regimes',
  title: 'GD regimes of a shallow ReLU net: linear, catapult, divergent',
  description:
    'Full-batch GD on rank-2 data (x1·x2) with a 2-layer ReLU net in NTK parameterisation, η/η_crit from 0.5 to past divergence, three widths, several seeds; plus per-step λ_max and PL_5 trajectories.',
  version: 1,
  usesTfjs: true,
  seriesAxes: (run) =>
    run.kind === 'trajectory'
      ? { loss: 'step', lambdaMax: 'step', pl: 'step', plPerp: 'step', plTotal: 'step' }
      : { loss: 'step' },
  schema: configSchema,
  outputs,
  profiles: {
    paper: {
      n: 128,
      d: 100,
      widths: [256, 1024, 4096],
      etaRatios: [0.5, 0.8, 0.95, 1.05, 1.2, 1.4, 1.6, 1.8, 1.9, 2.0, 2.1, 2.3, 2.6, 3.0],
      steps: 400,
      trajectory: { width: 1024, etaRatios: [0.5, 1.5, 1.9, 2.5], steps: 200, s: 5 },
      divergeFactor: 1e6,
      seeds: 5,
      baseSeed: 0,
    },
    quick: {
      n: 32,
      d: 10,
      widths: [128],
      etaRatios: [0.5, 1.5, 3],
      steps: 60,
      trajectory: { width: 128, etaRatios: [1.5], steps: 40, s: 5 },
      divergeFactor: 1e6,
      seeds: 1,
      baseSeed: 0,
    },
  },
  expand(cfg): GridPoint<Run>[] {
    const base = { n: cfg.n, d: cfg.d, s: cfg.trajectory.s, divergeFactor: cfg.divergeFactor };
    const points: GridPoint<Run>[] = [];
    for (const m of cfg.widths) {
      for (const r of cfg.etaRatios) {
        points.push({
          key: `grid-m${m}-eta${fmt(r)}`,
          config: { ...base, kind: 'grid', m, etaRatio: r, steps: cfg.steps },
        });
      }
    }
    for (const r of cfg.trajectory.etaRatios) {
      points.push({
        key: `traj-m${cfg.trajectory.width}-eta${fmt(r)}`,
        config: { ...base, kind: 'trajectory', m: cfg.trajectory.width, etaRatio: r, steps: cfg.trajectory.steps },
      });
    }
    return points;
  },
  run(run, ctx): RunResult {
    const setup = rank2ShallowSetup(ctx.prng, run.n, run.d, run.m);
    try {
      const etaCrit = criticalLearningRate(setup.lambda0);
      const eta = run.etaRatio * etaCrit;
      const what =
        run.kind === 'trajectory' ? (['trainLoss', 'lambdaMax', 'projectedLoss'] as const) : (['trainLoss'] as const);
      const trainer = new Trainer(setup.net, setup.data, {
        schedule: { kind: 'constant', eta },
        maxSteps: run.steps,
        divergeFactor: run.divergeFactor,
        record: { every: 1, what: [...what], projectedLoss: { s: run.s, on: 'full' } },
      });
      let info;
      do {
        info = trainer.step();
        if (info.step % 10 === 0) ctx.progress(info.step, run.steps);
      } while (!info.done);
      const tr = trainer.getTrace();
      trainer.dispose();
      const loss = tr.series.trainLoss;
      const finite = loss.filter(Number.isFinite);
      const regime = classifyRegime(loss, tr.divergedAt);
      const events = detectCatapults(loss);
      const lambdaEnd = regime === 'diverged' ? null : lambdaMax(setup.net, setup.X);
      const peak = Math.max(...finite);
      ctx.progress(run.steps, run.steps);
      const series: Record<string, number[]> = { step: tr.steps, loss };
      if (run.kind === 'trajectory') {
        series.lambdaMax = tr.series.lambdaMax;
        series.pl = tr.series.pl;
        series.plPerp = tr.series.plPerp;
        series.plTotal = tr.series.plTotal;
      }
      return {
        series,
        summary: {
          m: run.m,
          etaRatio: run.etaRatio,
          lambda0: setup.lambda0,
          etaCrit,
          eta,
          regime,
          catapults: countCatapults(events),
          initialLoss: loss[0],
          peakLoss: peak,
          peakLossRatio: peak / loss[0],
          peakStep: loss.indexOf(peak),
          finalLoss: regime === 'diverged' ? null : finite[finite.length - 1],
          lambdaEnd,
          finalLambdaRatio: lambdaEnd === null ? null : lambdaEnd / setup.lambda0,
          finalEtaLambda: lambdaEnd === null ? null : eta * lambdaEnd,
          divergedAt: tr.divergedAt,
        },
      };
    } finally {
      setup.dispose();
    }
  },
});

/**
 * shallow-eta-max: the largest learning rate at which GD on the shallow ReLU net still converges,
 * η_max, in units of η_crit = 2/λ_max(K(w0)) (L = ½Σ(f−y)²), found per width and seed by bisection
 * on η/η_crit. A probe "diverges" when the training loss becomes non-finite or exceeds
 * divergeFactor × its initial value within `steps` GD steps. Theory for the uv and quadratic models
 * says η_max/η_crit = 2; Lewkowycz et al. report ≈ 6 (η_max ≈ 12/λ0) for deeper ReLU nets.
 */
import { z } from 'zod';
import { criticalLearningRate } from '../lib/criticalLearningRate';
import { Prng } from '../lib/prng';
import { baseSeed, positiveInt, seeds } from './schema';
import { defineExperiment, type GridPoint, type RunResult } from './types';
import { defineOutputs } from './outputs';
import { rank2ShallowSetup } from './shallowSetup';
import {
  BISECTION_FIELDS,
  BISECTION_SERIES,
  BISECTION_SUMMARY,
  bisectEtaMax,
  bisectionRecord,
  bracketIsOrdered,
  gdProbe,
  type EtaProbe,
} from './etaMaxBisection';

const configSchema = z
  .object({
    n: positiveInt('n (training points)'),
    d: positiveInt('d (input dimension)'),
    widths: z.array(positiveInt('width (number of hidden neurons)')).nonempty('widths must list at least one width'),
    ...BISECTION_FIELDS,
    seeds: seeds(),
    baseSeed: baseSeed(),
  })
  .strict()
  .refine(...bracketIsOrdered());
export type ShallowEtaMaxConfig = z.infer<typeof configSchema>;

const outputs = defineOutputs({
  name: 'bisection',
  summarySchema: z
    .object({
      m: z.number().int(),
      lambda0: z.number(),
      etaCrit: z.number(),
      ...BISECTION_SUMMARY,
    })
    .strict(),
  seriesNames: BISECTION_SERIES,
});

type Run = Omit<ShallowEtaMaxConfig, 'widths' | 'seeds' | 'baseSeed'> & { m: number };

export const shallowEtaMax = defineExperiment<ShallowEtaMaxConfig, Run, typeof outputs>({
  id: 'shallow-eta-max',
  title: 'η_max/η_crit of a shallow ReLU net, by bisection',
  description:
    'Per width and seed, bisection on η/η_crit for the edge between catapult and divergence of full-batch GD on rank-2 data (n = 128, d = 100).',
  version: 1,
  usesTfjs: true,
  seriesAxes: { probeDiverged: 'probeRatio', probeSteps: 'probeRatio' },
  schema: configSchema,
  outputs,
  profiles: {
    paper: {
      n: 128,
      d: 100,
      widths: [256, 1024, 4096],
      lo: 1,
      hi: 4,
      iterations: 8,
      steps: 400,
      divergeFactor: 1e6,
      seeds: 5,
      baseSeed: 0,
    },
    quick: {
      n: 32,
      d: 10,
      widths: [128],
      lo: 1,
      hi: 4,
      iterations: 3,
      steps: 60,
      divergeFactor: 1e6,
      seeds: 1,
      baseSeed: 0,
    },
  },
  expand(cfg): GridPoint<Run>[] {
    const { widths: _w, seeds: _s, baseSeed: _b, ...rest } = cfg;
    return cfg.widths.map((m) => ({ key: `m${m}`, config: { ...rest, m } }));
  },
  run(run, ctx): RunResult {
    const seed = ctx.seed;
    let lambda0 = NaN;
    // Each probe restarts from the same data and initial weights (a fresh Prng with the run's seed),
    // so λ0 is computed once.
    const probe = (ratio: number): EtaProbe => {
      const setup = rank2ShallowSetup(new Prng(seed), run.n, run.d, run.m, Number.isNaN(lambda0) ? undefined : lambda0);
      try {
        lambda0 = setup.lambda0;
        return gdProbe(setup.net, setup.data, ratio, ratio * criticalLearningRate(setup.lambda0), run);
      } finally {
        setup.dispose();
      }
    };
    const bracket = bisectEtaMax(probe, {
      lo: run.lo,
      hi: run.hi,
      iterations: run.iterations,
      what: `shallow-eta-max (m = ${run.m}, seed ${seed})`,
      progress: ctx.progress,
    });
    const { series, summary } = bisectionRecord(bracket);
    return { series, summary: { m: run.m, lambda0, etaCrit: criticalLearningRate(lambda0), ...summary } };
  },
});

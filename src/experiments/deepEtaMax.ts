/**
 * deep-eta-max: η_max/η_crit for the kind of network Lewkowycz et al. measured (they report
 * η_max ≈ 12/λ0, about 6 η_crit): a ReLU FCN with 3 hidden layers in NTK parameterisation, trained
 * by full-batch GD on MNIST (all ten digits, 14×14, ±1 parity targets), bisection on η/η_crit per
 * width and seed with the same probe rule as shallow-eta-max (etaMaxBisection.ts). ½Σ loss,
 * η_crit = 2/λ_max(K(w0)); the ratio η_max/η_crit does not depend on the loss normalisation.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { criticalLearningRate } from '../lib/criticalLearningRate';
import { lambdaMax } from '../lib/tangentKernel';
import { createFcn } from '../lib/models/fcn';
import { mnistDataset } from '../lib/data/mnist';
import { Prng, SEED_STREAM } from '../lib/prng';
import type { Dataset } from '../lib/models/model';
import { baseSeed, positiveInt, seeds } from './schema';
import { defineExperiment, type GridPoint, type RunResult } from './types';
import { defineOutputs } from './outputs';
import { downsampleMnist } from './sgdMnist';
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
    perClass: positiveInt('perClass (training images per digit; n = 10·perClass)'),
    hiddenLayers: positiveInt('hiddenLayers (hidden layers of the FCN)'),
    widths: z.array(positiveInt('width (units per hidden layer)')).nonempty('widths must list at least one width'),
    ...BISECTION_FIELDS,
    seeds: seeds(),
    baseSeed: baseSeed(),
  })
  .strict()
  .refine(...bracketIsOrdered());
export type DeepEtaMaxConfig = z.infer<typeof configSchema>;

const outputs = defineOutputs({
  name: 'bisection',
  summarySchema: z
    .object({
      width: z.number().int(),
      hiddenLayers: z.number().int(),
      n: z.number().int(),
      numParams: z.number().int(),
      lambda0: z.number(),
      etaCrit: z.number(),
      ...BISECTION_SUMMARY,
    })
    .strict(),
  seriesNames: BISECTION_SERIES,
});

type Run = Omit<DeepEtaMaxConfig, 'widths' | 'seeds' | 'baseSeed'> & { width: number };

/** `perClass` images of each digit, 14×14, ±1 parity targets (the chapter-2 data, drawn from this run's stream). */
function mnistParity(prng: Prng, perClass: number): Dataset {
  const full = mnistDataset({ digits: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], perClass, prng, labels: 'pm1' });
  return { n: full.n, d: 196, X: downsampleMnist(full.X, full.n), y: full.y };
}

export const deepEtaMax = defineExperiment<DeepEtaMaxConfig, Run, typeof outputs>({
  id: 'deep-eta-max',
  title: 'η_max/η_crit of a 3-hidden-layer ReLU FCN on MNIST, by bisection',
  description:
    'Per width and seed, bisection on η/η_crit for the edge between catapult and divergence of full-batch GD with a ReLU FCN of 3 hidden layers (NTK parameterisation) on 130 MNIST digits (14×14, parity targets): the setting of Lewkowycz et al.’s η_max ≈ 12/λ0.',
  version: 1,
  usesTfjs: true,
  seriesAxes: { probeDiverged: 'probeRatio', probeSteps: 'probeRatio' },
  schema: configSchema,
  outputs,
  profiles: {
    paper: {
      perClass: 13,
      hiddenLayers: 3,
      widths: [128, 512],
      lo: 1,
      hi: 16,
      iterations: 8,
      steps: 400,
      divergeFactor: 1e6,
      seeds: 3,
      baseSeed: 0,
    },
    quick: {
      perClass: 2,
      hiddenLayers: 3,
      widths: [32],
      lo: 1,
      hi: 32,
      iterations: 2,
      steps: 40,
      divergeFactor: 1e6,
      seeds: 1,
      baseSeed: 0,
    },
  },
  expand(cfg): GridPoint<Run>[] {
    const { widths, seeds: _s, baseSeed: _b, ...rest } = cfg;
    return widths.map((width) => ({ key: `w${width}`, config: { ...rest, width } }));
  },
  run(run, ctx): RunResult {
    // Every probe restarts from the same data and initial weights: both drawn from fresh streams of the run's seed.
    const data = mnistParity(new Prng(ctx.seed).fork(SEED_STREAM.data), run.perClass);
    const X = tf.tensor2d(data.X, [data.n, data.d]);
    const fresh = () =>
      createFcn({
        d: data.d,
        width: run.width,
        depth: run.hiddenLayers + 1,
        prng: new Prng(ctx.seed).fork(SEED_STREAM.weights),
      });
    try {
      const first = fresh();
      const lambda0 = lambdaMax(first, X);
      const numParams = first.numParams;
      first.dispose();
      const etaCrit = criticalLearningRate(lambda0);
      const probe = (ratio: number): EtaProbe => {
        const net = fresh();
        try {
          return gdProbe(net, data, ratio, ratio * etaCrit, run);
        } finally {
          net.dispose();
        }
      };
      const bracket = bisectEtaMax(probe, {
        lo: run.lo,
        hi: run.hi,
        iterations: run.iterations,
        what: `deep-eta-max (width ${run.width}, seed ${ctx.seed})`,
        progress: ctx.progress,
      });
      const { series, summary } = bisectionRecord(bracket);
      return {
        series,
        summary: {
          width: run.width,
          hiddenLayers: run.hiddenLayers,
          n: data.n,
          numParams,
          lambda0,
          etaCrit,
          ...summary,
        },
      };
    } finally {
      X.dispose();
    }
  },
});

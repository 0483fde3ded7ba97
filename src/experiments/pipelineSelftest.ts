/**
 * pipeline-selftest: a cheap deterministic experiment that exercises every path of the pipeline
 * (grid × seeds, shared field validation, progress, model export, deliberate failures) in
 * milliseconds. Mini-batch SGD on a random linear least-squares problem, L = ½Σ(f − y)².
 */
import { z } from 'zod';
import { halfSumSquaredLoss } from '../lib/criticalLearningRate';
import { SEED_STREAM } from '../lib/prng';
import { baseSeed, batchSize, optimizer, positiveInt, positiveReal, seeds, width } from './schema';
import { defineExperiment } from './types';
import { defineOutputs } from './outputs';

const configSchema = z
  .object({
    n: positiveInt('n (training points)'),
    d: positiveInt('d (input dimension)'),
    width: width(),
    batchSizes: z.array(batchSize()).nonempty('batchSizes must list at least one batch size'),
    optimizer: optimizer(),
    lr: positiveReal('lr (learning rate)'),
    steps: positiveInt('steps'),
    /** Run keys (without seed suffix) that throw, to test failure handling. */
    failOn: z.array(z.string()).default([]),
    /** Run keys that produce NaN, to test the unexpected-divergence check. */
    nanOn: z.array(z.string()).default([]),
    /** Run keys whose run crashes its thread with an uncaught error (tests worker replacement). */
    crashOn: z.array(z.string()).default([]),
    seeds: seeds(),
    baseSeed: baseSeed(),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    for (const [i, b] of cfg.batchSizes.entries()) {
      if (b > cfg.n) {
        ctx.addIssue({
          code: 'custom',
          path: ['batchSizes', i],
          message: `batch size ${b} is larger than the number of training points n = ${cfg.n}; use batchSize ≤ ${cfg.n}`,
        });
      }
    }
  });
type Config = z.infer<typeof configSchema>;
type Run = Omit<Config, 'batchSizes' | 'failOn' | 'nanOn' | 'crashOn' | 'seeds' | 'baseSeed'> & {
  batchSize: number;
  fail: boolean;
  nan: boolean;
  crash: boolean;
};

const outputs = defineOutputs({
  name: 'run',
  summarySchema: z
    .object({
      finalLoss: z.number(),
      weightError: z.number(),
      // added by the pipeline next to the exported model
      modelFile: z.string().optional(),
    })
    .strict(),
  seriesNames: ['step', 'loss'],
});

/** The self-test experiment (runs only with --only pipeline-selftest). */
export const pipelineSelftest = defineExperiment<Config, Run, typeof outputs>({
  id: 'pipeline-selftest',
  title: 'Pipeline self-test',
  description: 'Mini-batch SGD on a random linear least-squares problem; exists to test the experiment pipeline.',
  version: 1,
  usesTfjs: false,
  runByDefault: false,
  seriesAxes: { loss: 'step' },
  schema: configSchema,
  outputs,
  profiles: {
    paper: {
      n: 64,
      d: 4,
      width: 3,
      batchSizes: [8, 64],
      optimizer: 'sgd',
      lr: 0.01,
      steps: 200,
      seeds: 2,
      baseSeed: 0,
    },
    quick: { n: 16, d: 3, width: 2, batchSizes: [4, 16], optimizer: 'sgd', lr: 0.02, steps: 20, seeds: 2, baseSeed: 0 },
  },
  expand(cfg) {
    return cfg.batchSizes.map((b) => {
      const key = `b${b}`;
      const { batchSizes: _b, failOn, nanOn, crashOn, seeds: _s, baseSeed: _bs, ...rest } = cfg;
      const flags = { fail: failOn.includes(key), nan: nanOn.includes(key), crash: crashOn.includes(key) };
      return { key, config: { ...rest, batchSize: b, ...flags } };
    });
  },
  run(run, ctx) {
    if (run.crash) {
      // An uncaught error outside the run's promise: kills the worker thread like a native crash would.
      return new Promise(() =>
        setTimeout(() => {
          throw new Error('pipeline-selftest: deliberate crash');
        }, 0),
      );
    }
    const { n, d, batchSize, lr, steps } = run;
    const data = ctx.prng.fork(SEED_STREAM.data);
    const X = Array.from({ length: n }, () => Array.from({ length: d }, () => data.normal()));
    const wStar = Array.from({ length: d }, () => data.normal());
    const y = X.map((x) => x.reduce((s, xi, k) => s + xi * wStar[k], 0));
    const w = new Array<number>(d).fill(0);
    const vel = new Array<number>(d).fill(0);
    const order = ctx.prng.fork(SEED_STREAM.selftestBatchOrder);
    const loss: number[] = [];
    const predict = () => X.map((x) => x.reduce((s, xi, k) => s + xi * w[k], 0));
    for (let t = 0; t < steps; t++) {
      if (run.fail && t === Math.floor(steps / 2))
        throw new Error(`pipeline-selftest: deliberate failure at step ${t}`);
      const perm = order.permutation(n);
      const g = new Array<number>(d).fill(0);
      for (let i = 0; i < batchSize; i++) {
        const x = X[perm[i]];
        const r = x.reduce((s, xi, k) => s + xi * w[k], 0) - y[perm[i]];
        for (let k = 0; k < d; k++) g[k] += r * x[k];
      }
      for (let k = 0; k < d; k++) {
        vel[k] = (run.optimizer === 'momentum' ? 0.9 * vel[k] : 0) + g[k];
        w[k] -= lr * vel[k];
      }
      loss.push(run.nan && t === steps - 1 ? NaN : halfSumSquaredLoss(predict(), y));
      ctx.progress(t + 1, steps);
    }
    // A width×d "first layer" so model export is exercised: rows are scaled copies of w.
    const U = Array.from({ length: run.width }, (_, j) => w.map((wk) => wk * (j + 1)));
    return {
      series: { step: loss.map((_, t) => t + 1), loss },
      summary: { finalLoss: loss[loss.length - 1], weightError: Math.hypot(...w.map((wk, k) => wk - wStar[k])) },
      model: {
        d,
        m: run.width,
        U,
        v: Array.from({ length: run.width }, (_, j) => (j % 2 ? -1 : 1)),
        task: 'linear',
        metrics: { agopAlignment: 1, testLoss: loss[loss.length - 1], trainLoss: loss[loss.length - 1] },
      },
    };
  },
});

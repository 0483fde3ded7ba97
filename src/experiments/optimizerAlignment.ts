/**
 * optimizer-alignment (chapter 3): does test performance track AGOP alignment across optimizers?
 * The shallow ReLU net trained with GD, SGD, SGD with momentum, Adam and RMSprop, each at two or
 * more rates, every run to the same stop rule (training MSE below `stopMse`; GD checks every step,
 * mini-batch runs at epoch ends), on the rank-2 task and two binary MNIST tasks (14×14, ±1 targets):
 * 0 vs 1, the most separable pair, and 3 vs 5, one of the most confused.
 *
 * Rates. GD, SGD and momentum: η̄ = rate × 2n/λ_max(K(w0)), the full set's critical rate of the batch
 * MEAN loss (as in agop-batch-sweep), run as η = η̄/b in our ½Σ convention. Adam and RMSprop: `rate`
 * is the absolute step size (their update does not depend on the loss's scale).
 *
 * Alignment targets. Rank-2 has a true AGOP (measured on the run's training inputs). Real images
 * have none, so two proxies stand in, both fitted once per task on a reference set that no run
 * trains or tests on (a fixed seed `proxy.seed` draws it; mnistPairs.ts): the AGOP of a Recursive
 * Feature Machine (rfm.ts), and the AGOP of a separately seeded shallow net trained by GD to the stop
 * rule. On rank-2 both proxies are measured too, so the page can check them where the truth is known.
 * MNIST images are centred on the reference set's mean image (see `centred`).
 * Proxies are cached per worker process: they depend on the config only, not on the run's seed.
 *
 * The training loss is read every `lossEvery` steps, except GD's, read at every step: a GD catapult
 * rises and falls within a few steps, so a sparser reading misses it. Each run also measures the
 * alignment of its untrained network's AGOP with every target: the chance level its final alignment
 * is read against (on MNIST, where the targets are proxies, the only baseline there is).
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { Trainer, type StopReason } from '../lib/train';
import { rank2Task, sampleTask } from '../lib/tasks';
import { lambdaMax } from '../lib/tangentKernel';
import { agop, agopAlignment, trueAgopEmpirical } from '../lib/agop';
import { countCatapults, detectCatapults } from '../lib/catapults';
import {
  criticalLearningRate,
  halfSumRateForMeanLoss,
  meanLossCriticalRate,
  meanSquaredError,
} from '../lib/criticalLearningRate';
import { createShallowNet } from '../lib/models/shallow';
import { mnistPairSplit } from '../lib/data/mnistPairs';
import { fitRfm } from '../lib/rfm';
import { Prng, SEED_STREAM } from '../lib/prng';
import type { Dataset } from '../lib/models/model';
import type { OptimizerSpec } from '../lib/optimizers';
import { baseSeed, batchSize, positiveInt, positiveReal, seeds, width } from './schema';
import { defineExperiment, type GridPoint, type RunResult } from './types';
import { defineOutputs } from './outputs';
import { downsampleMnist } from './sgdMnist';
import { normaliseImages } from '../lib/data/normalise';
import { eigSymmetric } from '../lib/eigen';

export const OPTIMIZER_TASKS = ['rank2', 'mnist01', 'mnist35'] as const;
export type OptimizerTask = (typeof OPTIMIZER_TASKS)[number];
/** The digits of each MNIST task (first → +1, second → −1). */
const MNIST_PAIRS: Record<Exclude<OptimizerTask, 'rank2'>, [number, number]> = { mnist01: [0, 1], mnist35: [3, 5] };
export const OPTIMIZER_KINDS = ['gd', 'sgd', 'momentum', 'adam', 'rmsprop'] as const;
export type OptimizerKind = (typeof OPTIMIZER_KINDS)[number];
/** Optimizers whose `rate` is a multiple of the critical rate (the others take an absolute step). */
const CRITICAL_UNITS: readonly OptimizerKind[] = ['gd', 'sgd', 'momentum'];

const configSchema = z
  .object({
    tasks: z.array(z.enum(OPTIMIZER_TASKS)).nonempty('tasks must list rank2, mnist01 and/or mnist35'),
    n: positiveInt('n (training points; MNIST draws n/2 per digit)'),
    nTest: positiveInt('nTest (rank-2 test points)'),
    mnistTestPerClass: positiveInt('mnistTestPerClass (MNIST test images per digit)'),
    d: positiveInt('d (rank-2 input dimension; MNIST is 196)'),
    m: width(),
    optimizers: z
      .array(
        z
          .object({
            optimizer: z.enum(OPTIMIZER_KINDS, {
              error: (i) => `unknown optimizer ${JSON.stringify(i.input)}; use one of ${OPTIMIZER_KINDS.join(', ')}`,
            }),
            /** Mini-batch size; ignored (full batch) for gd. */
            batchSize: batchSize(),
            rates: z
              .array(positiveReal('optimizers[].rates (η̄/η̄_crit for gd, sgd, momentum; step size for adam, rmsprop)'))
              .min(2, 'each optimizer needs at least two rates'),
          })
          .strict(),
      )
      .nonempty('optimizers must list at least one optimizer'),
    stopMse: positiveReal('stopMse (every run trains until its training MSE is below this)'),
    maxSteps: positiveInt('maxSteps (cap; a run that hits it is reported as capped)'),
    lossEvery: positiveInt('lossEvery (steps between full training-loss evaluations in the trace)'),
    proxy: z
      .object({
        seed: z.number().int().nonnegative('proxy.seed must be an integer ≥ 0'),
        refPerClass: positiveInt('proxy.refPerClass (MNIST reference images per digit; rank-2 draws 2× this)'),
        rfm: z
          .object({
            bandwidth: positiveReal('proxy.rfm.bandwidth (Laplace length scale L)'),
            ridge: z.number().nonnegative('proxy.rfm.ridge must be ≥ 0'),
            iterations: positiveInt('proxy.rfm.iterations'),
          })
          .strict(),
        net: z
          .object({
            m: width(),
            etaRatio: positiveReal('proxy.net.etaRatio (η/η_crit of the reference net’s GD)').max(
              0.999,
              'proxy.net.etaRatio must be < 1 (no catapult in the reference)',
            ),
            maxSteps: positiveInt('proxy.net.maxSteps'),
          })
          .strict(),
      })
      .strict(),
    exportModelSeeds: z.number().int().nonnegative('exportModelSeeds must be ≥ 0'),
    seeds: seeds(),
    baseSeed: baseSeed(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.n % 2 !== 0)
      ctx.addIssue({ code: 'custom', path: ['n'], message: `n = ${c.n} must be even (MNIST draws n/2 per digit)` });
    c.optimizers.forEach((o, i) => {
      if (o.optimizer !== 'gd' && o.batchSize >= c.n)
        ctx.addIssue({
          code: 'custom',
          path: ['optimizers', i, 'batchSize'],
          message: `${o.optimizer} is a mini-batch run: batchSize must be below n = ${c.n} (use optimizer 'gd' for full batch)`,
        });
    });
  });
export type OptimizerAlignmentConfig = z.infer<typeof configSchema>;

type Run = Omit<OptimizerAlignmentConfig, 'tasks' | 'optimizers' | 'seeds' | 'baseSeed'> & {
  task: OptimizerTask;
  optimizer: OptimizerKind;
  b: number;
  rate: number;
  /** Seeds below this export their trained model. */
  exportModelSeeds: number;
};

const outputs = defineOutputs({
  name: 'run',
  summarySchema: z
    .object({
      task: z.enum(OPTIMIZER_TASKS),
      optimizer: z.enum(OPTIMIZER_KINDS),
      batchSize: z.number().int(),
      rate: z.number(),
      /** The Trainer's η (½Σ units for gd/sgd/momentum; the step size for adam/rmsprop). */
      eta: z.number(),
      lambda0: z.number(),
      stopReason: z.enum(['maxSteps', 'converged', 'diverged']),
      steps: z.number().int(),
      catapults: z.number().int(),
      // null when the run diverged
      trainMse: z.number().nullable(),
      testMse: z.number().nullable(),
      testLossOverVar: z.number().nullable(),
      /** MNIST: fraction of test images with sign(f) ≠ y; null for rank-2 or a diverged run. */
      testError: z.number().nullable(),
      /** Alignment of the run's AGOP (training inputs) with the true AGOP (rank-2 only) and each proxy. */
      alignTrue: z.number().nullable(),
      alignRfm: z.number().nullable(),
      alignNet: z.number().nullable(),
      /** The same alignments for the untrained network (its AGOP at initialisation): the chance level. */
      alignTrueInit: z.number().nullable(),
      alignRfmInit: z.number(),
      alignNetInit: z.number(),
      /** λ_1/tr of the run's AGOP and of each proxy: how much one direction dominates. */
      agopTopShare: z.number().nullable(),
      rfmTopShare: z.number(),
      netTopShare: z.number(),
      /** The proxies themselves: agreement cos(M_rfm, G_net), alignment with the truth (rank-2), test quality. */
      proxyAgreement: z.number(),
      rfmVsTrue: z.number().nullable(),
      netVsTrue: z.number().nullable(),
      rfmTestLossOverVar: z.number(),
      netTestLossOverVar: z.number(),
      netSteps: z.number().int(),
      netStopReason: z.enum(['maxSteps', 'converged', 'diverged']),
      modelFile: z.string().optional(),
    })
    .strict(),
  seriesNames: ['step', 'trainLoss'],
});

/** Population variance (1/n)Σ(y − ȳ)², the scale test losses are reported against. */
function targetVariance(y: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < y.length; i++) mean += y[i] / y.length;
  let v = 0;
  for (let i = 0; i < y.length; i++) v += (y[i] - mean) ** 2 / y.length;
  return v;
}

const small = (s: Dataset): Dataset => ({ n: s.n, d: 196, X: downsampleMnist(s.X, s.n), y: s.y });

/**
 * Subtracts a fixed mean image (the reference set's) from every image, then rescales each to ‖x‖ = √d.
 * Why: MNIST pixels are all ≥ 0, so uncentred images switch on nearly the same ReLUs, every input
 * gradient of a near-initial net is close to one random vector, and its AGOP is close to that
 * vector's outer product whatever the task; centring removes that shared direction.
 */
function centred(s: Dataset, mean: Float64Array): Dataset {
  const X = new Float32Array(s.X.length);
  for (let i = 0; i < s.n; i++) for (let a = 0; a < s.d; a++) X[i * s.d + a] = s.X[i * s.d + a] - mean[a];
  normaliseImages(X, s.n, s.d, 'sqrt-d', false);
  return { ...s, X };
}

/** Mean image (1/n)Σ x_i of a dataset, float64. */
function meanImage(s: Dataset): Float64Array {
  const m = new Float64Array(s.d);
  for (let i = 0; i < s.n; i++) for (let a = 0; a < s.d; a++) m[a] += s.X[i * s.d + a] / s.n;
  return m;
}

/** Share λ_1(G)/tr G of an AGOP's top eigenvalue: near 1 when one direction dominates. */
function topShare(G: Float64Array, d: number): number {
  const e = eigSymmetric(G, d);
  let tr = 0;
  for (let a = 0; a < d; a++) tr += G[a * d + a];
  return Math.max(...e.values) / tr;
}

/** A run's training and test sets and the task's reference set (the same for every seed). */
function taskData(run: Run, prng: Prng): { train: Dataset; test: Dataset; reference: Dataset } {
  const refPrng = new Prng(run.proxy.seed);
  if (run.task === 'rank2') {
    const t = rank2Task(run.d);
    return {
      train: sampleTask(t, run.n, prng.fork(SEED_STREAM.data)),
      test: sampleTask(t, run.nTest, prng.fork(SEED_STREAM.test)),
      reference: sampleTask(t, 2 * run.proxy.refPerClass, refPrng.fork(SEED_STREAM.data)),
    };
  }
  const s = mnistPairSplit({
    digits: MNIST_PAIRS[run.task],
    perClass: run.n / 2,
    testPerClass: run.mnistTestPerClass,
    refPerClass: run.proxy.refPerClass,
    prng: prng.fork(SEED_STREAM.data),
    refPrng,
  });
  const reference = small(s.reference);
  const mean = meanImage(reference);
  return {
    train: centred(small(s.train), mean),
    test: centred(small(s.test), mean),
    reference: centred(reference, mean),
  };
}

interface Proxies {
  rfm: { M: Float64Array; predict(X: ArrayLike<number>): Float64Array };
  net: { G: Float64Array; predict(X: tf.Tensor2D): Float32Array; steps: number; stopReason: StopReason };
}
type ProxyRun = Pick<Run, 'task' | 'd' | 'proxy' | 'stopMse'>;
const proxyCache = new Map<string, Proxies>();

/** The task's two AGOP proxies, fitted on the reference set (cached per process by config). */
function proxies(run: ProxyRun, reference: Dataset): Proxies {
  const key = JSON.stringify([run.task, run.d, run.proxy, run.stopMse]);
  const hit = proxyCache.get(key);
  if (hit) return hit;
  const fit = fitRfm(reference, run.proxy.rfm);
  const net = createShallowNet({
    d: reference.d,
    m: run.proxy.net.m,
    prng: new Prng(run.proxy.seed).fork(SEED_STREAM.weights),
  });
  const X = tf.tensor2d(reference.X, [reference.n, reference.d]);
  const trainer = new Trainer(net, reference, {
    schedule: { kind: 'constant', eta: run.proxy.net.etaRatio * criticalLearningRate(lambdaMax(net, X)) },
    maxSteps: run.proxy.net.maxSteps,
    stopMse: run.stopMse,
  });
  let info;
  do info = trainer.step();
  while (!info.done);
  const tr = trainer.getTrace();
  trainer.dispose();
  if (tr.divergedAt !== null)
    throw new Error(`optimizer-alignment: the ${run.task} reference net diverged; lower proxy.net.etaRatio`);
  const G = agop(net, X);
  X.dispose();
  const p: Proxies = {
    rfm: { M: fit.M, predict: (x) => fit.predict(x) },
    net: {
      G,
      predict: (x) => {
        const f = net.predict(x);
        const v = f.dataSync() as Float32Array;
        f.dispose();
        return v;
      },
      steps: tr.stepsTaken,
      stopReason: tr.reason ?? 'maxSteps',
    },
  };
  proxyCache.set(key, p);
  return p;
}

/** The Trainer's optimizer for a kind (gd is plain SGD on the full batch). */
function optimizerSpec(kind: OptimizerKind): OptimizerSpec {
  return kind === 'gd' || kind === 'sgd' ? { kind: 'sgd' } : { kind };
}

export const optimizerAlignment = defineExperiment<OptimizerAlignmentConfig, Run, typeof outputs>({
  id: 'optimizer-alignment',
  title: 'Optimizers, AGOP alignment and test loss',
  description:
    'Shallow ReLU net (m = 512) trained with GD, SGD, momentum, Adam and RMSprop at two rates each to training MSE < 1e-3, on rank-2 (d = 50) and MNIST 0 vs 1 and 3 vs 5 (14×14, centred), n = 500; AGOP alignment with the true AGOP (rank-2) and with two proxies fitted on a held-apart reference set (an RFM and a separately seeded net), test loss and test error.',
  version: 1,
  usesTfjs: true,
  seriesAxes: { trainLoss: 'step' },
  schema: configSchema,
  outputs,
  profiles: {
    paper: {
      tasks: ['rank2', 'mnist01', 'mnist35'],
      n: 500,
      nTest: 2000,
      mnistTestPerClass: 200,
      d: 50,
      m: 512,
      optimizers: [
        { optimizer: 'gd', batchSize: 500, rates: [0.5, 1.5] },
        { optimizer: 'sgd', batchSize: 32, rates: [0.25, 1] },
        { optimizer: 'momentum', batchSize: 32, rates: [0.025, 0.1] },
        { optimizer: 'adam', batchSize: 32, rates: [0.001, 0.003] },
        { optimizer: 'rmsprop', batchSize: 32, rates: [0.0003, 0.001] },
      ],
      stopMse: 1e-3,
      maxSteps: 30000,
      lossEvery: 10,
      proxy: {
        seed: 1000,
        refPerClass: 400,
        rfm: { bandwidth: 10, ridge: 1e-3, iterations: 5 },
        net: { m: 512, etaRatio: 0.9, maxSteps: 20000 },
      },
      exportModelSeeds: 1,
      seeds: 3,
      baseSeed: 0,
    },
    quick: {
      tasks: ['rank2', 'mnist35'],
      n: 40,
      nTest: 64,
      mnistTestPerClass: 10,
      d: 6,
      m: 32,
      optimizers: [
        { optimizer: 'gd', batchSize: 40, rates: [0.5, 1.5] },
        { optimizer: 'adam', batchSize: 8, rates: [0.001, 0.003] },
      ],
      stopMse: 1e-2,
      maxSteps: 60,
      lossEvery: 5,
      proxy: {
        seed: 1000,
        refPerClass: 20,
        rfm: { bandwidth: 10, ridge: 1e-3, iterations: 2 },
        net: { m: 32, etaRatio: 0.9, maxSteps: 50 },
      },
      exportModelSeeds: 1,
      seeds: 1,
      baseSeed: 0,
    },
  },
  expand(cfg): GridPoint<Run>[] {
    const { tasks, optimizers, seeds: _s, baseSeed: _b, ...rest } = cfg;
    return tasks.flatMap((task) =>
      optimizers.flatMap((o) =>
        o.rates.map((rate) => ({
          key: `${task}-${o.optimizer}-r${String(rate).replace('.', 'p')}`,
          config: {
            ...rest,
            task,
            optimizer: o.optimizer,
            b: o.optimizer === 'gd' ? rest.n : o.batchSize,
            rate,
          },
        })),
      ),
    );
  },
  run(run, ctx): RunResult {
    const { train, test, reference } = taskData(run, ctx.prng);
    const px = proxies(run, reference);
    const net = createShallowNet({ d: train.d, m: run.m, prng: ctx.prng.fork(SEED_STREAM.weights) });
    const X = tf.tensor2d(train.X, [train.n, train.d]);
    const Xt = tf.tensor2d(test.X, [test.n, test.d]);
    try {
      const lambda0 = lambdaMax(net, X);
      const G0 = agop(net, X);
      const eta = CRITICAL_UNITS.includes(run.optimizer)
        ? halfSumRateForMeanLoss(run.rate * meanLossCriticalRate(lambda0, train.n), run.b)
        : run.rate;
      const trainer = new Trainer(net, train, {
        batchSize: run.b,
        seed: ctx.seed,
        schedule: { kind: 'constant', eta },
        optimizer: optimizerSpec(run.optimizer),
        maxSteps: run.maxSteps,
        stopMse: run.stopMse,
        // GD at every step: its catapults last a few steps (see the header)
        record: { every: run.optimizer === 'gd' ? 1 : run.lossEvery, what: ['trainLoss'] },
      });
      let info;
      do {
        const t = trainer.state.step;
        info = trainer.step();
        if (t % 200 === 0) ctx.progress(t, run.maxSteps);
      } while (!info.done);
      const tr = trainer.getTrace();
      trainer.dispose();
      const loss = tr.series.trainLoss;
      const diverged = tr.divergedAt !== null;
      const varY = targetVariance(test.y);
      const Gtrue = run.task === 'rank2' ? trueAgopEmpirical(rank2Task(run.d), train.X, train.n) : null;
      const alignTrueInit = Gtrue ? agopAlignment(G0, Gtrue) : null;
      const rfmTest = meanSquaredError(px.rfm.predict(test.X), test.y) / varY;
      const netTest = meanSquaredError(px.net.predict(Xt), test.y) / varY;
      let testMse: number | null = null;
      let testError: number | null = null;
      let G: Float64Array | null = null;
      let model: RunResult['model'];
      if (!diverged) {
        const f = net.predict(Xt);
        const fv = f.dataSync();
        f.dispose();
        testMse = meanSquaredError(fv, test.y);
        if (run.task !== 'rank2')
          testError = test.y.filter((y, i) => Math.sign(fv[i]) !== Math.sign(y)).length / test.n;
        G = agop(net, X);
        if (ctx.seed < run.exportModelSeeds) {
          const [U, v] = net.getWeights();
          const align = Gtrue ? agopAlignment(G, Gtrue) : agopAlignment(G, px.rfm.M);
          model = {
            d: train.d,
            m: run.m,
            U,
            v,
            task: run.task,
            metrics: { agopAlignment: align, testLoss: testMse, trainLoss: tr.finalTrainMse },
          };
        }
      }
      const result: RunResult = {
        series: { step: tr.steps, trainLoss: loss },
        summary: {
          task: run.task,
          optimizer: run.optimizer,
          batchSize: run.b,
          rate: run.rate,
          eta,
          lambda0,
          stopReason: tr.reason ?? 'maxSteps',
          steps: tr.stepsTaken,
          catapults: countCatapults(detectCatapults(loss)),
          trainMse: diverged ? null : tr.finalTrainMse,
          testMse,
          testLossOverVar: testMse === null ? null : testMse / varY,
          testError,
          alignTrue: G && Gtrue ? agopAlignment(G, Gtrue) : null,
          alignRfm: G ? agopAlignment(G, px.rfm.M) : null,
          alignNet: G ? agopAlignment(G, px.net.G) : null,
          alignTrueInit,
          alignRfmInit: agopAlignment(G0, px.rfm.M),
          alignNetInit: agopAlignment(G0, px.net.G),
          agopTopShare: G ? topShare(G, train.d) : null,
          rfmTopShare: topShare(px.rfm.M, train.d),
          netTopShare: topShare(px.net.G, train.d),
          proxyAgreement: agopAlignment(px.rfm.M, px.net.G),
          rfmVsTrue: Gtrue ? agopAlignment(px.rfm.M, Gtrue) : null,
          netVsTrue: Gtrue ? agopAlignment(px.net.G, Gtrue) : null,
          rfmTestLossOverVar: rfmTest,
          netTestLossOverVar: netTest,
          netSteps: px.net.steps,
          netStopReason: px.net.stopReason,
        },
      };
      if (model) result.model = model;
      return result;
    } finally {
      X.dispose();
      Xt.dispose();
      net.dispose();
    }
  },
});

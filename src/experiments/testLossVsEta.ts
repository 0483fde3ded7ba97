/**
 * test-loss-vs-eta (generalization): does GD with a catapult generalise better? Full-batch GD on the
 * shallow ReLU net at η = r × η_crit (½Σ loss, η_crit = 2/λ_max(K(w0)), K = JJᵀ without 1/n) for a
 * grid of r from well below η_crit to near η_max, every run trained to the same training MSE
 * (`stopMse`, or until `maxSteps`), on a synthetic rank-2 task (where the true AGOP is known) and
 * on a binary MNIST task (digits 3 vs 5, 14×14, ±1 targets; no true AGOP, so no alignment).
 * A run that diverges is recorded as diverged, not as an error: where divergence begins is a result.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { Trainer } from '../lib/train';
import { sampleTask, taskById } from '../lib/tasks';
import { lambdaMax } from '../lib/tangentKernel';
import { agop, agopAlignment, trueAgopEmpirical } from '../lib/agop';
import { detectCatapults } from '../lib/catapults';
import { criticalLearningRate, meanSquaredError } from '../lib/criticalLearningRate';
import { createShallowNet, type ShallowNet } from '../lib/models/shallow';
import { mnistSplit } from '../lib/data/mnist';
import { SEED_STREAM, type Prng } from '../lib/prng';
import type { Dataset } from '../lib/models/model';
import { baseSeed, positiveInt, positiveReal, seeds, width } from './schema';
import { defineExperiment, type GridPoint, type RunResult } from './types';
import { defineOutputs } from './outputs';
import { downsampleMnist } from './sgdMnist';

const TASKS = ['rank2', 'mnist35'] as const;
type TaskId = (typeof TASKS)[number];
/** The MNIST task's two digits (first → +1, second → −1). */
const MNIST_DIGITS = [3, 5];

const configSchema = z
  .object({
    tasks: z.array(z.enum(TASKS)).nonempty('tasks must list rank2 and/or mnist35'),
    /** Training points (rank2) or training images per digit × 2 (mnist35). */
    n: positiveInt('n (training points)'),
    nTest: positiveInt('nTest (test points)'),
    d: positiveInt('d (input dimension of rank2; mnist35 is 196)'),
    m: width(),
    etaRatios: z
      .array(positiveReal('etaRatios (η/η_crit of each run)'))
      .min(2, 'etaRatios must list at least two learning rates'),
    stopMse: positiveReal('stopMse (every run trains until its training MSE is below this)'),
    maxSteps: positiveInt('maxSteps (step budget if the stop rule is never met)'),
    lossEvery: positiveInt('lossEvery (keep every k-th training-loss value in the trace)'),
    seeds: seeds(),
    baseSeed: baseSeed(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.n % 2 !== 0)
      ctx.addIssue({ code: 'custom', path: ['n'], message: `n = ${c.n} must be even (mnist35 draws n/2 per digit)` });
  });
export type TestLossVsEtaConfig = z.infer<typeof configSchema>;

type Run = Omit<TestLossVsEtaConfig, 'tasks' | 'etaRatios' | 'seeds' | 'baseSeed'> & {
  task: TaskId;
  etaRatio: number;
};

const outputs = defineOutputs({
  name: 'run',
  summarySchema: z
    .object({
      task: z.enum(TASKS),
      etaRatio: z.number(),
      lambda0: z.number(),
      etaCrit: z.number(),
      diverged: z.boolean(),
      stopReason: z.enum(['maxSteps', 'converged', 'diverged']),
      steps: z.number().int(),
      catapults: z.number().int(),
      peakLossRatio: z.number(),
      // null when the run diverged
      trainMse: z.number().nullable(),
      testMse: z.number().nullable(),
      testLossOverVar: z.number().nullable(),
      lambdaEnd: z.number().nullable(),
      // rank2 only (the true AGOP of MNIST is unknown); null when diverged
      alignTrain: z.number().nullable(),
    })
    .strict(),
  seriesNames: ['step', 'trainLoss'],
});

/**
 * Training set, shallow net and test set of a task, paired by seed. Forking a stream advances the
 * parent, so rank2 forks in regressionSetup's order (data, weights, test; shallowSetup.ts): a seed
 * means the same data and initial weights there and here.
 */
function taskSetup(task: TaskId, run: Run, prng: Prng): { data: Dataset; test: Dataset; net: ShallowNet } {
  if (task === 'rank2') {
    const t = taskById('rank2', run.d);
    const data = sampleTask(t, run.n, prng.fork(SEED_STREAM.data));
    const net = createShallowNet({ d: t.d, m: run.m, prng: prng.fork(SEED_STREAM.weights) });
    return { data, net, test: sampleTask(t, run.nTest, prng.fork(SEED_STREAM.test)) };
  }
  const split = mnistSplit({
    digits: MNIST_DIGITS,
    perClass: run.n / 2,
    testPerClass: Math.ceil(run.nTest / 2),
    prng: prng.fork(SEED_STREAM.data),
    labels: 'pm1',
  });
  const small = (s: Dataset): Dataset => ({ n: s.n, d: 196, X: downsampleMnist(s.X, s.n), y: s.y });
  const data = small(split.train);
  const net = createShallowNet({ d: data.d, m: run.m, prng: prng.fork(SEED_STREAM.weights) });
  return { data, net, test: small(split.test) };
}

/** Population variance (1/n)Σ(y − ȳ)² of the targets: the scale test losses are reported against. */
function variance(y: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < y.length; i++) mean += y[i] / y.length;
  let v = 0;
  for (let i = 0; i < y.length; i++) v += (y[i] - mean) ** 2 / y.length;
  return v;
}

export const testLossVsEta = defineExperiment<TestLossVsEtaConfig, Run, typeof outputs>({
  id: 'test-loss-vs-eta',
  title: 'Test loss and AGOP alignment against the learning rate, every run trained to the same training loss',
  description:
    'Full-batch GD on the shallow ReLU net (NTK parameterisation) at η from 0.25 to 2 η_crit, trained until the training MSE is below 1e-3, on rank-2 regression and MNIST 3 vs 5 (14×14); test MSE, AGOP alignment (rank-2), catapults and divergence per run.',
  version: 1,
  usesTfjs: true,
  seriesAxes: { trainLoss: 'step' },
  schema: configSchema,
  outputs,
  profiles: {
    paper: {
      tasks: ['rank2', 'mnist35'],
      n: 256,
      nTest: 1000,
      d: 20,
      m: 512,
      etaRatios: [0.25, 0.5, 0.75, 0.9, 1.1, 1.3, 1.5, 1.7, 1.9, 2.05],
      stopMse: 1e-3,
      // The slowest runs (MNIST at 0.25 η_crit) need about 9000 steps to reach the stop rule.
      maxSteps: 16000,
      lossEvery: 20,
      seeds: 5,
      baseSeed: 0,
    },
    quick: {
      tasks: ['rank2'],
      n: 32,
      nTest: 64,
      d: 6,
      m: 64,
      etaRatios: [0.5, 1.5],
      stopMse: 1e-2,
      maxSteps: 400,
      lossEvery: 5,
      seeds: 1,
      baseSeed: 0,
    },
  },
  expand(cfg): GridPoint<Run>[] {
    const { tasks, etaRatios, seeds: _s, baseSeed: _b, ...rest } = cfg;
    return tasks.flatMap((task) =>
      etaRatios.map((etaRatio) => ({
        key: `${task}-eta${String(etaRatio).replace('.', 'p')}`,
        config: { ...rest, task, etaRatio },
      })),
    );
  },
  run(run, ctx): RunResult {
    const { data, test, net } = taskSetup(run.task, run, ctx.prng);
    const X = tf.tensor2d(data.X, [data.n, data.d]);
    const Xt = tf.tensor2d(test.X, [test.n, test.d]);
    try {
      const lambda0 = lambdaMax(net, X);
      const etaCrit = criticalLearningRate(lambda0);
      const trainer = new Trainer(net, data, {
        schedule: { kind: 'constant', eta: run.etaRatio * etaCrit },
        maxSteps: run.maxSteps,
        stopMse: run.stopMse,
        record: { every: 1, what: ['trainLoss'] },
      });
      let info;
      do {
        const t = trainer.state.step;
        info = trainer.step();
        if (t % 100 === 0) ctx.progress(t, run.maxSteps);
      } while (!info.done);
      const tr = trainer.getTrace();
      trainer.dispose();
      const loss = tr.series.trainLoss;
      const finite = loss.filter(Number.isFinite);
      const keep = (_: number, i: number) => i % run.lossEvery === 0 || i === loss.length - 1;
      const diverged = tr.divergedAt !== null;
      let testMse: number | null = null;
      let alignTrain: number | null = null;
      let lambdaEnd: number | null = null;
      if (!diverged) {
        const f = net.predict(Xt);
        testMse = meanSquaredError(f.dataSync(), test.y);
        f.dispose();
        lambdaEnd = lambdaMax(net, X);
        if (run.task === 'rank2') {
          const task = taskById('rank2', run.d);
          alignTrain = agopAlignment(agop(net, X), trueAgopEmpirical(task, data.X, data.n));
        }
      }
      ctx.progress(run.maxSteps, run.maxSteps);
      return {
        series: { step: tr.steps.filter(keep), trainLoss: loss.filter(keep) },
        summary: {
          task: run.task,
          etaRatio: run.etaRatio,
          lambda0,
          etaCrit,
          diverged,
          stopReason: tr.reason ?? 'maxSteps',
          steps: tr.stepsTaken,
          catapults: detectCatapults(loss).filter((e) => !e.diverged).length,
          peakLossRatio: Math.max(...finite) / loss[0],
          trainMse: diverged ? null : tr.finalTrainMse,
          testMse,
          testLossOverVar: testMse === null ? null : testMse / variance(test.y),
          lambdaEnd,
          alignTrain,
        },
      };
    } finally {
      X.dispose();
      Xt.dispose();
      net.dispose();
    }
  },
});

/**
 * agop-gd-converged (chapter 3): the batch-size sweep's GD run trained to the SGD runs' stop rule.
 * In agop-batch-sweep GD stops at a step budget while small-batch SGD stops once the training MSE
 * is below a threshold, so part of the alignment gap could be "GD has not finished". Here GD runs at
 * the sweep's rate (η = etaRatio × η_crit, ½Σ convention, η_crit = 2/λ_max(K(w0)); 0.5 matches the
 * sweep's η̄ = 0.5 × 2n/λ_max in mean-loss units) until the training MSE is below `stopMse`, on the
 * same data, test set and initial weights as the sweep's seeds (regressionSetup).
 */
import { z } from 'zod';
import { Trainer } from '../lib/train';
import { taskById } from '../lib/tasks';
import { lambdaMax } from '../lib/tangentKernel';
import { agop, agopAlignment, trueAgopEmpirical } from '../lib/agop';
import { detectCatapults } from '../lib/catapults';
import { criticalLearningRate, meanSquaredError } from '../lib/criticalLearningRate';
import { baseSeed, positiveInt, positiveReal, seeds, width } from './schema';
import { defineExperiment, type GridPoint, type RunResult } from './types';
import { defineOutputs } from './outputs';
import { regressionSetup } from './shallowSetup';

const configSchema = z
  .object({
    tasks: z.array(z.enum(['rank2', 'rank4'])).nonempty('tasks must list rank2 and/or rank4'),
    n: positiveInt('n (training points)'),
    nTest: positiveInt('nTest (test points)'),
    d: positiveInt('d (input dimension)'),
    m: width(),
    etaRatio: positiveReal('etaRatio (η/η_crit of GD)').max(
      0.999,
      'etaRatio must be < 1 (GD below η_crit, as in the sweep)',
    ),
    stopMse: positiveReal('stopMse (stop once the training MSE is below this)'),
    maxSteps: positiveInt('maxSteps (step budget if the stop rule is never met)'),
    lossEvery: positiveInt('lossEvery (keep every k-th training-loss value in the trace)'),
    alignEvery: positiveInt('alignEvery (steps between AGOP-alignment and test-loss evaluations)'),
    seeds: seeds(),
    baseSeed: baseSeed(),
  })
  .strict();
export type AgopGdConvergedConfig = z.infer<typeof configSchema>;

type Run = Omit<AgopGdConvergedConfig, 'tasks' | 'seeds' | 'baseSeed'> & { task: 'rank2' | 'rank4' };

const outputs = defineOutputs({
  name: 'run',
  summarySchema: z
    .object({
      task: z.enum(['rank2', 'rank4']),
      etaRatio: z.number(),
      lambda0: z.number(),
      etaCrit: z.number(),
      catapults: z.number().int(),
      steps: z.number().int(),
      stopReason: z.enum(['maxSteps', 'converged']),
      trainMse: z.number(),
      alignTrain: z.number(),
      alignTestPop: z.number(),
      testMse: z.number(),
      testLossOverVar: z.number(),
      lambdaEnd: z.number(),
    })
    .strict(),
  seriesNames: ['step', 'trainLoss', 'alignStep', 'align', 'testLoss'],
});

export const agopGdConverged = defineExperiment<AgopGdConvergedConfig, Run, typeof outputs>({
  id: 'agop-gd-converged',
  title: 'The sweep’s GD run trained to the SGD stop rule',
  description:
    'Full-batch GD at 0.5 η_crit on rank-2 and rank-4 (n = 2000, width 1024), same seeds as agop-batch-sweep, run until the training MSE is below 1e-3; final AGOP alignment and test loss.',
  version: 1,
  usesTfjs: true,
  seriesAxes: { trainLoss: 'step', align: 'alignStep', testLoss: 'alignStep' },
  schema: configSchema,
  outputs,
  profiles: {
    paper: {
      tasks: ['rank2', 'rank4'],
      n: 2000,
      nTest: 5000,
      d: 100,
      m: 1024,
      etaRatio: 0.5,
      stopMse: 1e-3,
      maxSteps: 6000,
      lossEvery: 10,
      alignEvery: 100,
      seeds: 5,
      baseSeed: 0,
    },
    quick: {
      tasks: ['rank2'],
      n: 64,
      nTest: 64,
      d: 8,
      m: 64,
      etaRatio: 0.5,
      stopMse: 1e-2,
      maxSteps: 400,
      lossEvery: 2,
      alignEvery: 10,
      seeds: 1,
      baseSeed: 0,
    },
  },
  expand(cfg): GridPoint<Run>[] {
    const { tasks, seeds: _s, baseSeed: _b, ...rest } = cfg;
    return tasks.map((task) => ({ key: task, config: { ...rest, task } }));
  },
  run(run, ctx): RunResult {
    const task = taskById(run.task, run.d);
    const s = regressionSetup(ctx.prng, task, run.n, run.nTest, run.m);
    try {
      const lambda0 = lambdaMax(s.net, s.X);
      const etaCrit = criticalLearningRate(lambda0);
      const Gstar = trueAgopEmpirical(task, s.data.X, run.n);
      const testMse = () => {
        const f = s.net.predict(s.Xt);
        const v = meanSquaredError(f.dataSync(), s.test.y);
        f.dispose();
        return v;
      };
      const trainer = new Trainer(s.net, s.data, {
        schedule: { kind: 'constant', eta: run.etaRatio * etaCrit },
        maxSteps: run.maxSteps,
        stopMse: run.stopMse,
        record: { every: 1, what: ['trainLoss'] },
      });
      const alignStep: number[] = [];
      const align: number[] = [];
      const testLoss: number[] = [];
      const measure = (t: number) => {
        alignStep.push(t);
        align.push(agopAlignment(agop(s.net, s.X), Gstar));
        testLoss.push(testMse());
      };
      let info;
      do {
        const t = trainer.state.step;
        if (t % run.alignEvery === 0) measure(t);
        info = trainer.step();
        if (t % 50 === 0) ctx.progress(t, run.maxSteps);
      } while (!info.done);
      const tr = trainer.getTrace();
      trainer.dispose();
      if (tr.divergedAt !== null)
        throw new Error(`agop-gd-converged: ${run.task} diverged at step ${tr.divergedAt}; etaRatio must stay below 1`);
      const end = tr.stepsTaken;
      if (alignStep[alignStep.length - 1] !== end) measure(end);
      const loss = tr.series.trainLoss;
      const keep = (_: number, i: number) => i % run.lossEvery === 0 || i === loss.length - 1;
      return {
        series: { step: tr.steps.filter(keep), trainLoss: loss.filter(keep), alignStep, align, testLoss },
        summary: {
          task: run.task,
          etaRatio: run.etaRatio,
          lambda0,
          etaCrit,
          catapults: detectCatapults(loss).length,
          steps: end,
          stopReason: tr.reason,
          trainMse: tr.finalTrainMse,
          alignTrain: align[align.length - 1],
          alignTestPop: agopAlignment(agop(s.net, s.Xt), task.populationAgop()),
          testMse: testLoss[testLoss.length - 1],
          testLossOverVar: testLoss[testLoss.length - 1] / s.testVariance,
          lambdaEnd: lambdaMax(s.net, s.X),
        },
      };
    } finally {
      s.dispose();
    }
  },
});

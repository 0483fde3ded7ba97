/**
 * agop-batch-sweep (chapter 3): one learning rate shared by GD and SGD at several batch sizes on the
 * rank-2 and rank-4 tasks; per run the number of catapults, the AGOP alignment with the true AGOP,
 * and the test loss. Paired: for a seed, data, test set and initial weights are the same at every
 * batch size.
 *
 * Normalisation. SGD here minimises the batch MEAN loss (1/2b)Σ_{i∈B}(f−y)² with one rate η̄ for all
 * batch sizes, which is how SGD is run in practice and, we assume, in the paper. Its step equals our
 * ½Σ convention's step at η = η̄/b, so the Trainer runs at η̄/b, and the batch critical rate in η̄ units
 * is 2b/λ_max(K(X_B)). Under ½Σ with one η for all b no batch can spike below the full-set η_crit
 * (K(X_B) is a principal submatrix of K, so λ_max(K(X_B)) ≤ λ_max(K)); under the mean loss small
 * batches can, which is the mechanism the paper describes.
 *
 * A run that diverges is recorded as diverged (its end-of-run measurements null), not thrown, so a
 * diverging seed is shown and counted like the other experiments' diverged runs.
 */
import { z } from 'zod';
import { Trainer } from '../lib/train';
import { taskById } from '../lib/tasks';
import { batchLambdaMax, lambdaMax } from '../lib/tangentKernel';
import { median } from '../lib/stats';
import { agop, agopAlignment, agopBlock, trueAgopEmpirical } from '../lib/agop';
import { countCatapults, detectCatapults } from '../lib/catapults';
import {
  halfSumRateForMeanLoss,
  halfSumSquaredLoss,
  meanLossCriticalRate,
  meanSquaredError,
} from '../lib/criticalLearningRate';
import { Prng } from '../lib/prng';
import { baseSeed, batchSize, positiveInt, positiveReal, seeds, width } from './schema';
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
    batchSizes: z.array(batchSize()).nonempty('batchSizes must list at least one batch size'),
    etaFactor: positiveReal('etaFactor (η̄ in units of the full-set critical rate 2n/λ_max(K))'),
    sgdEpochs: positiveInt('sgdEpochs (epoch cap for batch sizes < n; the stop rule should end every run first)'),
    gdSteps: positiveInt('gdSteps (step cap for full-batch GD; the stop rule should end every run first)'),
    stopMse: positiveReal('stopMse (stop once the train MSE is below this: every step for GD, at epoch ends for SGD)'),
    lossSamplesPerEpoch: positiveInt('lossSamplesPerEpoch (full-train-loss evaluations per epoch for SGD)'),
    everyStepSeeds: z
      .number()
      .int()
      .nonnegative('everyStepSeeds (seeds whose full training loss is evaluated at every step) must be ≥ 0'),
    noiseControl: z
      .object({
        batchSize: batchSize(),
        etaFactor: positiveReal('noiseControl.etaFactor (η̄ in units of the full-set critical rate)'),
      })
      .strict()
      .optional(),
    alignSamplesPerEpoch: positiveInt('alignSamplesPerEpoch (AGOP evaluations per epoch for SGD)'),
    batchCritSamples: positiveInt('batchCritSamples (random batches for the median batch critical rate)'),
    exportModelSeeds: z.number().int().nonnegative('exportModelSeeds must be ≥ 0'),
    seeds: seeds(),
    baseSeed: baseSeed(),
  })
  .strict()
  .superRefine((c, ctx) => {
    c.batchSizes.forEach((b, i) => {
      if (b > c.n)
        ctx.addIssue({
          code: 'custom',
          path: ['batchSizes', i],
          message: `batch size ${b} is larger than n = ${c.n}; use at most n`,
        });
    });
    if (c.noiseControl && c.noiseControl.batchSize >= c.n)
      ctx.addIssue({
        code: 'custom',
        path: ['noiseControl', 'batchSize'],
        message: `the noise control is SGD: its batch size must be below n = ${c.n}`,
      });
  });
export type AgopBatchSweepConfig = z.infer<typeof configSchema>;

type Run = Omit<
  AgopBatchSweepConfig,
  'tasks' | 'batchSizes' | 'seeds' | 'baseSeed' | 'exportModelSeeds' | 'noiseControl'
> & {
  task: 'rank2' | 'rank4';
  b: number;
  /** True for the noise control (η̄ below every drawn batch's critical rate). */
  control: boolean;
  exportModel: boolean;
  seedCount: number;
};

const outputs = defineOutputs({
  name: 'run',
  summarySchema: z
    .object({
      task: z.enum(['rank2', 'rank4']),
      batchSize: z.number().int(),
      control: z.boolean(),
      etaMean: z.number(),
      etaCritMean: z.number(),
      etaOverFullCrit: z.number(),
      medianBatchCrit: z.number(),
      etaOverMedianBatchCrit: z.number(),
      /** Fraction of the random batches at initialisation whose critical rate is below η̄. */
      fracBatchesBelowEta: z.number(),
      catapults: z.number().int(),
      /** Catapults on the full training loss at every step (null if only sampled). */
      catapultsEveryStep: z.number().int().nullable(),
      /** Noise control: the largest η̄ / (2b/λ_max(K(X_B; w_t))) over all steps, and how many steps exceeded 1. */
      maxEtaOverBatchCrit: z.number().nullable(),
      stepsAboveBatchCrit: z.number().int().nullable(),
      /** End-of-run measurements (null if the run diverged). */
      alignTrain: z.number().nullable(),
      alignTestPop: z.number().nullable(),
      testMse: z.number().nullable(),
      testLossOverVar: z.number().nullable(),
      trainMse: z.number().nullable(),
      lambdaStart: z.number(),
      lambdaEnd: z.number().nullable(),
      steps: z.number().int(),
      epochs: z.number(),
      stopReason: z.enum(['maxSteps', 'converged', 'diverged']),
      /** Step at which the run diverged (null if it did not); the end-of-run fields above are then null. */
      divergedAt: z.number().int().nullable(),
      lossEvery: z.number().int(),
      // added by the pipeline next to an exported model (<runKey>.model.json)
      modelFile: z.string().optional(),
    })
    .strict(),
  seriesNames: ['step', 'trainLoss', 'alignStep', 'align', 'agopBlock', 'trueAgopBlock', 'catapultPeaks'],
});

export const agopBatchSweep = defineExperiment<AgopBatchSweepConfig, Run, typeof outputs>({
  id: 'agop-batch-sweep',
  title: 'Batch size, catapults and AGOP alignment',
  description:
    'Shallow ReLU net (m = 1024) on rank-2 and rank-4 regression, n = 2000, one mean-loss learning rate for GD and SGD with batch sizes 50, 10, 5, every run trained to training MSE < 1e-3; catapults, AGOP alignment and test loss per run, and a noise control (batch 5, η̄ below every drawn batch’s critical rate).',
  version: 2,
  usesTfjs: true,
  seriesAxes: { trainLoss: 'step', align: 'alignStep' },
  schema: configSchema,
  outputs,
  profiles: {
    paper: {
      tasks: ['rank2', 'rank4'],
      n: 2000,
      nTest: 5000,
      d: 100,
      m: 1024,
      batchSizes: [2000, 50, 10, 5],
      etaFactor: 0.5,
      sgdEpochs: 200,
      gdSteps: 8000,
      stopMse: 1e-3,
      lossSamplesPerEpoch: 40,
      everyStepSeeds: 1,
      noiseControl: { batchSize: 5, etaFactor: 0.3 },
      alignSamplesPerEpoch: 2,
      batchCritSamples: 200,
      exportModelSeeds: 1,
      seeds: 5,
      baseSeed: 0,
    },
    quick: {
      tasks: ['rank2'],
      n: 64,
      nTest: 64,
      d: 8,
      m: 64,
      batchSizes: [64, 8],
      etaFactor: 0.5,
      sgdEpochs: 3,
      gdSteps: 10,
      stopMse: 1e-3,
      lossSamplesPerEpoch: 8,
      everyStepSeeds: 1,
      noiseControl: { batchSize: 4, etaFactor: 0.1 },
      alignSamplesPerEpoch: 1,
      batchCritSamples: 4,
      exportModelSeeds: 1,
      seeds: 1,
      baseSeed: 0,
    },
  },
  expand(cfg): GridPoint<Run>[] {
    const { tasks, batchSizes, seeds: s, baseSeed: _b, exportModelSeeds, noiseControl, ...rest } = cfg;
    const exp = { exportModel: exportModelSeeds > 0, seedCount: Math.min(exportModelSeeds, s) };
    return tasks.flatMap((task) => [
      ...batchSizes.map((b) => ({ key: `${task}-b${b}`, config: { ...rest, ...exp, task, b, control: false } })),
      ...(noiseControl
        ? [
            {
              key: `${task}-control-b${noiseControl.batchSize}`,
              config: {
                ...rest,
                ...exp,
                task,
                b: noiseControl.batchSize,
                etaFactor: noiseControl.etaFactor,
                control: true,
              },
            },
          ]
        : []),
    ]);
  },
  run(run, ctx): RunResult {
    const task = taskById(run.task, run.d);
    // Paired across batch sizes: data, test set and weights depend on the seed only.
    const setup = regressionSetup(ctx.prng, task, run.n, run.nTest, run.m);
    const { data, test, net, X, Xt, testVariance: varY } = setup;
    try {
      const lambda0 = lambdaMax(net, X);
      const etaCritMean = meanLossCriticalRate(lambda0, run.n); // full-set critical rate of the mean loss
      const etaMean = run.etaFactor * etaCritMean;
      // Critical rates 2b/λ_max(K(X_B)) of random batches at initialisation (mean-loss units).
      const crits: number[] = [];
      const pick = new Prng(ctx.seed + 7919);
      for (let k = 0; k < (run.b < run.n ? run.batchCritSamples : 0); k++) {
        crits.push(meanLossCriticalRate(batchLambdaMax(net, X, pick.permutation(run.n).slice(0, run.b)), run.b));
      }
      const medianBatchCrit = crits.length ? median(crits) : etaCritMean;
      const stepsPerEpoch = Math.ceil(run.n / run.b);
      const isGD = run.b >= run.n;
      const maxSteps = isGD ? run.gdSteps : run.sgdEpochs * stepsPerEpoch;
      const everyStep = isGD || ctx.seed < run.everyStepSeeds;
      const lossEvery = isGD ? 1 : Math.max(1, Math.floor(stepsPerEpoch / run.lossSamplesPerEpoch));
      const alignEvery = isGD
        ? Math.max(1, Math.floor(run.gdSteps / 40))
        : Math.max(1, Math.floor(stepsPerEpoch / run.alignSamplesPerEpoch));
      const Gstar = trueAgopEmpirical(task, data.X, run.n);
      const eta = halfSumRateForMeanLoss(etaMean, run.b);
      const trainer = new Trainer(net, data, {
        batchSize: run.b,
        seed: ctx.seed,
        schedule: { kind: 'constant', eta },
        maxSteps,
        stopMse: run.stopMse,
        // GD's loss comes free with its step; SGD's full ½Σ loss is taken below; the control checks
        // each step's batch kernel
        record: { every: 1, what: isGD ? ['trainLoss'] : run.control ? ['batchEtaCrit'] : [] },
      });
      const step: number[] = [];
      const loss: number[] = [];
      const alignStep: number[] = [];
      const align: number[] = [];
      let maxRatio = 0;
      let above = 0;
      let info;
      do {
        const t = trainer.state.step;
        if (t % alignEvery === 0) {
          alignStep.push(t);
          align.push(agopAlignment(agop(net, X), Gstar));
        }
        if (!isGD && (everyStep || t % lossEvery === 0)) {
          const f = net.predict(X);
          const l = halfSumSquaredLoss(f.dataSync(), data.y);
          f.dispose();
          // a blown-up loss is not a sample: the Trainer stops the run on this step's batch
          if (Number.isFinite(l)) {
            step.push(t);
            loss.push(l);
          }
        }
        info = trainer.step();
        const crit = info.recorded?.batchEtaCrit;
        if (crit !== undefined) {
          // η (½Σ units) against 2/λ_max of this step's batch: the same ratio as η̄ / (2b/λ_max)
          maxRatio = Math.max(maxRatio, eta / crit);
          if (eta >= crit) above++;
        }
        if (t % 50 === 0) ctx.progress(t, maxSteps);
      } while (!info.done);
      const tr = trainer.getTrace();
      trainer.dispose();
      const diverged = tr.divergedAt !== null;
      if (isGD) {
        step.push(...tr.steps);
        loss.push(...tr.series.trainLoss);
      }
      // the loss series the sampled count sees: every lossEvery-th step (all steps for GD)
      const keep = (_: number, i: number) => isGD || step[i] % lossEvery === 0;
      const sampledLoss = loss.filter(keep);
      const sampledStep = step.filter(keep);
      const events = detectCatapults(sampledLoss);
      // end-of-run measurements exist only for weights that did not blow up
      let G: Float64Array | null = null;
      let alignTrain: number | null = null;
      let alignTestPop: number | null = null;
      let testMse: number | null = null;
      let lambdaEnd: number | null = null;
      if (!diverged) {
        G = agop(net, X);
        alignTrain = agopAlignment(G, Gstar);
        alignTestPop = agopAlignment(agop(net, Xt), task.populationAgop());
        alignStep.push(trainer.state.step);
        align.push(alignTrain);
        const f = net.predict(Xt);
        testMse = meanSquaredError(f.dataSync(), test.y);
        f.dispose();
        lambdaEnd = lambdaMax(net, X);
      }
      const result: RunResult = {
        series: {
          step: sampledStep,
          trainLoss: sampledLoss,
          alignStep,
          align,
          agopBlock: G ? Array.from(agopBlock(G, run.d, Math.min(10, run.d))) : [],
          trueAgopBlock: Array.from(agopBlock(Gstar, run.d, Math.min(10, run.d))),
          catapultPeaks: events.filter((e) => !e.diverged).map((e) => sampledStep[e.peak]),
        },
        summary: {
          task: run.task,
          batchSize: run.b,
          control: run.control,
          etaMean,
          etaCritMean,
          etaOverFullCrit: run.etaFactor,
          medianBatchCrit,
          etaOverMedianBatchCrit: etaMean / medianBatchCrit,
          fracBatchesBelowEta: crits.length ? crits.filter((c) => c < etaMean).length / crits.length : 0,
          catapults: countCatapults(events),
          catapultsEveryStep: everyStep ? countCatapults(detectCatapults(loss)) : null,
          maxEtaOverBatchCrit: run.control ? maxRatio : null,
          stepsAboveBatchCrit: run.control ? above : null,
          alignTrain,
          alignTestPop,
          testMse,
          testLossOverVar: testMse === null ? null : testMse / varY,
          trainMse: diverged ? null : tr.finalTrainMse,
          lambdaStart: lambda0,
          lambdaEnd,
          steps: tr.stepsTaken,
          epochs: tr.stepsTaken / stepsPerEpoch,
          stopReason: tr.reason,
          divergedAt: tr.divergedAt,
          lossEvery,
        },
      };
      if (run.exportModel && !run.control && ctx.seed < run.seedCount && alignTrain !== null && testMse !== null) {
        const [U, v] = net.getWeights();
        result.model = {
          d: run.d,
          m: run.m,
          U,
          v,
          task: run.task,
          metrics: { agopAlignment: alignTrain, testLoss: testMse, trainLoss: tr.finalTrainMse },
        };
      }
      return result;
    } finally {
      setup.dispose();
    }
  },
});

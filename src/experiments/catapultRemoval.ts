/**
 * catapult-removal (chapter 3): does the catapult do the work? agop-batch-sweep's SGD runs (same
 * data, initial weights and batch order, paired by seed; same η̄ and stop rule) with the step size
 * changed per step by one of two rules (src/lib/catapultRegime.ts):
 *
 * - CAPPED: every step whose batch's critical rate 2b/λ_max(K(X_B; w_t)) is at or below η̄ is taken at
 *   capFraction × that rate, so no step is in its batch's catapult regime; all other steps unchanged.
 * - RATE-MATCHED (optional, run after the capped arm of the same seed): steps in the catapult regime
 *   are taken at η̄, and stable steps are shrunk so that the running sum of step sizes follows the
 *   capped arm's: the same mean step with the catapults kept. (Shrinking only as many stable steps as
 *   the capped arm shrank, by the same factors, is impossible at b = 5: about 70 % of batches are in
 *   their catapult regime at initialisation, more steps than there are stable ones.)
 *
 * The unmodified arm is agop-batch-sweep itself (not rerun). Logged at every step: the batch's ratio
 * ρ = η̄ / (2b/λ_max(K(X_B))) before any change and the factor φ = η_used/η̄ the Trainer applied; the
 * full training loss at every step for the first `everyStepSeeds` seeds (spikes and catapults are
 * counted there), else `lossSamplesPerEpoch` times an epoch (spike counts are then lower bounds).
 * A diverged arm is recorded as diverged, not thrown.
 */
import { z } from 'zod';
import { Trainer } from '../lib/train';
import { taskById, type Task } from '../lib/tasks';
import { batchLambdaMax, lambdaMax } from '../lib/tangentKernel';
import { agop, agopAlignment, trueAgopEmpirical } from '../lib/agop';
import { detectCatapults } from '../lib/catapults';
import { cappedFactor, cumulativeTarget, matchedFactor, spikesAndCatapults } from '../lib/catapultRegime';
import { BatchOrder } from '../lib/batchOrder';
import {
  criticalLearningRate,
  halfSumRateForMeanLoss,
  halfSumSquaredLoss,
  meanLossCriticalRate,
  meanSquaredError,
} from '../lib/criticalLearningRate';
import { Prng } from '../lib/prng';
import { baseSeed, batchSize, positiveInt, positiveReal, seeds, width } from './schema';
import { defineExperiment, type GridPoint, type RunContext, type RunResult } from './types';
import { defineOutputs } from './outputs';
import { regressionSetup } from './shallowSetup';

const configSchema = z
  .object({
    tasks: z.array(z.enum(['rank2', 'rank4'])).nonempty('tasks must list rank2 and/or rank4'),
    n: positiveInt('n (training points)'),
    nTest: positiveInt('nTest (test points)'),
    d: positiveInt('d (input dimension)'),
    m: width(),
    batchSizes: z.array(batchSize()).nonempty('batchSizes must list at least one SGD batch size'),
    etaFactor: positiveReal('etaFactor (η̄ in units of the full-set critical rate 2n/λ_max(K))'),
    capFraction: z
      .number()
      .gt(0, 'capFraction (capped steps are taken at this fraction of their batch’s critical rate) must be > 0')
      .lt(1, 'capFraction must be < 1: at 1 a capped step sits exactly at its batch’s critical rate'),
    matched: z.boolean({ message: 'matched (also run the rate-matched arm) must be true or false' }),
    sgdEpochs: positiveInt('sgdEpochs (epoch cap; the stop rule should end every run first)'),
    stopMse: positiveReal('stopMse (stop at an epoch end once the train MSE is below this)'),
    lossSamplesPerEpoch: positiveInt('lossSamplesPerEpoch (full-train-loss evaluations per epoch when not every step)'),
    everyStepSeeds: z
      .number()
      .int()
      .nonnegative('everyStepSeeds (seeds whose full training loss is evaluated at every step) must be ≥ 0'),
    alignSamplesPerEpoch: positiveInt('alignSamplesPerEpoch (AGOP evaluations per epoch)'),
    seeds: seeds(),
    baseSeed: baseSeed(),
  })
  .strict()
  .superRefine((c, ctx) => {
    c.batchSizes.forEach((b, i) => {
      if (b >= c.n)
        ctx.addIssue({
          code: 'custom',
          path: ['batchSizes', i],
          message: `batch size ${b} is not below n = ${c.n}: this test is about SGD's batches`,
        });
    });
  });
export type CatapultRemovalConfig = z.infer<typeof configSchema>;

type Run = Omit<CatapultRemovalConfig, 'tasks' | 'batchSizes' | 'seeds' | 'baseSeed'> & {
  task: 'rank2' | 'rank4';
  b: number;
};

/** The two arms this experiment runs, in the order it runs them. */
export const ARMS = ['capped', 'matched'] as const;
export type Arm = (typeof ARMS)[number];

const stopReason = z.enum(['maxSteps', 'converged', 'diverged']);
/** Summary fields of one arm; the rate-matched arm's are null when it was not run. */
const armFields = (arm: Arm, orNull: boolean) => {
  const num = orNull ? z.number().nullable() : z.number();
  const int = orNull ? z.number().int().nullable() : z.number().int();
  return {
    [`${arm}Stop`]: orNull ? stopReason.nullable() : stopReason,
    [`${arm}DivergedAt`]: z.number().int().nullable(),
    [`${arm}Steps`]: int,
    [`${arm}Epochs`]: num,
    /** AGOP alignment with the empirical true AGOP on the training inputs (null if diverged). */
    [`${arm}Align`]: z.number().nullable(),
    /** Alignment on the test inputs against the population AGOP (null if diverged). */
    [`${arm}AlignTestPop`]: z.number().nullable(),
    [`${arm}TestMse`]: z.number().nullable(),
    [`${arm}TestLossOverVar`]: z.number().nullable(),
    [`${arm}TrainMse`]: z.number().nullable(),
    /** Mean over the steps taken of φ = η_used / η̄. */
    [`${arm}MeanFactor`]: num,
    /** Steps taken with φ < 1. */
    [`${arm}StepsShrunk`]: int,
    /** Steps whose batch was in its catapult regime before any change (ρ ≥ 1). */
    [`${arm}StepsInRegime`]: int,
    /** Steps actually taken at or above their batch's critical rate (φ·ρ ≥ 1). */
    [`${arm}StepsAboveCrit`]: int,
    /** The largest φ·ρ over the steps taken. */
    [`${arm}MaxUsedOverCrit`]: num,
    /** Spikes and catapults on the every-step loss (null when the loss was sampled). */
    [`${arm}Spikes`]: z.number().int().nullable(),
    [`${arm}Catapults`]: z.number().int().nullable(),
    /** Spikes on the sampled loss (every lossEvery-th step): a lower bound of the spikes. */
    [`${arm}SpikesSampled`]: int,
  };
};

const outputs = defineOutputs({
  name: 'run',
  summarySchema: z
    .object({
      task: z.enum(['rank2', 'rank4']),
      batchSize: z.number().int(),
      capFraction: z.number(),
      etaMean: z.number(),
      etaCritMean: z.number(),
      etaOverFullCrit: z.number(),
      lossEvery: z.number().int(),
      everyStep: z.boolean(),
      lambdaStart: z.number(),
      ...armFields('capped', false),
      ...armFields('matched', true),
    })
    .strict(),
  seriesNames: ['cappedLossStep', 'cappedLoss', 'cappedRatio', 'cappedFactor', 'cappedAlignStep', 'cappedAlign'],
  optionalSeriesNames: [
    'matchedLossStep',
    'matchedLoss',
    'matchedRatio',
    'matchedFactor',
    'matchedAlignStep',
    'matchedAlign',
  ],
});

/** What one arm of a run leaves: its summary fields and series (names without the arm prefix). */
interface ArmResult {
  summary: Record<string, number | string | boolean | null>;
  series: {
    lossStep: number[];
    loss: number[];
    ratio: number[];
    factor: number[];
    alignStep: number[];
    align: number[];
  };
  /** Running sum of φ after each step taken (the rate-matched arm's target). */
  cumulative: Float64Array;
}

/**
 * One arm from the seed's initial weights: `factorAt(t, ρ, sofar)` gives step t's φ from its batch's
 * ratio ρ = η̄/(2b/λ_max(K(X_B; w_t))) and the running sum of φ before step t.
 */
function runArm(
  run: Run,
  task: Task,
  ctx: RunContext,
  factorAt: (t: number, ratio: number, sofar: number) => number,
  progressOffset: number,
  progressTotal: number,
): ArmResult {
  // the sweep's set-up from the seed's own stream: the same data, test set and weights as its runs
  const setup = regressionSetup(new Prng(ctx.seed), task, run.n, run.nTest, run.m);
  const { data, test, net, X, Xt, testVariance } = setup;
  try {
    const etaMean = run.etaFactor * meanLossCriticalRate(lambdaMax(net, X), run.n);
    const eta = halfSumRateForMeanLoss(etaMean, run.b);
    const stepsPerEpoch = Math.ceil(run.n / run.b);
    const maxSteps = run.sgdEpochs * stepsPerEpoch;
    const everyStep = ctx.seed < run.everyStepSeeds;
    const lossEvery = Math.max(1, Math.floor(stepsPerEpoch / run.lossSamplesPerEpoch));
    const alignEvery = Math.max(1, Math.floor(stepsPerEpoch / run.alignSamplesPerEpoch));
    const Gstar = trueAgopEmpirical(task, data.X, run.n);
    const trainer = new Trainer(net, data, {
      batchSize: run.b,
      seed: ctx.seed,
      schedule: { kind: 'constant', eta },
      maxSteps,
      stopMse: run.stopMse,
      // the batch and η of every step, as the Trainer took them
      record: { every: 1, what: ['batchIndices'] },
    });
    const order = new BatchOrder(run.n, run.b, ctx.seed);
    const s: ArmResult['series'] = { lossStep: [], loss: [], ratio: [], factor: [], alignStep: [], align: [] };
    const cumulative: number[] = [];
    let sofar = 0;
    try {
      for (;;) {
        const t = trainer.state.step;
        const idx = order.next();
        const ratio = eta / criticalLearningRate(batchLambdaMax(net, X, idx));
        trainer.setLearningRate(eta * factorAt(t, ratio, sofar));
        if (everyStep || t % lossEvery === 0) {
          const f = net.predict(X);
          s.lossStep.push(t);
          s.loss.push(halfSumSquaredLoss(f.dataSync(), data.y));
          f.dispose();
        }
        if (t % alignEvery === 0) {
          s.alignStep.push(t);
          s.align.push(agopAlignment(agop(net, X), Gstar));
        }
        const info = trainer.step();
        if (trainer.state.step === t + 1) {
          const tr = trainer.getTrace();
          const taken = tr.batchIndices![tr.batchIndices!.length - 1];
          if (taken.length !== idx.length || taken.some((v, i) => v !== idx[i]))
            throw new Error(
              `catapult-removal: step ${t} took batch [${taken.join(', ')}] but BatchOrder gave [${idx.join(', ')}]; src/lib/batchOrder.ts no longer follows the Trainer's batching`,
            );
          const phi = tr.series.eta[tr.series.eta.length - 1] / eta;
          s.ratio.push(ratio);
          s.factor.push(phi);
          sofar += phi;
          cumulative.push(sofar);
        }
        if (t % 200 === 0) ctx.progress(progressOffset + t, progressTotal);
        if (info.done) break;
      }
      const tr = trainer.getTrace();
      const diverged = tr.divergedAt !== null;
      const used = s.factor.map((phi, i) => phi * s.ratio[i]);
      // spikes on the every-step loss: loss index i is step i, the step whose update made the rise
      const sampledEvents = detectCatapults(s.loss.filter((_, i) => s.lossStep[i] % lossEvery === 0));
      const counted = everyStep ? spikesAndCatapults(detectCatapults(s.loss), (i) => used[s.lossStep[i]] ?? 0) : null;
      let align: number | null = null;
      let alignTestPop: number | null = null;
      let testMse: number | null = null;
      if (!diverged) {
        align = agopAlignment(agop(net, X), Gstar);
        alignTestPop = agopAlignment(agop(net, Xt), task.populationAgop());
        s.alignStep.push(trainer.state.step);
        s.align.push(align);
        const f = net.predict(Xt);
        testMse = meanSquaredError(f.dataSync(), test.y);
        f.dispose();
      }
      const steps = s.factor.length;
      return {
        series: s,
        cumulative: Float64Array.from(cumulative),
        summary: {
          Stop: tr.reason,
          DivergedAt: tr.divergedAt,
          Steps: steps,
          Epochs: steps / stepsPerEpoch,
          Align: align,
          AlignTestPop: alignTestPop,
          TestMse: testMse,
          TestLossOverVar: testMse === null ? null : testMse / testVariance,
          TrainMse: diverged ? null : tr.finalTrainMse,
          MeanFactor: steps ? sofar / steps : 1,
          StepsShrunk: s.factor.filter((phi) => phi < 1).length,
          StepsInRegime: s.ratio.filter((r) => r >= 1).length,
          StepsAboveCrit: used.filter((u) => u >= 1).length,
          MaxUsedOverCrit: used.reduce((a, u) => Math.max(a, u), 0),
          Spikes: counted?.spikes ?? null,
          Catapults: counted?.catapults ?? null,
          SpikesSampled: sampledEvents.filter((e) => !e.diverged).length,
        },
      };
    } finally {
      trainer.dispose();
    }
  } finally {
    setup.dispose();
  }
}

const prefixed = (arm: Arm, r: ArmResult | null) => {
  const summary = Object.fromEntries(
    Object.entries(r?.summary ?? emptyArm).map(([k, v]) => [`${arm}${k}`, r ? v : null]),
  );
  const series = r
    ? {
        [`${arm}LossStep`]: r.series.lossStep,
        [`${arm}Loss`]: r.series.loss,
        [`${arm}Ratio`]: r.series.ratio,
        [`${arm}Factor`]: r.series.factor,
        [`${arm}AlignStep`]: r.series.alignStep,
        [`${arm}Align`]: r.series.align,
      }
    : {};
  return { summary, series };
};
// the summary keys of an arm that was not run (all null)
const emptyArm = Object.fromEntries(
  Object.keys(armFields('matched', true)).map((k) => [k.slice('matched'.length), null]),
);

export const catapultRemoval = defineExperiment<CatapultRemovalConfig, Run, typeof outputs>({
  id: 'catapult-removal',
  title: 'Does the catapult do the work? SGD with every catapult-regime step capped',
  description:
    'agop-batch-sweep’s SGD runs (rank-2 and rank-4, n = 2000, m = 1024, η̄ = 0.5 of the full-set rate, batch 5 and 10, same data, weights and batch order) with every step whose batch’s critical rate is at or below η̄ taken at 0.9 of that rate (capped arm), and a rate-matched arm that keeps those steps and shrinks stable ones to the capped arm’s mean step; alignment, test loss, spikes and catapults per arm.',
  version: 1,
  usesTfjs: true,
  seriesAxes: {
    cappedLoss: 'cappedLossStep',
    cappedFactor: 'cappedRatio',
    cappedAlign: 'cappedAlignStep',
    matchedLoss: 'matchedLossStep',
    matchedFactor: 'matchedRatio',
    matchedAlign: 'matchedAlignStep',
  },
  schema: configSchema,
  outputs,
  profiles: {
    paper: {
      tasks: ['rank2', 'rank4'],
      n: 2000,
      nTest: 5000,
      d: 100,
      m: 1024,
      batchSizes: [5, 10],
      etaFactor: 0.5,
      capFraction: 0.9,
      matched: true,
      sgdEpochs: 200,
      stopMse: 1e-3,
      lossSamplesPerEpoch: 40,
      everyStepSeeds: 2,
      alignSamplesPerEpoch: 2,
      seeds: 5,
      baseSeed: 0,
    },
    quick: {
      tasks: ['rank2'],
      n: 64,
      nTest: 64,
      d: 8,
      m: 64,
      batchSizes: [4],
      etaFactor: 0.5,
      capFraction: 0.9,
      matched: true,
      sgdEpochs: 3,
      stopMse: 1e-3,
      lossSamplesPerEpoch: 8,
      everyStepSeeds: 1,
      alignSamplesPerEpoch: 1,
      seeds: 1,
      baseSeed: 0,
    },
  },
  expand(cfg): GridPoint<Run>[] {
    const { tasks, batchSizes, seeds: _s, baseSeed: _b, ...rest } = cfg;
    return tasks.flatMap((task) => batchSizes.map((b) => ({ key: `${task}-b${b}`, config: { ...rest, task, b } })));
  },
  run(run, ctx): RunResult {
    const task = taskById(run.task, run.d);
    const setup = regressionSetup(new Prng(ctx.seed), task, run.n, run.nTest, run.m);
    const lambda0 = lambdaMax(setup.net, setup.X);
    setup.dispose();
    const etaCritMean = meanLossCriticalRate(lambda0, run.n);
    const total = (run.matched ? 2 : 1) * run.sgdEpochs * Math.ceil(run.n / run.b);
    const capped = runArm(run, task, ctx, (_t, ratio) => cappedFactor(ratio, run.capFraction), 0, total);
    const matched = run.matched
      ? runArm(
          run,
          task,
          ctx,
          (t, ratio, sofar) => matchedFactor(ratio, cumulativeTarget(capped.cumulative, t), sofar),
          total / 2,
          total,
        )
      : null;
    const c = prefixed('capped', capped);
    const m = prefixed('matched', matched);
    return {
      series: { ...c.series, ...m.series },
      summary: {
        task: run.task,
        batchSize: run.b,
        capFraction: run.capFraction,
        etaMean: run.etaFactor * etaCritMean,
        etaCritMean,
        etaOverFullCrit: run.etaFactor,
        lossEvery: Math.max(1, Math.floor(Math.ceil(run.n / run.b) / run.lossSamplesPerEpoch)),
        everyStep: ctx.seed < run.everyStepSeeds,
        lambdaStart: lambda0,
        ...c.summary,
        ...m.summary,
      },
    };
  },
});

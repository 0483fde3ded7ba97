/**
 * agop-gd-catapults (chapter 3): catapults raise AGOP alignment even without SGD noise. Full-batch
 * GD on the rank-2 task with the shallow ReLU net, from the same data and initialisation:
 *   - 'below': constant η below η_crit (linear regime, no catapult),
 *   - 'above': constant η between η_crit and η_max (one catapult at the start),
 *   - 'ladder': η raised at listed steps to factor × η_crit(w_t) = factor × 2/λ_max(K(w_t)), so each
 *     raise starts a new catapult from the flatter kernel the previous one left.
 * Per step the full training loss (½Σ); every `alignEvery` steps the AGOP alignment on the training
 * inputs against the empirical true AGOP of the same inputs, and the test MSE. For each detected
 * catapult the alignment just before its rise and just after it ends, so "each catapult lifts the
 * alignment" is read off the trace (see `lifts` below for the rule). Loss convention ½Σ(f−y)², η_crit = 2/λ_max(K(w0)).
 */
import { z } from 'zod';
import { Trainer, type LrSchedule } from '../lib/train';
import { taskById } from '../lib/tasks';
import { lambdaMax } from '../lib/tangentKernel';
import { agop, agopAlignment, agopBlock, trueAgopEmpirical } from '../lib/agop';
import { detectCatapults } from '../lib/catapults';
import { criticalLearningRate, meanSquaredError } from '../lib/criticalLearningRate';
import { baseSeed, positiveInt, positiveReal, seeds, width } from './schema';
import { defineExperiment, type GridPoint, type RunResult } from './types';
import { regressionSetup } from './shallowSetup';
import { defineOutputs } from './outputs';

/** The three GD schedules of this experiment. */
export const GD_CATAPULT_KINDS = ['below', 'above', 'ladder'] as const;
export type GdCatapultKind = (typeof GD_CATAPULT_KINDS)[number];

const configSchema = z
  .object({
    task: z.enum(['rank2', 'rank4'], { error: () => "task must be 'rank2' or 'rank4'" }),
    n: positiveInt('n (training points)'),
    nTest: positiveInt('nTest (test points)'),
    d: positiveInt('d (input dimension)'),
    m: width(),
    steps: positiveInt('steps (GD steps per run)'),
    belowRatio: positiveReal('belowRatio (η/η_crit of the run below η_crit)').max(
      0.999,
      'belowRatio must be < 1 (below η_crit)',
    ),
    aboveRatio: positiveReal('aboveRatio (η/η_crit of the run above η_crit)').min(
      1.001,
      'aboveRatio must be > 1 (above η_crit)',
    ),
    ladder: z
      .object({
        factor: positiveReal('ladder.factor (each raise sets η = factor × 2/λ_max(K(w_t)))').min(
          1.001,
          'ladder.factor must be > 1 to start a catapult',
        ),
        atSteps: z
          .array(z.number().int('ladder.atSteps must be whole steps').nonnegative('ladder.atSteps must be ≥ 0'))
          .nonempty('ladder.atSteps must list the raise steps, starting at 0'),
      })
      .strict(),
    alignEvery: positiveInt('alignEvery (steps between AGOP-alignment and test-loss evaluations)'),
    seeds: seeds(),
    baseSeed: baseSeed(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const a = c.ladder.atSteps;
    if (a[0] !== 0 || a.some((s, i) => i > 0 && s <= a[i - 1])) {
      ctx.addIssue({
        code: 'custom',
        path: ['ladder', 'atSteps'],
        message: `ladder.atSteps must increase and start at 0, got [${a.join(', ')}]`,
      });
    }
    if (a[a.length - 1] >= c.steps) {
      ctx.addIssue({
        code: 'custom',
        path: ['ladder', 'atSteps'],
        message: `the last raise (${a[a.length - 1]}) must come before steps = ${c.steps}`,
      });
    }
  });
export type AgopGdCatapultsConfig = z.infer<typeof configSchema>;

type Run = Omit<AgopGdCatapultsConfig, 'seeds' | 'baseSeed' | 'belowRatio' | 'aboveRatio' | 'ladder'> & {
  kind: GdCatapultKind;
  etaRatio: number | null;
  ladder: AgopGdCatapultsConfig['ladder'] | null;
};

const outputs = defineOutputs({
  name: 'run',
  summarySchema: z
    .object({
      task: z.enum(['rank2', 'rank4']),
      kind: z.enum(GD_CATAPULT_KINDS),
      lambda0: z.number(),
      etaCrit: z.number(),
      // null for the ladder; ladderFactor is null for the constant schedules
      etaRatio: z.number().nullable(),
      ladderFactor: z.number().nullable(),
      finalEtaOverCrit0: z.number(),
      divergedAt: z.number().int().nullable(),
      catapults: z.number().int(),
      catapultsLiftingAlignment: z.number().int(),
      alignStart: z.number(),
      // null when the run diverged
      alignEnd: z.number().nullable(),
      alignTestPop: z.number().nullable(),
      testMseStart: z.number(),
      testMse: z.number().nullable(),
      testLossOverVar: z.number().nullable(),
      trainMse: z.number().nullable(),
      varTestY: z.number(),
      lambdaEnd: z.number().nullable(),
      steps: z.number().int(),
    })
    .strict(),
  seriesNames: [
    'step',
    'trainLoss',
    'etaOverCrit0',
    'alignStep',
    'align',
    'testLoss',
    'catapultPeaks',
    'alignBeforeCatapult',
    'alignAfterCatapult',
    'alignStageEnd',
    'raiseSteps',
    'lambdaAtRaise',
    'agopBlock',
    'trueAgopBlock',
  ],
});

/** Nearest recorded index at or before `step` (−1 if none) in an increasing list of steps. */
function atOrBefore(steps: number[], step: number): number {
  let k = -1;
  for (let i = 0; i < steps.length && steps[i] <= step; i++) k = i;
  return k;
}

/** Nearest recorded index at or after `step` (−1 if none). */
function atOrAfter(steps: number[], step: number): number {
  return steps.findIndex((s) => s >= step);
}

export const agopGdCatapults = defineExperiment<AgopGdCatapultsConfig, Run, typeof outputs>({
  id: 'agop-gd-catapults',
  title: 'GD with catapults: AGOP alignment below η_crit, above it, and with a learning-rate ladder',
  description:
    'Full-batch GD on rank-2 regression (n = 2000, d = 100) with the shallow ReLU net (m = 1024): η below η_crit, η above η_crit, and η raised step by step above each new η_crit; AGOP alignment and test loss over training.',
  version: 1,
  usesTfjs: true,
  seriesAxes: {
    trainLoss: 'step',
    etaOverCrit0: 'step',
    align: 'alignStep',
    testLoss: 'alignStep',
    alignBeforeCatapult: 'catapultPeaks',
    alignAfterCatapult: 'catapultPeaks',
    alignStageEnd: 'catapultPeaks',
    lambdaAtRaise: 'raiseSteps',
  },
  schema: configSchema,
  outputs,
  profiles: {
    paper: {
      task: 'rank2',
      n: 2000,
      nTest: 5000,
      d: 100,
      m: 1024,
      steps: 800,
      belowRatio: 0.5,
      aboveRatio: 1.4,
      ladder: { factor: 1.3, atSteps: [0, 200, 400, 600] },
      alignEvery: 4,
      seeds: 3,
      baseSeed: 0,
    },
    quick: {
      task: 'rank2',
      n: 64,
      nTest: 128,
      d: 8,
      m: 128,
      steps: 60,
      belowRatio: 0.5,
      aboveRatio: 1.4,
      ladder: { factor: 1.3, atSteps: [0, 30] },
      alignEvery: 2,
      seeds: 1,
      baseSeed: 0,
    },
  },
  expand(cfg): GridPoint<Run>[] {
    const { seeds: _s, baseSeed: _b, belowRatio, aboveRatio, ladder, ...rest } = cfg;
    return [
      { key: 'below', config: { ...rest, kind: 'below', etaRatio: belowRatio, ladder: null } },
      { key: 'above', config: { ...rest, kind: 'above', etaRatio: aboveRatio, ladder: null } },
      { key: 'ladder', config: { ...rest, kind: 'ladder', etaRatio: null, ladder } },
    ];
  },
  run(run, ctx): RunResult {
    const task = taskById(run.task, run.d);
    // Same data, test set and weights for the three schedules of a seed.
    const setup = regressionSetup(ctx.prng, task, run.n, run.nTest, run.m);
    const { data, test, net, X, Xt, testVariance: varY } = setup;
    try {
      const lambda0 = lambdaMax(net, X);
      const etaCrit = criticalLearningRate(lambda0);
      const schedule: LrSchedule =
        run.kind === 'ladder'
          ? { kind: 'catapult-ladder', factor: run.ladder!.factor, atSteps: [...run.ladder!.atSteps] }
          : { kind: 'constant', eta: run.etaRatio! * etaCrit };
      const Gstar = trueAgopEmpirical(task, data.X, run.n);
      const testMse = () => {
        const f = net.predict(Xt);
        const v = meanSquaredError(f.dataSync(), test.y);
        f.dispose();
        return v;
      };
      const trainer = new Trainer(net, data, {
        schedule,
        maxSteps: run.steps,
        record: { every: 1, what: ['trainLoss'] },
      });
      const alignStep: number[] = [];
      const align: number[] = [];
      const testLoss: number[] = [];
      const measure = (t: number) => {
        alignStep.push(t);
        align.push(agopAlignment(agop(net, X), Gstar));
        testLoss.push(testMse());
      };
      let info;
      do {
        const t = trainer.state.step;
        if (t % run.alignEvery === 0) measure(t);
        info = trainer.step();
        if (t % 20 === 0) ctx.progress(t, run.steps);
      } while (!info.done);
      const tr = trainer.getTrace();
      trainer.dispose();
      // A diverged run is kept (its trace shows where it blew up) but gets no end-of-run measures.
      const diverged = tr.divergedAt !== null;
      const end = tr.stepsTaken;
      if (!diverged && alignStep[alignStep.length - 1] !== end) measure(end);
      const loss = tr.series.trainLoss;
      const eta = tr.series.eta;
      const events = detectCatapults(loss).filter((e) => !e.diverged);
      // Per catapult: alignment just before its rise, right after it ends, and at the end of its stage
      // (the next catapult's rise, or the end of the run): the spike itself can dip the alignment,
      // the gain shows once the loss has come down again.
      const lifts = events.map((e, k) => {
        const i0 = atOrBefore(alignStep, tr.steps[e.start]);
        const i1 = atOrAfter(alignStep, tr.steps[e.end!]);
        const i2 = k + 1 < events.length ? atOrBefore(alignStep, tr.steps[events[k + 1].start]) : align.length - 1;
        return {
          peakStep: tr.steps[e.peak],
          before: align[i0] ?? NaN,
          after: align[i1] ?? NaN,
          stageEnd: align[i2] ?? NaN,
        };
      });
      const raises = run.ladder ? run.ladder.atSteps : [0];
      const G = diverged ? null : agop(net, X);
      const lambdaEnd = diverged ? null : lambdaMax(net, X);
      const last = <T>(xs: T[]) => (diverged ? null : xs[xs.length - 1]);
      ctx.progress(run.steps, run.steps);
      return {
        series: {
          step: tr.steps,
          trainLoss: loss,
          etaOverCrit0: eta.map((v) => v / etaCrit),
          alignStep,
          align,
          testLoss,
          catapultPeaks: lifts.map((l) => l.peakStep),
          alignBeforeCatapult: lifts.map((l) => l.before),
          alignAfterCatapult: lifts.map((l) => l.after),
          alignStageEnd: lifts.map((l) => l.stageEnd),
          raiseSteps: [...raises],
          // λ_max(K(w_t)) at each raise, recovered from η = factor × 2/λ_max (ladder only).
          lambdaAtRaise: run.ladder
            ? raises.map((s) => (2 * run.ladder!.factor) / eta[tr.steps.indexOf(s)])
            : [lambda0],
          agopBlock: G ? Array.from(agopBlock(G, run.d, Math.min(10, run.d))) : [],
          trueAgopBlock: Array.from(agopBlock(Gstar, run.d, Math.min(10, run.d))),
        },
        summary: {
          task: run.task,
          kind: run.kind,
          lambda0,
          etaCrit,
          etaRatio: run.etaRatio,
          ladderFactor: run.ladder?.factor ?? null,
          finalEtaOverCrit0: eta[eta.length - 1] / etaCrit,
          divergedAt: tr.divergedAt,
          catapults: events.length,
          catapultsLiftingAlignment: lifts.filter((l) => l.stageEnd > l.before).length,
          alignStart: align[0],
          alignEnd: last(align),
          alignTestPop: diverged ? null : agopAlignment(agop(net, Xt), task.populationAgop()),
          testMseStart: testLoss[0],
          testMse: last(testLoss),
          testLossOverVar: diverged ? null : testLoss[testLoss.length - 1] / varY,
          trainMse: diverged ? null : tr.finalTrainMse,
          varTestY: varY,
          lambdaEnd,
          steps: end,
        },
      };
    } finally {
      setup.dispose();
    }
  },
});

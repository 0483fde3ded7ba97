/**
 * multi-catapult (chapter 2, the ladder figure): multiple catapults with increasing learning rates. Full-batch
 * GD on a 14×14 MNIST subset (sgdMnist.ts) with the shallow ReLU net, the 5-layer FCN, the 5-layer
 * CNN and (for the factor sweep) the CNN with a dense readout; one run per architecture and factor.
 * At each listed step η is raised to factor × 2/λ_max(K(w_t)) (the Trainer's
 * 'catapult-ladder' schedule), i.e. above the critical rate of the current, already flattened
 * kernel. Per step the training loss (½Σ); every `lambdaEvery` steps λ_max(K(w_t)) on the training
 * set. Per stage (between raises) we report λ_max at its start and end and whether it ended below
 * 2/η of that stage: each raise should give a catapult after which λ_max < 2/η. A run whose kernel
 * vanishes (λ_max(K) = 0: every unit dead, so no gradient moves it again and no raise is defined) stops
 * at that raise and says so (`kernelVanishedAt`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { Trainer } from '../lib/train';
import { lambdaMax } from '../lib/tangentKernel';
import { detectCatapults } from '../lib/catapults';
import { criticalLearningRate, halfSumSquaredLoss } from '../lib/criticalLearningRate';
import { baseSeed, positiveInt, positiveReal, seeds } from './schema';
import type { StepInfo, TrainTrace } from '../lib/train';
import type { Dataset, ScalarModel } from '../lib/models/model';
import { defineExperiment, type GridPoint, type RunResult } from './types';
import { defineOutputs, RUN_END_SUMMARY, runEndSummary } from './outputs';
import { ARCH_SIZES, archList, chapter2Setup, expandByArch } from './sgdMnist';

const LADDER_ARCHS = ['shallow', 'fcn', 'cnn', 'cnn-dense'] as const;
type LadderArch = (typeof LADDER_ARCHS)[number];

const configSchema = z
  .object({
    archs: archList(LADDER_ARCHS),
    perClass: positiveInt('perClass (training images per digit; n = 10·perClass)'),
    steps: positiveInt('steps (GD steps per run)'),
    factors: z
      .array(
        positiveReal('factors (each raise sets η = factor × 2/λ_max(K(w_t)))').min(
          1.001,
          'every factor must be > 1 to start a catapult',
        ),
      )
      .nonempty('factors must list at least one factor'),
    atSteps: z
      .array(z.number().int('atSteps must be whole steps').nonnegative('atSteps must be ≥ 0'))
      .nonempty('atSteps must list the raise steps, starting at 0'),
    lambdaEvery: positiveInt('lambdaEvery (steps between λ_max evaluations)'),
    seeds: seeds(),
    baseSeed: baseSeed(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const a = c.atSteps;
    if (a[0] !== 0 || a.some((s, i) => i > 0 && s <= a[i - 1]))
      ctx.addIssue({
        code: 'custom',
        path: ['atSteps'],
        message: `atSteps must increase and start at 0, got [${a.join(', ')}]`,
      });
    if (a[a.length - 1] >= c.steps)
      ctx.addIssue({
        code: 'custom',
        path: ['atSteps'],
        message: `the last raise (${a[a.length - 1]}) must come before steps = ${c.steps}`,
      });
  });
export type MultiCatapultConfig = z.infer<typeof configSchema>;

type Run = Omit<MultiCatapultConfig, 'seeds' | 'baseSeed' | 'archs' | 'factors'> & { arch: LadderArch; factor: number };

const outputs = defineOutputs({
  name: 'run',
  summarySchema: z
    .object({
      arch: z.enum(LADDER_ARCHS),
      archSize: z.string(),
      numParams: z.number().int(),
      n: z.number().int(),
      lambda0: z.number(),
      etaCrit0: z.number(),
      finalEtaOverCrit0: z.number(),
      stages: z.number().int(),
      stagesComplete: z.number().int(),
      maxStageEtaLambdaEndOver2: z.number().nullable(),
      stagesWithLambdaDrop: z.number().int(),
      stagesEndingBelow: z.number().int(),
      stagesWithSpike: z.number().int(),
      // null when the run diverged
      lambdaEnd: z.number().nullable(),
      // the raise step at which λ_max(K) was 0 (every unit dead; the run stops there), else null
      kernelVanishedAt: z.number().int().nullable(),
      // null for models without pooled channels (or without a second stage)
      liveChannelsStart: z.number().int().nullable(),
      liveChannelsAfterFirstStage: z.number().int().nullable(),
      ...RUN_END_SUMMARY,
    })
    .strict(),
  seriesNames: [
    'step',
    'trainLoss',
    'eta',
    'lambdaStep',
    'lambdaMax',
    'raiseSteps',
    'stageEta',
    'stageLambdaStart',
    'stageLambdaEnd',
    'stageEtaLambdaEnd',
    'stageBelowTwoOverEta',
    'stageSpikes',
    'spikePeak',
  ],
  // CNN only: last-layer channels alive on the training set, beside each λ_max
  optionalSeriesNames: ['liveChannels'],
});

/** What one ladder run measured: the Trainer's trace, λ_max(K) on the training set at `lambdaStep`, and why it stopped. */
export interface LadderClimb {
  trace: TrainTrace;
  lambdaStep: number[];
  lambdaMax: number[];
  /** Live last-layer channels beside each λ_max (models with pooled channels only), else null. */
  liveChannels: number[] | null;
  /** The raise step at which λ_max(K) was 0, else null. */
  kernelVanishedAt: number | null;
  /** ½Σ training loss at the final weights (NaN after a divergence). */
  finalTrainLoss: number;
}

/**
 * Full-batch GD on ½Σ with η raised at each of `atSteps` to factor × 2/λ_max(K(w_t)) (the Trainer's ladder), measuring
 * λ_max(K) on X every `lambdaEvery` steps, at every raise and at the end. It stops at a raise that finds λ_max(K) = 0:
 * every unit is dead, so 2/λ_max is undefined and no gradient would move the weights again.
 */
export function climbLadder(
  net: ScalarModel,
  data: Dataset,
  X: tf.Tensor2D,
  ladder: { factor: number; atSteps: readonly number[]; steps: number; lambdaEvery: number },
  progress: (t: number) => void = () => {},
): LadderClimb {
  const trainer = new Trainer(net, data, {
    schedule: { kind: 'catapult-ladder', factor: ladder.factor, atSteps: [...ladder.atSteps] },
    maxSteps: ladder.steps,
    record: { every: 1, what: ['trainLoss'] },
  });
  const lambdaStep: number[] = [];
  const lam: number[] = [];
  // CNN only: last-layer channels alive on the training set, beside each λ_max (a collapse check).
  const countLive = net.liveChannels?.bind(net) ?? null;
  const live: number[] = [];
  const measure = (t: number) => {
    lambdaStep.push(t);
    lam.push(lambdaMax(net, X));
    if (countLive) live.push(countLive(X));
  };
  // runWithMeasurements' loop, with one more way to end: a raise that finds the kernel gone.
  let kernelVanishedAt: number | null = null;
  let info: StepInfo;
  try {
    do {
      const t = trainer.state.step;
      const raise = ladder.atSteps.includes(t);
      if (raise || t % ladder.lambdaEvery === 0) measure(t);
      if (raise && !(lam[lam.length - 1] > 0)) {
        kernelVanishedAt = t;
        break;
      }
      info = trainer.step();
      if (t % 10 === 0) progress(t);
    } while (!info.done);
  } finally {
    trainer.dispose();
  }
  const trace = trainer.getTrace();
  if (trace.divergedAt === null && lambdaStep[lambdaStep.length - 1] !== trace.stepsTaken) measure(trace.stepsTaken);
  return {
    trace,
    lambdaStep,
    lambdaMax: lam,
    liveChannels: countLive ? live : null,
    kernelVanishedAt,
    // the Trainer has not finished a run stopped at a vanished kernel, so its loss is taken at the weights left
    finalTrainLoss: kernelVanishedAt === null ? trace.finalTrainLoss : halfSumSquaredLoss(outputsAt(net, X), data.y),
  };
}

/** f(X) at the current weights, as a plain array. */
function outputsAt(net: ScalarModel, X: tf.Tensor2D): Float32Array {
  const f = net.predict(X);
  const out = Float32Array.from(f.dataSync());
  f.dispose();
  return out;
}

export const multiCatapult = defineExperiment<MultiCatapultConfig, Run, typeof outputs>({
  id: 'multi-catapult',
  title: 'Multiple catapults with increasing learning rates: shallow net, 5-layer FCN and 5-layer CNN',
  description:
    'Full-batch GD on 130 MNIST digits (14×14, parity labels); η raised at fixed steps to 1.4 × 2/λ_max(K(w_t)); training loss and λ_max of the tangent kernel.',
  version: 3,
  usesTfjs: true,
  // Stage ends are one shorter than raiseSteps after a divergence, so they are not tied to it.
  seriesAxes: {
    trainLoss: 'step',
    eta: 'step',
    lambdaMax: 'lambdaStep',
    liveChannels: { axis: 'lambdaStep', optional: true },
    stageEta: 'raiseSteps',
    stageLambdaStart: 'raiseSteps',
    stageSpikes: 'raiseSteps',
  },
  schema: configSchema,
  outputs,
  profiles: {
    paper: {
      archs: ['shallow', 'fcn', 'cnn'],
      perClass: 13,
      steps: 240,
      factors: [1.4],
      atSteps: [0, 60, 120, 180],
      lambdaEvery: 3,
      seeds: 1,
      baseSeed: 0,
    },
    quick: {
      archs: ['shallow', 'fcn'],
      perClass: 3,
      steps: 20,
      factors: [1.5],
      atSteps: [0, 10],
      lambdaEvery: 2,
      seeds: 1,
      baseSeed: 0,
    },
  },
  expand(cfg): GridPoint<Run>[] {
    const { factors, ...rest } = cfg;
    return expandByArch(rest).flatMap((g) =>
      factors.map((factor) => ({
        key: `${g.key}-f${String(factor).replace('.', 'p')}`,
        config: { ...g.config, factor },
      })),
    );
  },
  run(run, ctx): RunResult {
    const setup = chapter2Setup(ctx.prng, run.perClass, run.arch);
    const { data, net, X } = setup;
    try {
      const lambda0 = lambdaMax(net, X);
      const climb = climbLadder(net, data, X, run, (t) => ctx.progress(t, run.steps));
      const { trace: tr, lambdaStep, lambdaMax: lam, liveChannels: live, kernelVanishedAt } = climb;
      const diverged = tr.divergedAt !== null;
      const loss = tr.series.trainLoss;
      const eta = tr.series.eta;
      // Per stage reached (a raise after a divergence never happens): η, λ_max at the raise and at the
      // stage's end, η·λ_end/2 (< 1 means λ_max ended below 2/η), and the stage's spikes.
      const reached = run.atSteps.filter((s) => tr.steps.indexOf(s) >= 0);
      const stageEta = reached.map((s) => eta[tr.steps.indexOf(s)]);
      const lamAt = (s: number) => {
        let k = -1;
        for (let i = 0; i < lambdaStep.length && lambdaStep[i] <= s; i++) k = i;
        return k >= 0 ? lam[k] : NaN;
      };
      const stageEnd = reached.map((_, k) => (k + 1 < reached.length ? reached[k + 1] : tr.stepsTaken));
      const stageLambdaStart = reached.map((s) => lamAt(s));
      // The last stage of a diverged run has no end.
      const complete = diverged ? reached.length - 1 : reached.length;
      const stageLambdaEnd = stageEnd.slice(0, complete).map((s) => lamAt(s));
      const stageEtaLambdaEnd = stageLambdaEnd.map((l, k) => (stageEta[k] * l) / 2);
      const stageBelow: number[] = stageEtaLambdaEnd.map((x) => (x < 1 ? 1 : 0));
      const events = detectCatapults(loss);
      const stageSpikes = reached.map(
        (s, k) => events.filter((e) => tr.steps[e.start] >= s && tr.steps[e.start] < stageEnd[k] && !e.diverged).length,
      );
      ctx.progress(run.steps, run.steps);
      return {
        series: {
          step: tr.steps,
          trainLoss: loss,
          eta,
          lambdaStep,
          lambdaMax: lam,
          raiseSteps: reached,
          stageEta,
          stageLambdaStart,
          stageLambdaEnd,
          stageEtaLambdaEnd,
          stageBelowTwoOverEta: stageBelow,
          stageSpikes,
          spikePeak: events.map((e) => tr.steps[e.peak]),
          ...(live ? { liveChannels: live } : {}),
        },
        summary: {
          arch: run.arch,
          archSize: ARCH_SIZES[run.arch],
          numParams: net.numParams,
          n: data.n,
          lambda0,
          etaCrit0: criticalLearningRate(lambda0),
          finalEtaOverCrit0: stageEta[stageEta.length - 1] / criticalLearningRate(lambda0),
          stages: reached.length,
          stagesComplete: complete,
          maxStageEtaLambdaEndOver2: stageEtaLambdaEnd.length ? Math.max(...stageEtaLambdaEnd) : null,
          stagesWithLambdaDrop: stageLambdaEnd.filter((l, k) => l < stageLambdaStart[k]).length,
          stagesEndingBelow: stageBelow.reduce((a, b) => a + b, 0),
          stagesWithSpike: stageSpikes.filter((c) => c > 0).length,
          lambdaEnd: diverged ? null : lam[lam.length - 1],
          kernelVanishedAt,
          // Live last-layer channels at the start and at the end of the first stage (null: not a CNN or no such stage).
          liveChannelsStart: live ? live[0] : null,
          liveChannelsAfterFirstStage: live && reached.length > 1 ? live[lambdaStep.indexOf(reached[1])] : null,
          ...runEndSummary({ ...tr, finalTrainLoss: climb.finalTrainLoss }),
        },
      };
    } finally {
      setup.dispose();
    }
  },
});

/**
 * multi-catapult (chapter 2, figure 3): multiple catapults with increasing learning rates. Full-batch
 * GD on a 14×14 MNIST subset (sgdMnist.ts) with the shallow ReLU net, the 5-layer FCN and the
 * 5-layer CNN. At each listed step η is raised to factor × 2/λ_max(K(w_t)) (the Trainer's
 * 'catapult-ladder' schedule), i.e. above the critical rate of the current, already flattened
 * kernel. Per step the training loss (½Σ); every `lambdaEvery` steps λ_max(K(w_t)) on the training
 * set. Per stage (between raises) we report λ_max at its start and end and whether it ended below
 * 2/η of that stage: each raise should give a catapult after which λ_max < 2/η.
 */
import { z } from 'zod';
import { Trainer, runWithMeasurements } from '../lib/train';
import { lambdaMax } from '../lib/tangentKernel';
import { detectCatapults } from '../lib/catapults';
import { criticalLearningRate } from '../lib/criticalLearningRate';
import { baseSeed, positiveInt, positiveReal, seeds } from './schema';
import { defineExperiment, type GridPoint, type RunResult } from './types';
import { defineOutputs, RUN_END_SUMMARY, runEndSummary } from './outputs';
import { ARCH_SIZES, archList, chapter2Setup, expandByArch } from './sgdMnist';

const LADDER_ARCHS = ['shallow', 'fcn', 'cnn'] as const;
type LadderArch = (typeof LADDER_ARCHS)[number];

const configSchema = z
  .object({
    archs: archList(LADDER_ARCHS),
    perClass: positiveInt('perClass (training images per digit; n = 10·perClass)'),
    steps: positiveInt('steps (GD steps per run)'),
    factor: positiveReal('factor (each raise sets η = factor × 2/λ_max(K(w_t)))').min(
      1.001,
      'factor must be > 1 to start a catapult',
    ),
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

type Run = Omit<MultiCatapultConfig, 'seeds' | 'baseSeed' | 'archs'> & { arch: LadderArch };

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

export const multiCatapult = defineExperiment<MultiCatapultConfig, Run, typeof outputs>({
  id: 'multi-catapult',
  title: 'Multiple catapults with increasing learning rates: shallow net, 5-layer FCN and 5-layer CNN',
  description:
    'Full-batch GD on 130 MNIST digits (14×14, parity labels); η raised at fixed steps to 1.4 × 2/λ_max(K(w_t)); training loss and λ_max of the tangent kernel.',
  version: 2,
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
      factor: 1.4,
      atSteps: [0, 60, 120, 180],
      lambdaEvery: 3,
      seeds: 1,
      baseSeed: 0,
    },
    quick: {
      archs: ['shallow', 'fcn'],
      perClass: 3,
      steps: 20,
      factor: 1.5,
      atSteps: [0, 10],
      lambdaEvery: 2,
      seeds: 1,
      baseSeed: 0,
    },
  },
  expand(cfg): GridPoint<Run>[] {
    return expandByArch(cfg);
  },
  run(run, ctx): RunResult {
    const setup = chapter2Setup(ctx.prng, run.perClass, run.arch);
    const { data, net, X } = setup;
    try {
      const lambda0 = lambdaMax(net, X);
      const trainer = new Trainer(net, data, {
        schedule: { kind: 'catapult-ladder', factor: run.factor, atSteps: [...run.atSteps] },
        maxSteps: run.steps,
        record: { every: 1, what: ['trainLoss'] },
      });
      const lambdaStep: number[] = [];
      const lam: number[] = [];
      // CNN only: last-layer channels alive on the training set, beside each λ_max (a collapse check).
      const countLive = net.liveChannels?.bind(net) ?? null;
      const live: number[] = [];
      const tr = runWithMeasurements(
        trainer,
        (t) => t % run.lambdaEvery === 0 || run.atSteps.includes(t),
        (t) => {
          lambdaStep.push(t);
          lam.push(lambdaMax(net, X));
          if (countLive) live.push(countLive(X));
        },
        (t) => ctx.progress(t, run.steps),
      );
      trainer.dispose();
      const diverged = tr.divergedAt !== null;
      if (!diverged) {
        lambdaStep.push(tr.stepsTaken);
        lam.push(lambdaMax(net, X));
        if (countLive) live.push(countLive(X));
      }
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
          ...(countLive ? { liveChannels: live } : {}),
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
          // Live last-layer channels at the start and at the end of the first stage (null: not a CNN or no such stage).
          liveChannelsStart: countLive ? live[0] : null,
          liveChannelsAfterFirstStage: countLive && reached.length > 1 ? live[lambdaStep.indexOf(reached[1])] : null,
          ...runEndSummary(tr),
        },
      };
    } finally {
      setup.dispose();
    }
  },
});

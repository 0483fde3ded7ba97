/**
 * kernel-drops (chapter 2, figure 4): each SGD spike is a drop of ‖K‖. SGD on a 14×14 MNIST subset
 * (sgdMnist.ts) with the FCN, the CNN, the small wide ResNet and the small ViT. η is set per model
 * from its own batches at initialisation: η = etaFactor × 2/median_B λ_max(K(w0; X_B)) over one
 * epoch of batches, so every architecture sits just above its typical batch critical rate. In the
 * batch-mean-loss units of sgd-spike-anatomy this is η̄ = b·η = etaFactor × median 2b/λ_max(K(X_B)),
 * reported as a multiple of the full-set rate 2n/λ_max(K(w0)).
 * Per step the full training loss (½Σ); every `lambdaEvery` steps λ_max(K(w_t)) on a fixed probe
 * subset (the first `probe` training points). Spikes: detectCatapults on the training loss, with
 * λ_max before the rise and after the fall, so "followed by a drop of λ_max" is read off each event.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { Trainer, runWithMeasurements } from '../lib/train';
import { lambdaMax, topKernelEigen } from '../lib/tangentKernel';
import { detectCatapults } from '../lib/catapults';
import { criticalLearningRate, meanLossCriticalRate, meanLossRateForHalfSum } from '../lib/criticalLearningRate';
import { baseSeed, batchSize, positiveInt, positiveReal, seeds } from './schema';
import { defineExperiment, type GridPoint, type RunResult } from './types';
import { defineOutputs, RUN_END_SUMMARY, runEndSummary } from './outputs';
import { ARCH_SIZES, archList, chapter2Setup, expandByArch } from './sgdMnist';
import type { ScalarModel } from '../lib/models/model';
import { median } from '../lib/stats';
import { epochBatchLambdas } from '../lib/batchKernels';
import { SEED_STREAM } from '../lib/prng';

const KERNEL_DROP_ARCHS = ['fcn', 'cnn', 'resnet', 'vit', 'cnn-dense', 'resnet-dense'] as const;
type KernelDropArch = (typeof KERNEL_DROP_ARCHS)[number];

const configSchema = z
  .object({
    archs: archList(KERNEL_DROP_ARCHS),
    perClass: positiveInt('perClass (training images per digit; n = 10·perClass)'),
    batchSize: batchSize(),
    steps: positiveInt('steps (SGD steps per run)'),
    etaFactor: positiveReal('etaFactor (η in units of the median batch η_crit at initialisation)'),
    probe: positiveInt('probe (points of the fixed kernel probe subset)'),
    lambdaEvery: positiveInt('lambdaEvery (steps between probe-kernel λ_max evaluations)'),
    seeds: seeds(),
    baseSeed: baseSeed(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const n = 10 * c.perClass;
    if (c.batchSize >= n)
      ctx.addIssue({
        code: 'custom',
        path: ['batchSize'],
        message: `batchSize = ${c.batchSize} must be < n = ${n} for SGD; lower it`,
      });
    if (c.probe > n)
      ctx.addIssue({ code: 'custom', path: ['probe'], message: `probe = ${c.probe} must be ≤ n = ${n}` });
  });
export type KernelDropsConfig = z.infer<typeof configSchema>;

type Run = Omit<KernelDropsConfig, 'seeds' | 'baseSeed' | 'archs'> & { arch: KernelDropArch };

const outputs = defineOutputs({
  name: 'run',
  summarySchema: z
    .object({
      arch: z.enum(KERNEL_DROP_ARCHS),
      archSize: z.string(),
      numParams: z.number().int(),
      n: z.number().int(),
      lambda0: z.number(),
      medianBatchLambda0: z.number(),
      eta: z.number(),
      etaOverFullCrit: z.number(),
      etaOverFullMeanCrit: z.number(),
      spikes: z.number().int(),
      spikesJudged: z.number().int(),
      spikesWithLambdaDrop: z.number().int(),
      // null when no spike could be judged
      dropFraction: z.number().nullable(),
      // λ₂/λ₁ of K(w0) on the training set: how far the top direction dominates the kernel
      lambda2OverLambda1: z.number(),
      probeLambdaStart: z.number(),
      probeLambdaEnd: z.number().nullable(),
      // null for models without pooled channels
      liveChannelsStart: z.number().int().nullable(),
      liveChannelsEnd: z.number().int().nullable(),
      ...RUN_END_SUMMARY,
    })
    .strict(),
  seriesNames: [
    'step',
    'trainLoss',
    'lambdaStep',
    'probeLambda',
    'spikeStart',
    'spikePeak',
    'spikeEnd',
    'spikeRatio',
    'judgedPeak',
    'judgedLambdaBefore',
    'judgedLambdaAfter',
  ],
  // CNN and ResNet only: last-layer channels alive on the training set, beside each probe λ_max
  optionalSeriesNames: ['liveChannels'],
});

/** Median of the batch λ_max(K(w; X_B)) over one epoch of consecutive batches of size b from `perm` (float64). */
function medianBatchLambda(model: ScalarModel, X: tf.Tensor2D, b: number, perm: Int32Array): number {
  return median(epochBatchLambdas(model, X, b, perm));
}

export const kernelDrops = defineExperiment<KernelDropsConfig, Run, typeof outputs>({
  id: 'kernel-drops',
  title: 'Each SGD spike is a drop of the tangent kernel: FCN, CNN, small ResNet and small ViT on MNIST',
  description:
    'SGD on 130 MNIST digits (14×14, parity labels) with a 5-layer FCN, a 5-layer CNN, a small wide ResNet, a small ViT, and the CNN and ResNet with a dense readout instead of global average pooling; training loss with detected spikes and λ_max of the tangent kernel on a fixed probe subset.',
  version: 4,
  usesTfjs: true,
  seriesAxes: {
    trainLoss: 'step',
    probeLambda: 'lambdaStep',
    liveChannels: { axis: 'lambdaStep', optional: true },
    spikePeak: 'spikeStart',
    spikeEnd: 'spikeStart',
    spikeRatio: 'spikeStart',
    judgedLambdaBefore: 'judgedPeak',
    judgedLambdaAfter: 'judgedPeak',
  },
  schema: configSchema,
  outputs,
  profiles: {
    paper: {
      archs: ['fcn', 'cnn', 'resnet', 'vit', 'cnn-dense', 'resnet-dense'],
      perClass: 13,
      batchSize: 16,
      steps: 300,
      etaFactor: 1.2,
      probe: 32,
      lambdaEvery: 5,
      seeds: 3,
      baseSeed: 0,
    },
    quick: {
      archs: ['fcn', 'vit'],
      perClass: 3,
      batchSize: 6,
      steps: 20,
      etaFactor: 1.2,
      probe: 8,
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
    const Xp = tf.tensor2d(data.X.subarray(0, run.probe * data.d), [run.probe, data.d]);
    try {
      const top2 = topKernelEigen(net, X, 2).values;
      const lambda0 = top2[0];
      const batchLambda0 = medianBatchLambda(
        net,
        X,
        run.batchSize,
        ctx.prng.fork(SEED_STREAM.initialBatches).permutation(data.n),
      );
      const eta = run.etaFactor * criticalLearningRate(batchLambda0);
      const trainer = new Trainer(net, data, {
        batchSize: run.batchSize,
        seed: ctx.seed,
        schedule: { kind: 'constant', eta },
        maxSteps: run.steps,
        record: { every: 1, what: ['trainLoss'] },
      });
      const lambdaStep: number[] = [];
      const probeLambda: number[] = [];
      // CNN and ResNet: last-layer channels alive on the whole training set, beside each probe λ_max.
      const countLive = net.liveChannels?.bind(net) ?? null;
      const live: number[] = [];
      const tr = runWithMeasurements(
        trainer,
        (t) => t % run.lambdaEvery === 0,
        (t) => {
          lambdaStep.push(t);
          probeLambda.push(lambdaMax(net, Xp));
          if (countLive) live.push(countLive(X));
        },
        (t) => ctx.progress(t, run.steps),
      );
      trainer.dispose();
      const loss = tr.series.trainLoss;
      // λ aligned with the loss records (null where not measured; the last probe may be past a divergence).
      const aligned: (number | null)[] = loss.map(() => null);
      lambdaStep.forEach((s, k) => {
        const i = tr.steps.indexOf(s);
        if (i >= 0 && Number.isFinite(probeLambda[k])) aligned[i] = probeLambda[k];
      });
      const events = detectCatapults(loss, { lambdaMax: aligned }).filter((e) => !e.diverged);
      const judged = events.filter((e) => e.lambdaDropped !== null);
      const dropped = judged.filter((e) => e.lambdaDropped);
      ctx.progress(run.steps, run.steps);
      return {
        series: {
          step: tr.steps,
          trainLoss: loss,
          lambdaStep,
          probeLambda,
          spikeStart: events.map((e) => tr.steps[e.start]),
          spikePeak: events.map((e) => tr.steps[e.peak]),
          spikeEnd: events.map((e) => tr.steps[e.end!]),
          spikeRatio: events.map((e) => e.ratio),
          // λ_max before and after each spike that has both measured (a spike at the very end has no "after").
          judgedPeak: judged.map((e) => tr.steps[e.peak]),
          judgedLambdaBefore: judged.map((e) => e.lambdaBefore!),
          judgedLambdaAfter: judged.map((e) => e.lambdaAfter!),
          ...(countLive ? { liveChannels: live } : {}),
        },
        summary: {
          arch: run.arch,
          archSize: ARCH_SIZES[run.arch],
          numParams: net.numParams,
          n: data.n,
          lambda0,
          medianBatchLambda0: batchLambda0,
          eta,
          etaOverFullCrit: eta / criticalLearningRate(lambda0),
          etaOverFullMeanCrit: meanLossRateForHalfSum(eta, run.batchSize) / meanLossCriticalRate(lambda0, data.n),
          spikes: events.length,
          spikesJudged: judged.length,
          spikesWithLambdaDrop: dropped.length,
          dropFraction: judged.length ? dropped.length / judged.length : null,
          lambda2OverLambda1: top2[1] / top2[0],
          probeLambdaStart: probeLambda[0],
          probeLambdaEnd: probeLambda[probeLambda.length - 1] ?? null,
          liveChannelsStart: countLive ? live[0] : null,
          liveChannelsEnd: countLive ? live[live.length - 1] : null,
          ...runEndSummary(tr),
        },
      };
    } finally {
      Xp.dispose();
      setup.dispose();
    }
  },
});

/**
 * uv-catapult: the uv model of Lewkowycz et al. (chapter 1's first figure). Trajectories of the loss
 * and of the tangent kernel λ for η·λ0 ∈ {1, 3, 4.5} (lazy, catapult, divergent), and a phase
 * diagram over a fine η·λ0 grid. Initialisation [our choice]: u, v ~ N(0, I_m), so the seed fixes
 * f0 = vᵀu/√m and λ0 = (‖u‖² + ‖v‖²)/m, and η = (η·λ0)/λ0.
 */
import { z } from 'zod';
import { runUvModel } from '../lib/uvModel';
import { baseSeed, positiveGrid, positiveInt, positiveReal, seeds, width } from './schema';
import { defineExperiment, type GridPoint, type RunResult } from './types';
import { defineOutputs } from './outputs';
import type { Prng } from '../lib/prng';

const configSchema = z
  .object({
    m: width(),
    steps: positiveInt('steps (GD steps per trajectory)'),
    etaLambda0: positiveGrid('η·λ0 for trajectories'),
    phase: z
      .object({
        from: positiveReal('phase.from (smallest η·λ0)'),
        to: positiveReal('phase.to (largest η·λ0)'),
        count: positiveInt('phase.count (grid points)').min(2, 'phase.count must be ≥ 2'),
        steps: positiveInt('phase.steps (GD steps per grid point)'),
      })
      .strict()
      .refine((p) => p.to > p.from, { message: 'phase.to must be larger than phase.from', path: ['to'] }),
    divergeAbove: positiveReal('divergeAbove (loss treated as divergence)'),
    seeds: seeds(),
    baseSeed: baseSeed(),
  })
  .strict();
export type UvCatapultConfig = z.infer<typeof configSchema>;

const outcome = z.enum(['lazy', 'catapult', 'divergent']);
/** A trajectory run (one η·λ0): loss and λ per step. */
export const UV_TRAJECTORY_OUTPUTS = defineOutputs({
  name: 'trajectory',
  summarySchema: z
    .object({
      f0: z.number(),
      lambda0: z.number(),
      eta: z.number(),
      etaLambda0: z.number(),
      theoryRegime: outcome,
      observedOutcome: outcome,
      divergedAt: z.number().int().nullable(),
      peakLoss: z.number(),
      peakStep: z.number().int(),
      finalLoss: z.number(),
      finalLambda: z.number(),
      finalEtaLambda: z.number(),
    })
    .strict(),
  seriesNames: ['step', 'loss', 'lambda', 'etaLambda'],
});
/** The phase-diagram run: per η·λ0 grid point its outcome and loss/λ ratios. */
export const UV_PHASE_OUTPUTS = defineOutputs({
  name: 'phase',
  summarySchema: z
    .object({
      f0: z.number(),
      lambda0: z.number(),
      outcomeCodes: z.string(),
      firstCatapultEtaLambda0: z.number().nullable(),
      firstDivergentEtaLambda0: z.number().nullable(),
    })
    .strict(),
  seriesNames: ['etaLambda0', 'maxLossRatio', 'finalLambdaRatio', 'finalLoss', 'outcome', 'stepsRun'],
});
const outputs = [UV_TRAJECTORY_OUTPUTS, UV_PHASE_OUTPUTS] as const;

type TrajectoryRun = { kind: 'trajectory'; m: number; steps: number; etaLambda0: number; divergeAbove: number };
type PhaseRun = { kind: 'phase'; m: number; steps: number; etaLambda0: number[]; divergeAbove: number };
type UvRun = TrajectoryRun | PhaseRun;

/** Regime the theory predicts for the uv model: lazy below η·λ0 = 2, catapult below 4, divergent above. */
function uvTheoryRegime(etaLambda0: number): 'lazy' | 'catapult' | 'divergent' {
  return etaLambda0 < 2 ? 'lazy' : etaLambda0 < 4 ? 'catapult' : 'divergent';
}

/** Draws u, v ~ N(0, I_m) and returns the uv model's (f0, λ0) at that initialisation. */
function initialise(prng: Prng, m: number): { f0: number; lambda0: number } {
  let dot = 0;
  let sq = 0;
  for (let i = 0; i < m; i++) {
    const u = prng.normal();
    const v = prng.normal();
    dot += u * v;
    sq += u * u + v * v;
  }
  return { f0: dot / Math.sqrt(m), lambda0: sq / m };
}

/** Drops a trailing non-finite point that runUvModel keeps when it stops on overflow. */
function finitePrefix(xs: number[]): number[] {
  let n = xs.length;
  while (n > 0 && !Number.isFinite(xs[n - 1])) n--;
  return xs.slice(0, n);
}

/** Observed outcome: 2 diverged, 1 catapult (loss rose above its start at some step, then came back), 0 lazy. */
function outcomeCode(loss: number[], divergedAt: number | null): number {
  if (divergedAt !== null) return 2;
  // Below η·λ0 = 2 every GD step shrinks |f|, so any rise at all marks a catapult.
  return Math.max(...loss) > loss[0] ? 1 : 0;
}

const fmt = (x: number) => String(x).replace('.', 'p');

/** The uv-catapult experiment: 3 trajectories and 1 phase diagram per seed. */
export const uvCatapult = defineExperiment<UvCatapultConfig, UvRun, typeof outputs>({
  id: 'uv-catapult',
  title: 'Catapult dynamics of the uv model',
  description:
    'Exact GD recursions of the uv model: loss and tangent kernel λ for η·λ0 = 1, 3, 4.5, and the lazy/catapult/divergent phase diagram over η·λ0.',
  version: 1,
  usesTfjs: false,
  // Trajectory runs have step/loss/λ, phase runs one value per grid point of η·λ0.
  seriesAxes: {
    loss: 'step',
    lambda: 'step',
    etaLambda: 'step',
    maxLossRatio: 'etaLambda0',
    finalLambdaRatio: 'etaLambda0',
    finalLoss: 'etaLambda0',
    outcome: 'etaLambda0',
    stepsRun: 'etaLambda0',
  },
  schema: configSchema,
  outputs,
  profiles: {
    paper: {
      m: 1000,
      steps: 300,
      etaLambda0: [1, 3, 4.5],
      phase: { from: 0.5, to: 5, count: 91, steps: 3000 },
      divergeAbove: 1e8,
      seeds: 3,
      baseSeed: 0,
    },
    quick: {
      m: 100,
      steps: 60,
      etaLambda0: [1, 3, 4.5],
      phase: { from: 0.5, to: 5, count: 10, steps: 200 },
      divergeAbove: 1e8,
      seeds: 1,
      baseSeed: 0,
    },
  },
  expand(cfg): GridPoint<UvRun>[] {
    const points: GridPoint<UvRun>[] = cfg.etaLambda0.map((e) => ({
      key: `traj-eta${fmt(e)}`,
      config: { kind: 'trajectory', m: cfg.m, steps: cfg.steps, etaLambda0: e, divergeAbove: cfg.divergeAbove },
    }));
    const { from, to, count, steps } = cfg.phase;
    // Grid values rounded to 1e-9 so the stored config does not carry float noise like 0.30000000000000004.
    const grid = Array.from(
      { length: count },
      (_, i) => Math.round((from + ((to - from) * i) / (count - 1)) * 1e9) / 1e9,
    );
    points.push({
      key: 'phase',
      config: { kind: 'phase', m: cfg.m, steps, etaLambda0: grid, divergeAbove: cfg.divergeAbove },
    });
    return points;
  },
  run(run, ctx): RunResult {
    const { f0, lambda0 } = initialise(ctx.prng, run.m);
    if (run.kind === 'trajectory') {
      const eta = run.etaLambda0 / lambda0;
      const tr = runUvModel({ f0, lambda0, eta, m: run.m, steps: run.steps, divergeAbove: run.divergeAbove });
      const loss = finitePrefix(tr.loss);
      const lambda = tr.lambda.slice(0, loss.length);
      const theory = uvTheoryRegime(run.etaLambda0);
      if (theory === 'lazy' && tr.divergedAt !== null) {
        throw new Error(
          `uv-catapult: η·λ0 = ${run.etaLambda0} is below 2 but the run diverged at step ${tr.divergedAt}`,
        );
      }
      ctx.progress(1, 1);
      const peak = loss.indexOf(Math.max(...loss));
      return {
        series: {
          step: tr.step.slice(0, loss.length),
          loss,
          lambda,
          etaLambda: lambda.map((l) => eta * l),
        },
        summary: {
          f0,
          lambda0,
          eta,
          etaLambda0: run.etaLambda0,
          theoryRegime: theory,
          observedOutcome: ['lazy', 'catapult', 'divergent'][outcomeCode(loss, tr.divergedAt)],
          divergedAt: tr.divergedAt,
          peakLoss: loss[peak],
          peakStep: peak,
          finalLoss: loss[loss.length - 1],
          finalLambda: lambda[lambda.length - 1],
          finalEtaLambda: eta * lambda[lambda.length - 1],
        },
      };
    }
    const maxLossRatio: number[] = [];
    const finalLambdaRatio: number[] = [];
    const finalLoss: number[] = [];
    const outcome: number[] = [];
    const stepsRun: number[] = [];
    run.etaLambda0.forEach((e, i) => {
      const tr = runUvModel({
        f0,
        lambda0,
        eta: e / lambda0,
        m: run.m,
        steps: run.steps,
        divergeAbove: run.divergeAbove,
      });
      const loss = finitePrefix(tr.loss);
      const lambda = tr.lambda.slice(0, loss.length);
      maxLossRatio.push(Math.max(...loss) / loss[0]);
      finalLambdaRatio.push(lambda[lambda.length - 1] / lambda0);
      finalLoss.push(loss[loss.length - 1]);
      outcome.push(outcomeCode(loss, tr.divergedAt));
      stepsRun.push(loss.length - 1);
      ctx.progress(i + 1, run.etaLambda0.length);
    });
    const firstWith = (code: number) => {
      const i = outcome.indexOf(code);
      return i < 0 ? null : run.etaLambda0[i];
    };
    return {
      series: { etaLambda0: run.etaLambda0, maxLossRatio, finalLambdaRatio, finalLoss, outcome, stepsRun },
      summary: {
        f0,
        lambda0,
        outcomeCodes: '0 lazy, 1 catapult, 2 divergent',
        firstCatapultEtaLambda0: firstWith(1),
        firstDivergentEtaLambda0: firstWith(2),
      },
    };
  },
});

/**
 * The bisection behind η_max, shared by shallow-eta-max and deep-eta-max so both measure it the
 * same way: the config fields, the probe (GD from the same start at η = ratio × η_crit for `steps`
 * steps; "diverged" = the Trainer's rule, loss non-finite or above divergeFactor × its initial ½Σ
 * value), the bisection on [lo, hi] and the series and summary fields the traces record.
 */
import { z } from 'zod';
import { Trainer } from '../lib/train';
import type { Dataset, ScalarModel } from '../lib/models/model';
import { positiveInt, positiveReal } from './schema';

/** Config fields of a bisection (η/η_crit bounds, iterations, GD steps per probe, divergence factor). */
export const BISECTION_FIELDS = {
  lo: positiveReal('lo (η/η_crit known to converge)'),
  hi: positiveReal('hi (η/η_crit expected to diverge)'),
  iterations: positiveInt('iterations (bisection steps)').max(30, 'iterations must be ≤ 30'),
  steps: positiveInt('steps (GD steps per probe)'),
  divergeFactor: positiveReal('divergeFactor (divergence when loss > divergeFactor × initial loss)'),
};

/** The refinement every bisection config needs: hi above lo (use as `.refine(...bracketIsOrdered())`). */
export const bracketIsOrdered = (): [
  (c: { lo: number; hi: number }) => boolean,
  { message: string; path: string[] },
] => [(c) => c.hi > c.lo, { message: 'hi must be larger than lo', path: ['hi'] }];

/** Summary fields of a bisection: the final bracket and its midpoint, in units of η_crit. */
export const BISECTION_SUMMARY = {
  etaMaxRatioLow: z.number(),
  etaMaxRatioHigh: z.number(),
  etaMaxRatio: z.number(),
};

/** Series of a bisection: every probe's η/η_crit, whether it diverged (1/0) and the steps it ran. */
export const BISECTION_SERIES = ['probeRatio', 'probeDiverged', 'probeSteps'] as const;

/** One probe's outcome, as the traces record it. */
export interface EtaProbe {
  ratio: number;
  diverged: boolean;
  stepsRun: number;
}

/** Full-batch GD of `net` on `data` at the absolute rate `eta` for up to `steps` steps: did it diverge? */
export function gdProbe(
  net: ScalarModel,
  data: Dataset,
  ratio: number,
  eta: number,
  run: { steps: number; divergeFactor: number },
): EtaProbe {
  const trainer = new Trainer(net, data, {
    schedule: { kind: 'constant', eta },
    maxSteps: run.steps,
    divergeFactor: run.divergeFactor,
  });
  let info;
  do info = trainer.step();
  while (!info.done);
  const out = { ratio, diverged: trainer.state.divergedAt !== null, stepsRun: trainer.state.step };
  trainer.dispose();
  return out;
}

/**
 * Bisection on η/η_crit. `probe(ratio)` returns its outcome; `what` names the run in errors (lo must
 * converge and hi diverge, else the error says which bound to move). Returns the final bracket and
 * every probe in the order run.
 */
export function bisectEtaMax(
  probe: (ratio: number) => EtaProbe,
  opts: { lo: number; hi: number; iterations: number; what: string; progress?: (done: number, total: number) => void },
): { lo: number; hi: number; probes: EtaProbe[] } {
  const probes: EtaProbe[] = [];
  const run = (r: number) => {
    const p = probe(r);
    probes.push(p);
    return p.diverged;
  };
  let { lo, hi } = opts;
  const total = opts.iterations + 2;
  if (run(lo)) throw new Error(`${opts.what}: lo = ${lo} η_crit already diverges; lower "lo"`);
  opts.progress?.(1, total);
  if (!run(hi)) throw new Error(`${opts.what}: hi = ${hi} η_crit does not diverge within the step budget; raise "hi"`);
  opts.progress?.(2, total);
  for (let i = 0; i < opts.iterations; i++) {
    const mid = (lo + hi) / 2;
    if (run(mid)) hi = mid;
    else lo = mid;
    opts.progress?.(i + 3, total);
  }
  return { lo, hi, probes };
}

/** The traces' series and bracket summary of a finished bisection. */
export function bisectionRecord(r: { lo: number; hi: number; probes: EtaProbe[] }) {
  return {
    series: {
      probeRatio: r.probes.map((p) => p.ratio),
      probeDiverged: r.probes.map((p) => (p.diverged ? 1 : 0)),
      probeSteps: r.probes.map((p) => p.stepsRun),
    },
    summary: { etaMaxRatioLow: r.lo, etaMaxRatioHigh: r.hi, etaMaxRatio: (r.lo + r.hi) / 2 },
  };
}

/**
 * The bisection behind η_max: given a probe that trains from the same start at η = ratio × η_crit
 * and says whether it diverged, narrow [lo, hi] (lo converges, hi diverges) `iterations` times.
 * Shared by shallow-eta-max and deep-eta-max so both measure η_max the same way.
 */

/** One probe's outcome, as the traces record it. */
export interface EtaProbe {
  ratio: number;
  diverged: boolean;
  stepsRun: number;
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

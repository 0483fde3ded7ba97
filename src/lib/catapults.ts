/**
 * The one catapult detector used everywhere (precompute and browser). The paper's exact counting
 * rule is not published, so this is our stated rule:
 *
 *   With m_s = min(loss[0..s]) the running minimum, a spike STARTS at step s when
 *   loss[s+1] > riseFactor · m_s (and loss[s+1] > minLoss). It ENDS at the first later step t with
 *   loss[t] < riseFactor · m_s (back below the same threshold); its PEAK is the largest loss in
 *   between. A spike that never falls back, or that meets a NaN/±Inf loss, is DIVERGED (end null).
 *   Scanning resumes at the end step, so spikes never overlap.
 *
 * Default riseFactor = 2: noise that never doubles the best loss so far is not a spike.
 * With relativeFloor = f > 0 (default 0: off), the threshold is max(riseFactor · m_s, f · loss[0]):
 * float noise far below the initial loss (a converged run at 1e-8 of it) is not a spike, and a spike
 * that starts there ends once the loss is back below the floor.
 * If a λ_max(K) series is supplied (same indexing as loss, null where not measured), each event
 * carries the nearest measured λ_max at or before its start and at or after its end.
 */

/** Detector options; see the module doc for the rule. */
export interface CatapultOptions {
  /** A spike needs loss > riseFactor × running minimum (default 2, must be > 1). */
  riseFactor?: number;
  /** Ignore rises whose loss stays ≤ minLoss (default 0), e.g. float noise near zero loss. */
  minLoss?: number;
  /** Relative floor f ≥ 0 (default 0): rises and spike ends are judged against max(riseFactor × running minimum, f × loss[0]). */
  relativeFloor?: number;
  /** λ_max(K) per step (null/NaN where not measured), same length as loss. */
  lambdaMax?: (number | null)[];
}

/** One detected spike; indices are positions in the loss array. */
export interface CatapultEvent {
  /** Last step before the rise (loss[start] ≥ running min). */
  start: number;
  /** Step of the largest loss in the spike (first non-finite step if diverged that way). */
  peak: number;
  /** First step back below the threshold, or null if the spike diverged. */
  end: number | null;
  /** loss[peak] / loss[start] (Infinity when the loss blew up). */
  ratio: number;
  /** Running minimum m_start that set the threshold. */
  runningMin: number;
  diverged: boolean;
  /** Nearest measured λ_max at or before start, or null. */
  lambdaBefore: number | null;
  /** Nearest measured λ_max at or after end (null if none or diverged). */
  lambdaAfter: number | null;
  /** lambdaAfter < lambdaBefore, or null when either is unknown. */
  lambdaDropped: boolean | null;
}

/** Default rise factor of the detector (spike = loss above 2 × its running minimum). */
/** The rise factor detectCatapults uses unless told otherwise. */
export const DEFAULT_RISE_FACTOR = 2;

function measured(v: number | null | undefined): v is number {
  return v !== null && v !== undefined && Number.isFinite(v);
}

/** Detects catapult spikes in a loss trace with the module's rule; returns them in time order. */
export function detectCatapults(loss: ArrayLike<number>, opts: CatapultOptions = {}): CatapultEvent[] {
  const factor = opts.riseFactor ?? DEFAULT_RISE_FACTOR;
  const minLoss = opts.minLoss ?? 0;
  const relativeFloor = opts.relativeFloor ?? 0;
  const lam = opts.lambdaMax;
  if (!(factor > 1) || !Number.isFinite(factor)) {
    throw new Error(`detectCatapults: riseFactor must be a finite number > 1, got ${factor}`);
  }
  if (!(relativeFloor >= 0) || !Number.isFinite(relativeFloor)) {
    throw new Error(`detectCatapults: relativeFloor must be a finite number ≥ 0, got ${relativeFloor}`);
  }
  if (lam && lam.length !== loss.length) {
    throw new Error(
      `detectCatapults: lambdaMax has ${lam.length} entries but loss has ${loss.length}; align them step by step (null where not measured)`,
    );
  }
  const before = (s: number): number | null => {
    if (!lam) return null;
    for (let i = s; i >= 0; i--) if (measured(lam[i])) return lam[i] as number;
    return null;
  };
  const after = (e: number): number | null => {
    if (!lam) return null;
    for (let i = e; i < lam.length; i++) if (measured(lam[i])) return lam[i] as number;
    return null;
  };

  const events: CatapultEvent[] = [];
  const T = loss.length;
  if (T === 0) return events;
  if (!Number.isFinite(loss[0])) {
    return [
      {
        start: 0,
        peak: 0,
        end: null,
        ratio: Infinity,
        runningMin: NaN,
        diverged: true,
        lambdaBefore: before(0),
        lambdaAfter: null,
        lambdaDropped: null,
      },
    ];
  }
  let runMin = loss[0];
  // Losses are ≥ 0, so with the default floor 0 the threshold is riseFactor · m_s exactly.
  const floor = relativeFloor * Math.abs(loss[0]);
  let s = 0;
  while (s + 1 < T) {
    const next = loss[s + 1];
    const threshold = Math.max(factor * runMin, floor);
    const rises = !Number.isFinite(next) || (next > threshold && next > minLoss);
    if (!rises) {
      s++;
      if (next < runMin) runMin = next;
      continue;
    }
    // Inside a spike: track the peak until the loss is back below the threshold.
    let peak = s + 1;
    let end: number | null = null;
    let blewUp = !Number.isFinite(next);
    for (let t = s + 1; t < T && !blewUp; t++) {
      const v = loss[t];
      if (!Number.isFinite(v)) {
        peak = t;
        blewUp = true;
        break;
      }
      if (v < threshold) {
        end = t;
        break;
      }
      if (v > loss[peak]) peak = t;
    }
    const lb = before(s);
    const la = end === null ? null : after(end);
    const peakValue = loss[peak];
    events.push({
      start: s,
      peak,
      end,
      ratio: Number.isFinite(peakValue) ? peakValue / loss[s] : Infinity,
      runningMin: runMin,
      diverged: end === null,
      lambdaBefore: lb,
      lambdaAfter: la,
      lambdaDropped: lb === null || la === null ? null : la < lb,
    });
    if (end === null) break;
    s = end;
    if (loss[end] < runMin) runMin = loss[end];
  }
  return events;
}

/** Number of completed (non-diverged) spikes; with requireLambdaDrop, only those after which λ_max fell. */
export function countCatapults(events: CatapultEvent[], opts: { requireLambdaDrop?: boolean } = {}): number {
  return events.filter((e) => !e.diverged && (!opts.requireLambdaDrop || e.lambdaDropped === true)).length;
}

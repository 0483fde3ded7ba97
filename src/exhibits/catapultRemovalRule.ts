/**
 * The status rule of the catapult-removal test, written before its runs (pure; no traces).
 *
 * Per cell (task, batch size b), paired by seed, with GD = agop-batch-sweep's full-batch run and
 * U = its unmodified SGD run at b (same data, weights and batch order), and an arm X of
 * catapult-removal (capped at 0.9, rate-matched, capped at 0.7):
 *
 *   gain(X) = mean over seeds of (m_X − m_GD)   (for the test loss: m_GD − m_X, so a gain is a drop)
 *   kept(X) = gain(X) / gain(U)                  the share of SGD's gain over GD that arm X keeps
 *
 * Only seeds where every arm compared converged by the stop rule count. A cell has a gain to explain
 * when gain(U) > 2 standard errors of the paired differences (U − GD); other cells get no verdict.
 * Verdict of a cell with a gain:
 *   - "catapults do the work"       kept(capped 0.9) ≤ 0.5 and kept(rate-matched) ≥ 0.8
 *   - "catapults do not do the work" kept(capped 0.9) ≥ 0.8
 *   - "partly"                      anything else
 * The report's status for the claim "catapults cause the gain": reproduced when every cell with a
 * gain says "do the work", not reproduced when every such cell says "do not", else partly reproduced;
 * with no cell that has a gain, not reproduced (there is nothing for catapults to cause).
 */
import { meanStd } from '../lib/stats';

/** The thresholds of the rule above, in one place. */
export const REMOVAL_RULE = {
  /** kept(capped) at or below this, with the rate-matched arm keeping its gain: the catapults do the work. */
  removedAtMost: 0.5,
  /** kept at or above this: the arm keeps the gain. */
  keptAtLeast: 0.8,
  /** A gain to explain exceeds this many standard errors of the paired differences. */
  gainSe: 2,
} as const;

/** The rule in one sentence, for the report and the lab notes. */
export const REMOVAL_RULE_TEXT = `Per task and batch size, paired by seed: the share of SGD's gain over GD that an arm keeps is the mean (arm − GD) over the mean (unmodified − GD), over seeds where every arm converged; a cell has a gain to explain when the mean (unmodified − GD) exceeds ${REMOVAL_RULE.gainSe} standard errors. Catapults do the work where the capped arm keeps at most ${REMOVAL_RULE.removedAtMost * 100} % and the rate-matched arm at least ${REMOVAL_RULE.keptAtLeast * 100} %; they do not where the capped arm keeps at least ${REMOVAL_RULE.keptAtLeast * 100} %; partly otherwise. Reproduced when every cell with a gain says they do the work, not reproduced when every such cell says they do not.`;

/** The arms compared, by what a reader calls them. */
export type RemovalArm = 'gd' | 'unmodified' | 'capped' | 'matched' | 'capped07';
/** The arms that change SGD's steps (kept shares are computed for these). */
export const CHANGED_ARMS = ['capped', 'matched', 'capped07'] as const;
export type ChangedArm = (typeof CHANGED_ARMS)[number];

/** One arm's outcome in one seed: null metrics when it did not converge. */
export interface ArmOutcome {
  align: number | null;
  testLoss: number | null;
  converged: boolean;
}

/** One seed of one cell: every arm's outcome (an arm not run is absent). */
export type SeedOutcomes = { seed: number } & Partial<Record<RemovalArm, ArmOutcome>>;

export type RemovalMetric = 'align' | 'testLoss';
export type CellVerdict = 'catapults do the work' | 'catapults do not do the work' | 'partly' | 'no gain to explain';

/** A cell's numbers under the rule for one metric. */
export interface CellResult {
  metric: RemovalMetric;
  /** Seeds where GD, unmodified and every present changed arm converged. */
  seeds: number[];
  /** Mean of each arm's metric over those seeds. */
  means: Partial<Record<RemovalArm, number>>;
  /** gain(U) and its standard error over the paired seeds. */
  gain: number;
  gainSe: number;
  /** kept(X) for each changed arm present. */
  kept: Partial<Record<ChangedArm, number>>;
  verdict: CellVerdict;
}

/** Applies the rule to one cell for one metric. */
export function judgeCell(rows: readonly SeedOutcomes[], metric: RemovalMetric): CellResult {
  const present = CHANGED_ARMS.filter((a) => rows.some((r) => r[a] !== undefined));
  const arms: RemovalArm[] = ['gd', 'unmodified', ...present];
  const ok = rows.filter((r) => arms.every((a) => r[a]?.converged && r[a]![metric] !== null));
  const value = (r: SeedOutcomes, a: RemovalArm) => r[a]![metric] as number;
  // a gain is a rise of the alignment and a drop of the test loss
  const sign = metric === 'align' ? 1 : -1;
  const diff = (a: RemovalArm) => ok.map((r) => sign * (value(r, a) - value(r, 'gd')));
  const means = Object.fromEntries(arms.map((a) => [a, meanStd(ok.map((r) => value(r, a))).mean]));
  const u = meanStd(diff('unmodified'));
  const gainSe = u.n > 1 ? u.std / Math.sqrt(u.n) : NaN;
  const kept = Object.fromEntries(present.map((a) => [a, meanStd(diff(a)).mean / u.mean])) as CellResult['kept'];
  let verdict: CellVerdict;
  if (!(u.n > 1 && u.mean > REMOVAL_RULE.gainSe * gainSe)) verdict = 'no gain to explain';
  else if ((kept.capped ?? NaN) >= REMOVAL_RULE.keptAtLeast) verdict = 'catapults do not do the work';
  else if ((kept.capped ?? NaN) <= REMOVAL_RULE.removedAtMost && (kept.matched ?? NaN) >= REMOVAL_RULE.keptAtLeast)
    verdict = 'catapults do the work';
  else verdict = 'partly';
  return { metric, seeds: ok.map((r) => r.seed), means, gain: u.mean, gainSe, kept, verdict };
}

/** The report's status of "catapults cause the gain" from the verdicts of all cells. */
export function removalStatus(verdicts: readonly CellVerdict[]): 'reproduced' | 'partly reproduced' | 'not reproduced' {
  const judged = verdicts.filter((v) => v !== 'no gain to explain');
  if (judged.length === 0) return 'not reproduced';
  if (judged.every((v) => v === 'catapults do the work')) return 'reproduced';
  if (judged.every((v) => v === 'catapults do not do the work')) return 'not reproduced';
  return 'partly reproduced';
}

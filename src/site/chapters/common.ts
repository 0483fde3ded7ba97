/**
 * Helpers shared by the chapters' figure, read-out and claim builders (src/site/chapters/<slug>/):
 * number formatting, mean ± std with its text, runs grouped by grid point, settings as the traces record them.
 */
import { getTraces } from '../traces';
import { gridKeyOf } from '../../experiments/plan';
import { meanStd } from '../../lib/stats';

/** x to `d` significant digits, without trailing zeros (e.g. 0.1234 → "0.123"). */
export const sig = (x: number, d = 3): string => String(+x.toPrecision(d));

/** A task's name as prose writes it: 'rank2' → "rank-2", 'mnist35' → "MNIST 3 vs 5" (keys stay as the traces have them). */
export const taskName = (task: string): string =>
  task.replace(/^rank(\d+)$/, 'rank-$1').replace(/^mnist(\d)(\d)$/, 'MNIST $1 vs $2');

/** A fraction as a whole percentage, e.g. 0.456 → "46 %" (a no-break space before %). */
export const pct = (x: number): string => `${Math.round(100 * x)}\u00a0%`;

/**
 * The share of a spike's loss in the top kernel eigendirections (PL_5) that we read as the paper's
 * "almost entirely" / "lives in": one threshold for every such claim (chapter 1's GD spike, chapter 2's
 * SGD spikes and deep FCN). Chapter 2's rules used "more than half" until they were tightened after the runs.
 */
export const ALMOST_ENTIRELY = 0.9;

/** "mean ± std" with `digits` decimals; no-break spaces keep a value and its spread on one line. */
export const pm = (s: { mean: number; std: number }, digits = 2): string =>
  `${s.mean.toFixed(digits)}\u00a0±\u00a0${s.std.toFixed(digits)}`;

/** Mean, sample std and their "mean ± std" text (`digits` decimals), as tables and captions show them. */
export interface MeanStdText {
  mean: number;
  std: number;
  text: string;
}

/** Mean ± sample std of xs with its text (src/lib/stats.ts meanStd). */
export function meanStdText(xs: readonly number[], digits = 2): MeanStdText {
  const { mean, std } = meanStd(xs);
  return { mean, std, text: pm({ mean, std }, digits) };
}

/** The one value every entry of `values` has (compared as JSON); throws naming `what` and the values when they differ. */
export function agreed<V>(values: readonly V[], what: string): V {
  if (values.length === 0) throw new Error(`${what}: nothing to read it from`);
  const distinct = new Map(values.map((v) => [JSON.stringify(v), v]));
  if (distinct.size !== 1)
    throw new Error(
      `${what} differs between runs (${[...distinct.keys()].join(', ')}); quote it per run, not as one value`,
    );
  return values[0];
}

/**
 * The value of config field `key` that every one of `traces` records (what prose quotes as "the"
 * setting); throws naming the experiment, the field and the values when the runs disagree.
 */
export function agreedSetting<T extends { experiment: string; config: object }, K extends keyof T['config'] & string>(
  traces: readonly T[],
  key: K,
): T['config'][K] {
  return agreed(
    traces.map((t) => (t.config as T['config'])[key]),
    `${traces[0]?.experiment ?? 'agreedSetting'}: config.${key}`,
  );
}

/** How many distinct seeds the traces ran. */
export const seedCount = (traces: readonly { seed: number }[]): number => new Set(traces.map((t) => t.seed)).size;

/**
 * What an experiment's traces record about how they ran, for a figure's settings disclosure: the
 * profile, the number of runs, the seeds, every config field with one value in all runs, and under
 * "varies by run" the values of each field that differs between them.
 */
export function recordedSettings(id: string): Record<string, unknown> {
  const traces = getTraces(id);
  if (traces.length === 0)
    throw new Error(`${id}: no traces in content/traces; run npm run experiments -- --only ${id}`);
  const same: Record<string, unknown> = {};
  const varies: Record<string, unknown[]> = {};
  for (const k of [...new Set(traces.flatMap((t) => Object.keys(t.config)))]) {
    const seen = new Map(
      traces.map((t) => [
        JSON.stringify((t.config as Record<string, unknown>)[k]) ?? 'null',
        (t.config as Record<string, unknown>)[k],
      ]),
    );
    if (seen.size === 1) same[k] = [...seen.values()][0];
    else varies[k] = [...seen.values()];
  }
  const seeds = [...new Set(traces.map((t) => t.seed))].sort((a, b) => a - b);
  return {
    profile: traces[0].profile,
    runs: traces.length,
    seeds,
    ...same,
    ...(Object.keys(varies).length ? { 'varies by run': varies } : {}),
  };
}

/** Runs grouped by their key without the seed suffix ("-s<seed>"), in first-seen order. */
export function byGridKey<T extends { runKey: string }>(traces: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const t of traces) {
    const k = gridKeyOf(t.runKey);
    const group = out.get(k);
    if (group) group.push(t);
    else out.set(k, [t]);
  }
  return out;
}

/** `v`, which must be present (not null or undefined); throws naming what is missing. */
export function present<T>(v: T | null | undefined, what: string): T {
  if (v === null || v === undefined) throw new Error(`no ${what}: the traces do not provide it`);
  return v;
}

/** The median of xs, the mean of the two middle values for an even count (src/lib/stats.ts `median` takes the upper one); NaN if empty. */
export function midMedian(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const a = [...xs].sort((p, q) => p - q);
  const h = Math.floor(a.length / 2);
  return a.length % 2 ? a[h] : (a[h - 1] + a[h]) / 2;
}

const COUNT_WORDS = [
  'no',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
];

/** `x` with its first letter upper-case, to open a sentence. */
export const capitalised = (x: string): string => x.charAt(0).toUpperCase() + x.slice(1);

/** A count as prose writes it: words up to twelve ("four"), digits beyond. */
export const countWord = (n: number): string =>
  Number.isInteger(n) && n >= 0 && n < COUNT_WORDS.length ? COUNT_WORDS[n] : String(n);

/** "two of the six", or "all six" when every one counts ("none of the four" when none does). */
export const countOf = (k: number, n: number): string =>
  k === n && n > 1
    ? `all ${countWord(n)}`
    : k === 0
      ? `none of the ${countWord(n)}`
      : `${countWord(k)} of the ${countWord(n)}`;

/** Items joined as prose lists them: "a", "a and b", "a, b and c". */
export const listWords = (xs: readonly string[]): string =>
  xs.length < 2 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;

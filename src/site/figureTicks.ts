/**
 * Axis ticks for the figure engine: linear ticks with labels at the step's precision, log ticks that
 * always label at least three values (decades, then 1-3, 1-2-5 and 1…9 mantissas, then plain numbers
 * for a narrow range), and symlog ticks (0, 1, 10, …) for a log step axis that includes step 0.
 * Labels use a real minus sign and powers of ten with superscript digits.
 */
import { tickStep, ticks as d3ticks } from 'd3';

export type ScaleKind = 'linear' | 'log' | 'symlog';

export interface Tick {
  value: number;
  /** Empty for a minor (unlabelled) tick. */
  label: string;
}

const SUPERSCRIPT: Record<string, string> = {
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
  '-': '⁻',
};
const minus = (s: string) => s.replace(/^-/, '−');

/** 10 to an integer power with superscript digits: 10⁻³. */
export const pow10Label = (k: number) => `10${String(k).replace(/./g, (c) => SUPERSCRIPT[c] ?? c)}`;

/** m·10^k with m one significant-ish mantissa: "2·10⁵", or "10⁵" for m = 1. */
function mantissaLabel(v: number): string {
  const k = Math.floor(Math.log10(Math.abs(v)) + 1e-9);
  const m = +(v / 10 ** k).toPrecision(3);
  return `${v < 0 ? '−' : ''}${Math.abs(m) === 1 ? '' : `${Math.abs(m)}·`}${pow10Label(k)}`;
}

/** A number as an axis label, given the spacing of its neighbours (for the number of decimals). */
export function formatTick(v: number, step: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return mantissaLabel(v);
  const decimals = Math.max(0, Math.min(8, -Math.floor(Math.log10(Math.abs(step)) + 1e-9)));
  return minus(String(+v.toFixed(decimals)));
}

/** Linear ticks of [d0, d1], about `count` of them. */
export function linearTicks(d0: number, d1: number, count: number): Tick[] {
  const vs = d3ticks(d0, d1, Math.max(1, count));
  const step = vs.length > 1 ? vs[1] - vs[0] : tickStep(d0, d1, Math.max(1, count)) || 1;
  return vs.map((v) => ({ value: v, label: formatTick(v, step) }));
}

const MANTISSAS = [[1], [1, 3], [1, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]];

function logLabel(v: number, useExp: boolean): string {
  if (useExp) return mantissaLabel(v);
  return String(+v.toPrecision(6));
}

/**
 * Log ticks of [d0, d1] (0 < d0 < d1): at least three labelled, at most about `maxCount`; decades
 * thinned to every 2nd, 5th, 10th… when there are many; unlabelled minor ticks at 2…9 between
 * labelled decades when they are far enough apart.
 */
export function logTicks(d0: number, d1: number, maxCount: number): Tick[] {
  const lo = d0 * (1 - 1e-9);
  const hi = d1 * (1 + 1e-9);
  const k0 = Math.floor(Math.log10(d0));
  const k1 = Math.ceil(Math.log10(d1));
  const max = Math.max(3, maxCount);
  for (const ms of MANTISSAS) {
    let vs: number[] = [];
    for (let k = k0; k <= k1; k++)
      for (const m of ms) {
        const v = +(m * 10 ** k).toPrecision(12);
        if (v >= lo && v <= hi) vs.push(v);
      }
    if (vs.length < 3) continue;
    let minor: number[] = [];
    if (ms.length === 1) {
      if (vs.length > max) {
        // Every n-th decade, n from 1-2-5, aligned on exponents divisible by n.
        const n = [2, 5, 10, 20, 50, 100, 200, 500].find((s) => Math.ceil(vs.length / s) <= max) ?? 1000;
        vs = vs.filter((v) => Math.round(Math.log10(v)) % n === 0);
        if (vs.length < 3) continue;
      } else if (vs.length <= 6) {
        for (let k = k0; k <= k1; k++)
          for (let m = 2; m <= 9; m++) {
            const v = m * 10 ** k;
            if (v >= lo && v <= hi) minor.push(v);
          }
      }
    } else if (vs.length > max) continue;
    const useExp = vs.some((v) => v >= 1e4 || v < 1e-2);
    return [
      ...vs.map((v) => ({ value: v, label: logLabel(v, useExp) })),
      ...minor.map((v) => ({ value: v, label: '' })),
    ];
  }
  // A narrow range: plain numbers at linear steps, enough of them to label three.
  for (let c = Math.min(5, max); c <= 12; c++) {
    const t = linearTicks(d0, d1, c).filter((x) => x.value > 0);
    if (t.length >= 3) return t;
  }
  return [d0, Math.sqrt(d0 * d1), d1].map((v) => ({ value: v, label: String(+v.toPrecision(3)) }));
}

/** Symlog ticks (constant 1): 0 and decades, thinned like log ticks. */
export function symlogTicks(d0: number, d1: number, maxCount: number): Tick[] {
  const out: Tick[] = [];
  if (d0 <= 0 && d1 >= 0) out.push({ value: 0, label: '0' });
  if (d1 >= 1)
    out.push(...logTicks(Math.max(1, d0), d1, Math.max(3, maxCount - out.length)).filter((t) => t.label !== ''));
  if (d0 <= -1)
    out.push(
      ...logTicks(1, -d0, maxCount)
        .filter((t) => t.label !== '')
        .map((t) => ({ value: -t.value, label: `−${t.label}` })),
    );
  return out.sort((a, b) => a.value - b.value);
}

/** Ticks of an axis of the given kind. */
export function axisTicks(kind: ScaleKind, d0: number, d1: number, count: number): Tick[] {
  if (kind === 'log') return logTicks(d0, d1, count);
  if (kind === 'symlog') return symlogTicks(d0, d1, count);
  return linearTicks(d0, d1, count);
}

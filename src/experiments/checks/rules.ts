/**
 * The vocabulary of semantic trace checks: what a run's numbers must satisfy beyond being finite
 * and of declared shape. Counts are whole numbers ≥ 0; step numbers are whole, strictly increasing
 * and within the run; peaks lie inside the series they were found in; series have the lengths the
 * config implies; magnitudes stay below what the experiment's stop rule allows. Pure: no fs.
 *
 * These checks live apart from the experiments (which never import them), so declaring or changing
 * one stales no trace.
 */
import type { SummaryValue } from '../trace';

/** One broken rule: the field ("summary.x", "series.x" or "series.x[i]") and what is wrong with it. */
export interface SemanticIssue {
  field: string;
  message: string;
}

/** What the checks see of a decoded trace. */
export interface TraceView {
  experiment: string;
  runKey: string;
  config: Record<string, unknown>;
  summary: Record<string, SummaryValue>;
  series: Record<string, number[]>;
}

const isWhole = (x: number) => Number.isInteger(x);

/** Collects the issues of one trace; each rule names the field it checks. */
export class Checker {
  readonly issues: SemanticIssue[] = [];
  constructor(readonly t: TraceView) {}

  private fail(field: string, message: string) {
    this.issues.push({ field, message });
  }

  /** A config value as a number (throws if the config lacks it: a declaration error, not a corrupt trace). */
  num(key: string): number {
    const v = this.t.config[key];
    if (typeof v !== 'number') throw new Error(`trace checks of ${this.t.experiment}: config.${key} is not a number`);
    return v;
  }

  /** A summary value as a number, or null when null or absent. */
  sum(key: string): number | null {
    const v = this.t.summary[key];
    return typeof v === 'number' ? v : null;
  }

  /** A series, or undefined when the trace has none of that name. */
  series(name: string): number[] | undefined {
    return this.t.series[name];
  }

  /** The numbers a field holds with their field names: a series' elements, or one summary number (none if null). */
  private entries(field: string): [string, number][] {
    const [kind, name] = field.split(/\.(.*)/s);
    if (kind === 'series') return (this.t.series[name] ?? []).map((x, i) => [`${field}[${i}]`, x]);
    const v = this.t.summary[name];
    return typeof v === 'number' ? [[field, v]] : [];
  }

  /** Each field holds whole numbers ≥ 0 (a summary null is allowed: "did not happen"). */
  counts(...fields: string[]): this {
    for (const f of fields) {
      const bad = this.entries(f).find(([, x]) => !isWhole(x) || x < 0);
      if (bad) this.fail(bad[0], `is ${bad[1]}, but a count is a whole number ≥ 0`);
    }
    return this;
  }

  /** Each field holds 0 or 1 (a flag stored as a number). */
  flags(...fields: string[]): this {
    for (const f of fields) {
      const bad = this.entries(f).find(([, x]) => x !== 0 && x !== 1);
      if (bad) this.fail(bad[0], `is ${bad[1]}, but it is a flag (0 or 1)`);
    }
    return this;
  }

  /** Each field holds whole step numbers in [lo, hi] (`what` says where they must lie). */
  stepsIn(fields: string | string[], lo: number, hi: number, what: string): this {
    for (const f of Array.isArray(fields) ? fields : [fields]) {
      const bad = this.entries(f).find(([, x]) => !isWhole(x) || x < lo || x > hi);
      if (bad) this.fail(bad[0], `is ${bad[1]}, but it is a step number ${what} (${lo}…${hi})`);
    }
    return this;
  }

  /** Series `name` holds whole step numbers in [lo, hi], strictly increasing. */
  increasingSteps(name: string, lo: number, hi: number, what = 'within the run'): this {
    const xs = this.t.series[name];
    if (!xs) return this;
    this.stepsIn(`series.${name}`, lo, hi, what);
    for (let i = 1; i < xs.length; i++) {
      if (!(xs[i] > xs[i - 1])) {
        this.fail(`series.${name}[${i}]`, `is ${xs[i]} after ${xs[i - 1]}: step numbers must strictly increase`);
        break;
      }
    }
    return this;
  }

  /** Each field's values lie inside the range of step numbers series `axis` holds (peaks inside their series). */
  insideSeries(fields: string | string[], axis: string): this {
    const a = this.t.series[axis];
    if (!a || a.length === 0) {
      for (const f of Array.isArray(fields) ? fields : [fields]) {
        const any = this.entries(f)[0];
        if (any) this.fail(any[0], `is ${any[1]}, but the run recorded no steps (series.${axis} is empty)`);
      }
      return this;
    }
    return this.stepsIn(fields, a[0], a[a.length - 1], `inside series.${axis}`);
  }

  /** Series `name` (when present) has exactly `n` values (`why` says where n comes from). */
  length(name: string, n: number, why: string): this {
    const xs = this.t.series[name];
    if (xs && xs.length !== n) this.fail(`series.${name}`, `has ${xs.length} values, but ${why} implies ${n}`);
    return this;
  }

  /** Every series in `names` that the trace has holds `n` values. */
  lengths(names: string[], n: number, why: string): this {
    for (const name of names) this.length(name, n, why);
    return this;
  }

  /** Each field's absolute values are at most `bound` (`why` names the rule that bounds them). */
  atMost(fields: string | string[], bound: number, why: string): this {
    for (const f of Array.isArray(fields) ? fields : [fields]) {
      const bad = this.entries(f).find(([, x]) => Math.abs(x) > bound);
      if (bad) this.fail(bad[0], `is ${bad[1]}, more than ${bound} in absolute value, which ${why} rules out`);
    }
    return this;
  }

  /** Each field's values lie in [lo, hi]. */
  inRange(fields: string | string[], lo: number, hi: number, what: string): this {
    for (const f of Array.isArray(fields) ? fields : [fields]) {
      const bad = this.entries(f).find(([, x]) => x < lo || x > hi);
      if (bad) this.fail(bad[0], `is ${bad[1]}, outside ${lo}…${hi} (${what})`);
    }
    return this;
  }

  /** A free-form rule: `ok` must hold, else `field` fails with `message`. */
  require(ok: boolean, field: string, message: string): this {
    if (!ok) this.fail(field, message);
    return this;
  }
}

/** The semantic checks of one experiment: rules applied to each of its traces. */
export type TraceChecks = (c: Checker) => void;

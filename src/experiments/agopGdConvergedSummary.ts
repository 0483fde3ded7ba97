/**
 * Read-outs pairing agop-gd-converged (GD trained to the stop rule) with the agop-batch-sweep runs of
 * the same seed: per seed the converged GD's alignment and test loss next to the sweep's step-budget
 * GD and its SGD batch sizes. Pure: takes decoded traces, reads no files.
 */
import type { Trace } from './trace';
import { meanAndStd } from './agopGdCatapultsSummary';

const num = (t: Trace | undefined, k: string): number => {
  const v = t?.summary[k];
  return typeof v === 'number' ? v : NaN;
};

/** One seed: converged GD, budget GD and each SGD batch size (alignment, test MSE / Var f*). */
export interface ConvergedRow {
  seed: number;
  gdSteps: number;
  gd: { align: number; testOverVar: number };
  budgetGd: { align: number; testOverVar: number };
  /** Sweep batch sizes below n, largest first. */
  sgd: { b: number; align: number; testOverVar: number }[];
}

/** Per-seed rows for one task; `sweep` are agop-batch-sweep traces (batch size n is its GD). */
export function convergedRows(converged: Trace[], sweep: Trace[], task: 'rank2' | 'rank4'): ConvergedRow[] {
  const sw = sweep.filter((t) => t.summary.task === task);
  const bs = [...new Set(sw.map((t) => num(t, 'batchSize')))].sort((a, b) => b - a);
  const n = bs[0];
  return converged
    .filter((t) => t.summary.task === task)
    .sort((a, b) => a.seed - b.seed)
    .map((g) => {
      const at = (b: number) => sw.find((t) => t.seed === g.seed && num(t, 'batchSize') === b);
      return {
        seed: g.seed,
        gdSteps: num(g, 'steps'),
        gd: { align: num(g, 'alignTrain'), testOverVar: num(g, 'testLossOverVar') },
        budgetGd: { align: num(at(n), 'alignTrain'), testOverVar: num(at(n), 'testLossOverVar') },
        sgd: bs.slice(1).map((b) => ({ b, align: num(at(b), 'alignTrain'), testOverVar: num(at(b), 'testLossOverVar') })),
      };
    });
}

/** Seeds in which every SGD batch size of `bs` beats the converged GD (higher alignment, or lower test loss). */
export function seedsBeatingConvergedGd(rows: ConvergedRow[], bs: number[], key: 'align' | 'testOverVar'): { holds: number; seeds: number } {
  const better = (s: number, g: number) => (key === 'align' ? s > g : s < g);
  const holds = rows.filter((r) => bs.every((b) => {
    const s = r.sgd.find((x) => x.b === b);
    return s !== undefined && better(s[key], r.gd[key]);
  })).length;
  return { holds, seeds: rows.length };
}

/** Mean ± std over seeds of each column of the rows (converged GD, budget GD, each SGD batch size). */
export function convergedMeans(rows: ConvergedRow[]) {
  const col = (f: (r: ConvergedRow) => number) => meanAndStd(rows.map(f));
  const bs = rows[0]?.sgd.map((s) => s.b) ?? [];
  return {
    gdSteps: col((r) => r.gdSteps),
    gd: { align: col((r) => r.gd.align), testOverVar: col((r) => r.gd.testOverVar) },
    budgetGd: { align: col((r) => r.budgetGd.align), testOverVar: col((r) => r.budgetGd.testOverVar) },
    sgd: bs.map((b) => ({
      b,
      align: col((r) => r.sgd.find((s) => s.b === b)!.align),
      testOverVar: col((r) => r.sgd.find((s) => s.b === b)!.testOverVar),
    })),
  };
}

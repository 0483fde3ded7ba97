/**
 * Chapter 3, "do catapults help generalisation?": from the test-loss-vs-eta traces, per task and
 * learning rate, the test loss and AGOP alignment over the seeds that converged, how many diverged,
 * and where the test loss is lowest; the figure and the report row are built from these.
 */
import { getTraces, nonEmpty, type TraceOf } from '../../traces';
import { meanStd } from '../../../lib/stats';
import { agreedSetting, recordedSettings, seedCount, sig, taskName } from '../common';
import type { FigureSpec, SeriesSpec } from '../../figure';

export const GENERALIZATION_EXP = 'test-loss-vs-eta';
type Trace = TraceOf<'test-loss-vs-eta'>;
type Task = Trace['summary']['task'];

/** Mean, sample std, min and max of a non-empty list. */
interface Spread {
  mean: number;
  std: number;
  min: number;
  max: number;
}
const spread = (xs: number[]): Spread | null =>
  xs.length ? { ...meanStd(xs), min: Math.min(...xs), max: Math.max(...xs) } : null;

/** One learning rate of one task, over its seeds. */
export interface EtaRow {
  task: Task;
  etaRatio: number;
  seeds: number;
  diverged: number;
  /** Seeds that met the stop rule (training MSE below stopMse) rather than the step budget. */
  converged: number;
  /** Over the non-diverged seeds; null if all diverged. */
  testOverVar: Spread | null;
  align: Spread | null;
  catapults: Spread | null;
}

/** The settings the prose and caption quote, as every test-loss-vs-eta trace records them. */
export function generalizationSettings() {
  const all = nonEmpty(getTraces(GENERALIZATION_EXP), `${GENERALIZATION_EXP} runs`);
  return {
    /** η/η_crit of the runs, ascending. */
    etaRatios: [...new Set(all.map((t) => t.config.etaRatio))].sort((a, b) => a - b),
    seeds: seedCount(all),
    stopMse: agreedSetting(all, 'stopMse'),
    m: agreedSetting(all, 'm'),
    n: agreedSetting(all, 'n'),
  };
}

/** The tasks present in the traces, in profile order. */
export function generalizationTasks(): Task[] {
  return [...new Set(getTraces(GENERALIZATION_EXP).map((t) => t.summary.task))];
}

/** Per learning rate (ascending) of `task`: test loss, alignment, catapults and divergences over the seeds. */
export function etaRows(task: Task): EtaRow[] {
  const runs = getTraces(GENERALIZATION_EXP).filter((t) => t.summary.task === task);
  const rates = [...new Set(runs.map((t) => t.summary.etaRatio))].sort((a, b) => a - b);
  const rows = rates.map((etaRatio) => {
    const at = runs.filter((t) => t.summary.etaRatio === etaRatio);
    const ok = at.filter((t) => !t.summary.diverged);
    const num = (f: (t: Trace) => number | null) =>
      spread(ok.map(f).filter((v): v is number => v !== null && Number.isFinite(v)));
    return {
      task,
      etaRatio,
      seeds: at.length,
      diverged: at.length - ok.length,
      converged: at.filter((t) => t.summary.stopReason === 'converged').length,
      testOverVar: num((t) => t.summary.testLossOverVar),
      align: num((t) => t.summary.alignTrain),
      catapults: num((t) => t.summary.catapults),
    };
  });
  return nonEmpty(rows, `${GENERALIZATION_EXP} runs of ${task}`);
}

/** Where the mean test loss is lowest, and the lowest rate at which some seed diverged (null if none). */
export function bestRate(task: Task): { best: EtaRow; lowestDiverging: number | null; largestConvergent: number } {
  const rows = etaRows(task);
  const finite = rows.filter((r) => r.testOverVar !== null && r.diverged === 0);
  const best = nonEmpty(finite, `${task} rates at which no seed diverged`).reduce((a, b) =>
    b.testOverVar!.mean < a.testOverVar!.mean ? b : a,
  );
  const div = rows.find((r) => r.diverged > 0);
  return { best, lowestDiverging: div?.etaRatio ?? null, largestConvergent: finite[finite.length - 1].etaRatio };
}

/** How many of the largest grid rates below the first divergence count as "near η_max". */
export const NEAR_ETA_MAX_STEPS = 2;

/**
 * Whether a task's best rate is near η_max: `reached` when some rate of the grid diverged (else η_max
 * lies beyond the grid and nearness cannot be judged), `near` when the best rate is also among the
 * NEAR_ETA_MAX_STEPS largest grid rates below the first that diverged.
 */
export function nearEtaMax(task: Task): { reached: boolean; near: boolean } {
  const { best, lowestDiverging } = bestRate(task);
  if (lowestDiverging === null) return { reached: false, near: false };
  const below = etaRows(task)
    .map((r) => r.etaRatio)
    .filter((e) => e < lowestDiverging);
  return { reached: true, near: below.slice(-NEAR_ETA_MAX_STEPS).includes(best.etaRatio) };
}

/**
 * The shaded catapult region: from the lowest to the highest rate at which every trained seed of
 * every task had a detected loss spike (null if the tasks share no such range).
 */
export function catapultRegion(): { from: number; to: number } | null {
  const ranges = generalizationTasks().map((task) => {
    const all = etaRows(task).filter((r) => r.catapults !== null && r.catapults.min >= 1);
    return all.length ? { from: all[0].etaRatio, to: all[all.length - 1].etaRatio } : null;
  });
  if (ranges.some((r) => r === null)) return null;
  const from = Math.max(...ranges.map((r) => r!.from));
  const to = Math.min(...ranges.map((r) => r!.to));
  return to > from ? { from, to } : null;
}

/** Props of the figure: test loss / Var(y) and AGOP alignment against η/η_crit, band = min–max over seeds. */
export function generalizationFigure() {
  const tasks = generalizationTasks();
  const line = (task: Task, i: number, pick: (r: EtaRow) => Spread | null): SeriesSpec | null => {
    const rows = etaRows(task).filter((r) => pick(r) !== null || r.diverged === r.seeds);
    const kept = rows.filter((r) => pick(r) !== null);
    if (!kept.length) return null;
    return {
      name: taskName(task),
      x: kept.map((r) => r.etaRatio),
      y: kept.map((r) => pick(r)!.mean),
      yLow: kept.map((r) => pick(r)!.min),
      yHigh: kept.map((r) => pick(r)!.max),
      divergedAt: rows.filter((r) => r.diverged === r.seeds).map((r) => r.etaRatio),
      pointLabels: kept.map((r) => `${taskName(task)} at ${r.etaRatio} η_crit (${r.seeds - r.diverged} seeds)`),
      color: i,
    };
  };
  const present = (xs: (SeriesSpec | null)[]) => xs.filter((s): s is SeriesSpec => s !== null);
  const region = catapultRegion();
  const spans = region ? [{ ...region, label: 'every run spikes' }] : [];
  const spec: FigureSpec = {
    panels: [
      {
        title: 'Test loss at the same training loss',
        xLabel: 'η / η_crit',
        yLabel: 'test MSE / Var y',
        series: present(tasks.map((t, i) => line(t, i, (r) => r.testOverVar))),
        vlines: [{ value: 1, label: 'η_crit' }],
        spans,
      },
      {
        title: 'AGOP alignment (rank-2)',
        xLabel: 'η / η_crit',
        yLabel: 'alignment cos(G, G*)',
        series: present(tasks.map((t, i) => line(t, i, (r) => r.align))),
        vlines: [{ value: 1, label: 'η_crit' }],
        spans,
      },
    ],
  };
  const cfg = generalizationSettings();
  const best = tasks.map((t) => ({ t, ...bestRate(t) }));
  return {
    spec,
    caption: `Full-batch GD by learning rate: test loss at the same training loss, and AGOP alignment; band = min–max over seeds, ✕: every seed diverged.`,
    finding: `${best.map((b) => `${taskName(b.t)}: lowest test loss at ${b.best.etaRatio} η_crit`).join('; ')}.`,
    setup: `Full-batch GD on the shallow ReLU net (width ${cfg.m}, n = ${cfg.n}), ${cfg.seeds} seeds per rate, every run trained until its training MSE is below ${cfg.stopMse} (or a step budget); mean over the seeds that did not diverge, band = min–max; ✕ marks a rate at which every seed diverged.${region ? ` Shaded: ${region.from}–${region.to} η_crit, the rates at which every trained seed of every task had a detected loss spike.` : ' No range of rates had a loss spike in every trained seed of every task, so nothing is shaded.'}`,
    alt: best
      .map(
        (b) =>
          `${taskName(b.t)}: the lowest test loss is at ${b.best.etaRatio} η_crit (${sig(b.best.testOverVar!.mean)} of Var y)${b.lowestDiverging !== null ? `; some seeds diverge from ${b.lowestDiverging} η_crit` : ''}`,
      )
      .join('. ')
      .concat('.'),
    settings: { 'test-loss-vs-eta (as its traces record)': recordedSettings(GENERALIZATION_EXP) },
    experiment: GENERALIZATION_EXP,
    data: { rows: tasks.flatMap(etaRows) },
  };
}

/** One task's result as a sentence: where the test loss is lowest, against the smallest rate, and whether that is above η_crit. */
export function generalizationVerdict(task: Task): string {
  const { best, lowestDiverging, largestConvergent } = bestRate(task);
  const low = etaRows(task)[0];
  const near = nearEtaMax(task);
  const where =
    best.etaRatio > 1
      ? `above η_crit, as Lewkowycz et al. found${near.near ? ', and near η_max' : near.reached ? ', but not near η_max' : ''}`
      : `at or below η_crit, so here the claim does not hold`;
  const lowText = low.testOverVar
    ? `${sig(low.testOverVar.mean)} at ${low.etaRatio} η_crit`
    : `a divergence at ${low.etaRatio} η_crit`;
  const top = etaRows(task).at(-1)!.etaRatio;
  const edge =
    lowestDiverging !== null
      ? `; the largest rate at which no seed diverged is ${largestConvergent} η_crit, and from ${lowestDiverging} η_crit some do`
      : best.etaRatio === top
        ? `; that is the largest rate we ran and no seed diverged there, so the lowest test loss may lie higher still`
        : '';
  return `${taskName(task)}: the lowest mean test loss, ${sig(best.testOverVar!.mean)} of Var y, is at ${best.etaRatio} η_crit, ${where} (against ${lowText})${edge}`;
}

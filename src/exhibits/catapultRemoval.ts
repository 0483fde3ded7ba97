/**
 * Exhibit of catapult-removal (and its 0.7 variant): everything a reader sees of the causal test.
 * It reads the traces once (with agop-batch-sweep's GD and unmodified SGD runs of the same seeds),
 * takes every setting from the traces' configs, and gives the figure, the tables' rows, the
 * sentences with their numbers, and the report's claims judged by the rule of catapultRemovalRule.ts.
 */
import { getTraces, type TraceOf } from '../site/traces';
import type { FigureSpec, SeriesSpec } from '../site/figure';
import type { Claim } from '../site/claims/types';
import { agreedSetting, pct, taskName } from '../site/chapters/common';
import { meanStd } from '../lib/stats';
import { runKeyOf } from '../experiments/plan';
import { dateRule, ruleDatingText } from '../node/ruleHistory';
import {
  CHANGED_ARMS,
  judgeCell,
  REMOVAL_RULE_TEXT,
  removalStatus,
  type ArmOutcome,
  type CellResult,
  type ChangedArm,
  type RemovalArm,
  type RemovalMetric,
  type SeedOutcomes,
} from './catapultRemovalRule';

export const REMOVAL_EXP = 'catapult-removal';
export const REMOVAL07_EXP = 'catapult-removal-cap07';
const SWEEP_EXP = 'agop-batch-sweep';

type RemovalTrace = TraceOf<'catapult-removal'>;
type SweepTrace = TraceOf<'agop-batch-sweep'>;
type Summary = RemovalTrace['summary'];

/** What a reader calls each arm, in the order tables and legends list them; cap fractions as the runs record them. */
export function armNames(): Record<RemovalArm, string> {
  const { removal, removal07 } = load();
  const cap = (ts: RemovalTrace[]) => (ts.length ? `capped at ${agreedSetting(ts, 'capFraction')}` : 'capped');
  return {
    gd: 'GD',
    unmodified: 'SGD, unmodified',
    capped: cap(removal),
    matched: 'rate-matched',
    capped07: cap(removal07),
  };
}
const ARM_ORDER: RemovalArm[] = ['gd', 'unmodified', 'capped', 'matched', 'capped07'];

/** One cell of the test: a task and an SGD batch size, with every seed's outcomes and the traces behind them. */
export interface RemovalCell {
  task: 'rank2' | 'rank4';
  b: number;
  rows: SeedOutcomes[];
  removal: RemovalTrace[];
  removal07: RemovalTrace[];
  align: CellResult;
  testLoss: CellResult;
}

interface Loaded {
  cells: RemovalCell[];
  removal: RemovalTrace[];
  removal07: RemovalTrace[];
  sweep: SweepTrace[];
}

let loaded: Loaded | null = null;

/** An arm's outcome from a catapult-removal summary. */
function armOutcome(s: Summary, arm: 'capped' | 'matched'): ArmOutcome | undefined {
  const v = s as unknown as Record<string, number | string | null>;
  if (v[`${arm}Stop`] === null) return undefined;
  return {
    align: v[`${arm}Align`] as number | null,
    testLoss: v[`${arm}TestLossOverVar`] as number | null,
    converged: v[`${arm}Stop`] === 'converged',
  };
}

/** The sweep run's outcome (alignment on the training inputs, test MSE / Var y). */
const sweepOutcome = (t: SweepTrace): ArmOutcome => ({
  align: t.summary.alignTrain,
  testLoss: t.summary.testLossOverVar,
  converged: t.summary.stopReason === 'converged',
});

/** Builds the cells from the traces (pure: tests pass constructed traces). */
export function buildCells(removal: RemovalTrace[], removal07: RemovalTrace[], sweep: SweepTrace[]): RemovalCell[] {
  const keys = [...new Set(removal.map((t) => `${t.config.task}:${t.config.b}`))];
  return keys.map((key) => {
    const [task, bText] = key.split(':') as ['rank2' | 'rank4', string];
    const b = Number(bText);
    const inCell = (t: RemovalTrace) => t.config.task === task && t.config.b === b;
    const mine = removal.filter(inCell).sort((x, y) => x.seed - y.seed);
    const mine07 = removal07.filter(inCell);
    const n = mine[0].config.n;
    const sweepRun = (batch: number, seed: number) =>
      sweep.find(
        (t) => t.summary.task === task && t.summary.batchSize === batch && !t.summary.control && t.seed === seed,
      );
    const rows: SeedOutcomes[] = mine.map((t) => {
      const gd = sweepRun(n, t.seed);
      const u = sweepRun(b, t.seed);
      if (!gd || !u)
        throw new Error(
          `exhibit ${REMOVAL_EXP}: agop-batch-sweep has no ${!gd ? `GD (b = ${n})` : `b = ${b}`} run of ${task} seed ${t.seed} to pair with ${t.runKey}; run npm run experiments -- --only ${SWEEP_EXP}`,
        );
      const c07 = mine07.find((x) => x.seed === t.seed);
      return {
        seed: t.seed,
        gd: sweepOutcome(gd),
        unmodified: sweepOutcome(u),
        capped: armOutcome(t.summary, 'capped'),
        ...(armOutcome(t.summary, 'matched') ? { matched: armOutcome(t.summary, 'matched') } : {}),
        ...(c07 ? { capped07: armOutcome(c07.summary, 'capped') } : {}),
      };
    });
    return {
      task,
      b,
      rows,
      removal: mine,
      removal07: mine07,
      align: judgeCell(rows, 'align'),
      testLoss: judgeCell(rows, 'testLoss'),
    };
  });
}

function load(): Loaded {
  if (loaded) return loaded;
  const removal = getTraces(REMOVAL_EXP);
  const removal07 = getTraces(REMOVAL07_EXP);
  const sweep = getTraces(SWEEP_EXP);
  loaded = { removal, removal07, sweep, cells: buildCells(removal, removal07, sweep) };
  return loaded;
}

/** The cells, rank-2 first, smaller batch first. */
export function removalCells(): RemovalCell[] {
  return [...load().cells].sort((x, y) => x.task.localeCompare(y.task) || x.b - y.b);
}

/** "Rank-2, batch 5": a cell's name, capitalised since it opens sentences and table rows. */
const cellName = (c: { task: string; b: number }) => {
  const name = `${taskName(c.task)}, batch ${c.b}`;
  return name[0].toUpperCase() + name.slice(1);
};
const num = (s: Summary, k: string) => (s as unknown as Record<string, number | null>)[k];

/** The report status of "catapults cause the gain", per metric. */
export function removalVerdict(metric: RemovalMetric) {
  const cells = removalCells();
  const results = cells.map((c) => c[metric]);
  return { status: removalStatus(results.map((r) => r.verdict)), cells, results };
}

/** A number, or null when it is missing or not finite (a download's empty cell). */
const finiteOrNull = (x: number | undefined): number | null => (x !== undefined && Number.isFinite(x) ? x : null);

/** Kept share as a percentage, or a dash when there is no gain to share. */
const keptText = (r: CellResult, arm: ChangedArm) =>
  r.kept[arm] === undefined || !Number.isFinite(r.kept[arm]!) ? '—' : pct(r.kept[arm]!);

/** The smallest and largest share of the alignment gain an arm keeps over the cells ("—" if none is defined). */
function keptRange(cells: RemovalCell[], arm: ChangedArm): string {
  const v = cells.map((c) => c.align.kept[arm]).filter((x): x is number => x !== undefined && Number.isFinite(x));
  if (v.length === 0) return '—';
  const [lo, hi] = [Math.min(...v), Math.max(...v)];
  return lo === hi ? pct(lo) : `${pct(lo)} to ${pct(hi)}`;
}

/** One row per cell and metric for the results table: arms' means, kept shares, verdict. */
export function removalTableRows(metric: RemovalMetric) {
  return removalCells().map((c) => {
    const r = c[metric];
    return {
      cell: cellName(c),
      seeds: r.seeds.length,
      means: Object.fromEntries(ARM_ORDER.map((a) => [a, r.means[a] === undefined ? '—' : r.means[a]!.toFixed(3)])),
      kept: Object.fromEntries(CHANGED_ARMS.map((a) => [a, keptText(r, a)])),
      gain: `${r.gain.toFixed(3)} ± ${r.gainSe.toFixed(3)}`,
      verdict: r.verdict,
      /** The numbers behind the texts (for downloads): means, kept shares in %, gain and its s.e.; null where there is none. */
      raw: {
        seeds: r.seeds,
        means: Object.fromEntries(ARM_ORDER.map((a) => [a, finiteOrNull(r.means[a])])),
        keptPercent: Object.fromEntries(
          CHANGED_ARMS.map((a) => [a, r.kept[a] === undefined ? null : finiteOrNull(100 * r.kept[a]!)]),
        ),
        gain: finiteOrNull(r.gain),
        gainSe: finiteOrNull(r.gainSe),
      },
    };
  });
}

/** Per cell and arm: steps in the catapult regime, mean step, spikes and catapults (every-step seeds). */
export function removalCountRows() {
  return removalCells().flatMap((c) => {
    const arms: { arm: RemovalArm; traces: RemovalTrace[]; prefix: 'capped' | 'matched' }[] = [
      { arm: 'capped', traces: c.removal, prefix: 'capped' },
      { arm: 'matched', traces: c.removal.filter((t) => num(t.summary, 'matchedSteps') !== null), prefix: 'matched' },
      { arm: 'capped07', traces: c.removal07, prefix: 'capped' },
    ];
    return arms
      .filter((a) => a.traces.length > 0)
      .map(({ arm, traces, prefix }) => {
        const evTraces = traces.filter((t) => t.summary.everyStep);
        const sum = (ts: RemovalTrace[], k: string) =>
          ts.reduce((s, t) => s + (num(t.summary, `${prefix}${k}`) ?? 0), 0);
        const steps = sum(traces, 'Steps');
        const meanFactor = meanStd(traces.map((t) => num(t.summary, `${prefix}MeanFactor`) as number)).mean;
        return {
          cell: cellName(c),
          arm: armNames()[arm],
          inRegime: pct(sum(traces, 'StepsInRegime') / steps),
          aboveCrit: sum(traces, 'StepsAboveCrit'),
          meanStep: meanFactor.toFixed(3),
          // no every-step seed: no exact count to give (the sampled count below is a lower bound)
          spikes: evTraces.length ? String(sum(evTraces, 'Spikes')) : '—',
          catapults: evTraces.length ? String(sum(evTraces, 'Catapults')) : '—',
          everySeeds: evTraces.map((t) => t.seed).join(', ') || '—',
          sampledSpikes: sum(traces, 'SpikesSampled'),
          diverged: traces.filter((t) => num(t.summary, `${prefix}DivergedAt`) !== null).length,
          /** The numbers behind the texts (for downloads). */
          raw: {
            inRegimePercent: (100 * sum(traces, 'StepsInRegime')) / steps,
            meanStep: meanFactor,
            spikes: evTraces.length ? sum(evTraces, 'Spikes') : null,
            catapults: evTraces.length ? sum(evTraces, 'Catapults') : null,
            everySeeds: evTraces.map((t) => t.seed),
          },
        };
      });
  });
}

/** Mean step η_used/η̄ of an arm over a cell's runs (null when the arm was not run). */
function meanStep(c: RemovalCell, arm: 'capped' | 'matched'): number | null {
  const xs = c.removal.map((t) => num(t.summary, `${arm}MeanFactor`)).filter((x): x is number => x !== null);
  return xs.length ? meanStd(xs).mean : null;
}

/**
 * Whether the rate-matched arm reached the capped arm's mean step in each cell (within 0.01 of η̄).
 * It cannot where most steps are in their batch's catapult regime: it keeps those at η̄, and the
 * stable steps left are too few to make up the difference even when skipped.
 */
export function rateMatching() {
  return removalCells().map((c) => {
    const capped = meanStep(c, 'capped');
    const matched = meanStep(c, 'matched');
    return {
      cell: cellName(c),
      capped,
      matched,
      reached: capped !== null && matched !== null && Math.abs(matched - capped) <= 0.01,
    };
  });
}

/** One sentence on where the rate-matched arm matched the capped arm's mean step and where it could not. */
export function rateMatchingSentence(): string {
  const rows = rateMatching().filter((r) => r.matched !== null);
  const missed = rows.filter((r) => !r.reached);
  const reached = rows.filter((r) => r.reached);
  const f = (x: number | null) => (x === null ? '—' : x.toFixed(2));
  const part = (rs: typeof rows) => rs.map((r) => `${r.cell} (${f(r.matched)} against ${f(r.capped)})`).join(', ');
  if (missed.length === 0)
    return `The rate-matched runs reached the capped runs' mean step in every cell: ${part(reached)}`;
  return (
    `The rate-matched runs reached the capped runs' mean step in ${reached.length ? part(reached) : 'no cell'}, but not in ${part(missed)}: ` +
    `there most steps are in their batch's catapult regime, the rate-matched rule keeps those at η̄, and the few stable steps cannot make up the difference even when skipped. ` +
    `In those cells the rate-matched arm is no control for the step size; the capped arm's verdict does not depend on it`
  );
}

/**
 * The central figure: for each cell, every seed's final AGOP alignment against the mean step size
 * of its run (η_used/η̄ averaged over the steps), one marker per arm, GD's mean as a line. At equal
 * mean step the capped and rate-matched arms differ only in whether the catapult-regime steps stay.
 */
export function removalFigure() {
  const cells = removalCells();
  const { removal, removal07, sweep } = load();
  const seriesFor = (c: RemovalCell): SeriesSpec[] => {
    const pts = (
      arm: RemovalArm,
      color: number,
      xs: number[],
      ys: (number | null)[],
      labels: string[],
    ): SeriesSpec => ({
      name: armNames()[arm],
      x: xs,
      y: ys,
      points: true,
      color,
      pointLabels: labels,
    });
    const u = c.rows.map((r) => r.unmodified!);
    const removalArm = (ts: RemovalTrace[], prefix: 'capped' | 'matched') =>
      ts.filter((t) => num(t.summary, `${prefix}Steps`) !== null);
    const cap = removalArm(c.removal, 'capped');
    const mat = removalArm(c.removal, 'matched');
    const c07 = removalArm(c.removal07, 'capped');
    const x = (ts: RemovalTrace[], p: 'capped' | 'matched') =>
      ts.map((t) => num(t.summary, `${p}MeanFactor`) as number);
    const y = (ts: RemovalTrace[], p: 'capped' | 'matched') => ts.map((t) => num(t.summary, `${p}Align`));
    const key = (ts: RemovalTrace[], arm: string) => ts.map((t) => `${t.runKey} (${arm})`);
    return [
      pts(
        'unmodified',
        1,
        u.map(() => 1),
        u.map((o) => o.align),
        c.rows.map((r) => `${runKeyOf(`${c.task}-b${c.b}`, r.seed)} (${SWEEP_EXP})`),
      ),
      pts('capped', 2, x(cap, 'capped'), y(cap, 'capped'), key(cap, 'capped')),
      ...(mat.length ? [pts('matched', 3, x(mat, 'matched'), y(mat, 'matched'), key(mat, 'rate-matched'))] : []),
      ...(c07.length ? [pts('capped07', 4, x(c07, 'capped'), y(c07, 'capped'), key(c07, armNames().capped07))] : []),
    ];
  };
  const spec: FigureSpec = {
    panels: cells.map((c) => ({
      title: cellName(c),
      xLabel: 'mean step size η_used / η̄',
      yLabel: 'AGOP alignment cos(G, G*)',
      series: seriesFor(c),
      hlines: [{ value: c.align.means.gd ?? NaN, label: 'GD (mean)', color: 0 }],
    })),
  };
  const first = cells[0];
  const lead = (c: RemovalCell) =>
    `${cellName(c)}: capping keeps ${keptText(c.align, 'capped')} of SGD's alignment gain over GD, the rate-matched arm ${keptText(c.align, 'matched')}`;
  return {
    spec,
    caption: `One marker per seed: final AGOP alignment against the run's mean step size, for unmodified, capped and rate-matched SGD; line: GD.`,
    finding: `Across the ${cells.length} cells, capping every catapult-regime step keeps ${keptRange(cells, 'capped')} of SGD's alignment gain over GD; the rate-matched arm keeps ${keptRange(cells, 'matched')}.`,
    alt: `${cells.map(lead).join('; ')}.`,
    setup: `“Capped” runs take every step whose batch is in its catapult regime at ${removal[0]?.config.capFraction}${removal07[0] ? ` (or ${removal07[0].config.capFraction})` : ''} of that batch's critical rate; “rate-matched” runs keep those steps and shrink stable ones toward the capped runs' mean step, which they reach only where enough steps are stable (${rateMatching()
      .filter((r) => r.reached)
      .map((r) => r.cell)
      .join('; ')}).`,
    settings: {
      [REMOVAL_EXP]: removal[0]?.config ?? null,
      [REMOVAL07_EXP]: removal07[0]?.config ?? null,
      [SWEEP_EXP]: sweep.find((t) => !t.summary.control && t.summary.batchSize === first?.b)?.config ?? null,
    },
    experiment: [REMOVAL_EXP, REMOVAL07_EXP, SWEEP_EXP],
    data: {
      cells: cells.map((c) => ({ task: c.task, b: c.b, rows: c.rows, align: c.align, testLoss: c.testLoss })),
    },
  };
}

/** The test's settings as its traces record them: batch sizes, the cap fractions of both experiments. */
export function removalSettings(): { batchSizes: number[]; cap: number; cap2: number | null } {
  const { removal, removal07 } = load();
  return {
    batchSizes: [...new Set(removal.map((t) => t.config.b))].sort((a, b) => a - b),
    cap: removal[0].config.capFraction,
    cap2: removal07[0]?.config.capFraction ?? null,
  };
}

/** The headline sentence: what removing the catapults did, in the cell with the largest gain. */
export function removalHeadline(): string {
  const cells = removalCells();
  const best = [...cells].sort((x, y) => y.align.gain - x.align.gain)[0];
  const r = best.align;
  const gd = r.means.gd!;
  const u = r.means.unmodified!;
  const cap = r.means.capped!;
  const what =
    r.verdict === 'catapults do not do the work'
      ? 'most of the gain survives without a single catapult'
      : r.verdict === 'catapults do the work'
        ? 'the gain goes with the catapults'
        : r.verdict === 'partly'
          ? 'part of the gain goes with the catapults'
          : 'the gain itself is within the seeds’ noise';
  return `${cellName(best)}: SGD ends at alignment ${u.toFixed(2)}, GD at ${gd.toFixed(2)}. With every catapult-regime step capped, SGD still ends at ${cap.toFixed(2)}: it keeps ${keptText(r, 'capped')} of the gain (rate-matched: ${keptText(r, 'matched')}), so ${what}`;
}

/** One sentence per metric: the verdict in every cell. */
export function removalVerdictSentence(metric: RemovalMetric): string {
  const { cells } = removalVerdict(metric);
  const what = metric === 'align' ? 'alignment' : 'test-loss';
  return cells
    .map((c) => {
      const r = c[metric];
      if (r.verdict === 'no gain to explain') return `${cellName(c)}: ${r.verdict}`;
      const shares = CHANGED_ARMS.filter((a) => r.kept[a] !== undefined).map(
        (a) => `${armNames()[a]} keeps ${keptText(r, a)}`,
      );
      return `${cellName(c)}: ${r.verdict} (of the ${what} gain, ${shares.join(', ')})`;
    })
    .join('; ');
}

/** Where the rule lives (the whole module is the rule) and the experiments whose traces it judges. */
const RULE_FILE = 'src/exhibits/catapultRemovalRule.ts';

/** Chapter 3's report rows for the causal test. */
export function removalClaims(): Claim[] {
  const dating = ruleDatingText(dateRule({ file: RULE_FILE }, [REMOVAL_EXP, REMOVAL07_EXP, SWEEP_EXP]));
  return (['align', 'testLoss'] as const).map((metric) => {
    const v = removalVerdict(metric);
    const what = metric === 'align' ? 'AGOP alignment' : 'test loss';
    return {
      id: `ch3-catapult-removal-${metric === 'align' ? 'alignment' : 'test-loss'}`,
      chapter: 3,
      claim: `Catapults cause small-batch SGD's better ${what} than GD's: capping every catapult-regime step removes the gain, the same mean step with the catapults kept does not.`,
      paper: null,
      ours: removalVerdictSentence(metric),
      status: v.status,
      detail: `The paper did not run this intervention. ${REMOVAL_RULE_TEXT} Seeds per cell: ${v.results.map((r) => r.seeds.length).join(', ')}. ${rateMatchingSentence()}.`,
      experiment: REMOVAL_EXP,
      href: '/chapters/agop/#fig-catapult-removal',
      ruleDating: `${dating} The GD and unmodified runs it reuses are agop-batch-sweep's, run before the rule was written.`,
    };
  });
}

/** Spikes against catapults in the largest-gain cell, in words, from its every-step seeds. */
export function spikeCatapultSentence(): string {
  const best = [...removalCells()].sort((x, y) => y.align.gain - x.align.gain)[0];
  const rows = removalCountRows().filter((r) => r.cell === cellName(best) && r.spikes !== '—');
  const capped = rows.find((r) => r.arm === armNames().capped);
  const matched = rows.find((r) => r.arm === armNames().matched);
  if (!capped || !matched) return '';
  return `The capped runs still spike. In ${cellName(best).toLowerCase()} (seeds ${capped.everySeeds}, read at every step) their loss spiked ${capped.spikes} times, none of them a catapult; the rate-matched runs spiked ${matched.spikes} times, ${matched.catapults} of them catapults`;
}

/** The chapter's takeaway on the causal question, from the alignment claim's status and its largest-gain cell. */
export function removalTakeaway(): string {
  const { status, cells } = removalVerdict('align');
  const best = [...cells].sort((x, y) => y.align.gain - x.align.gain)[0];
  const share = `${keptText(best.align, 'capped')} of its alignment gain over GD (${cellName(best).toLowerCase()})`;
  if (status === 'reproduced')
    return `In our runs they do: SGD with every catapult-regime step capped keeps only ${share}, while the same mean step with the catapults kept keeps ${keptText(best.align, 'matched')}`;
  if (status === 'not reproduced')
    return `In our runs they do not: SGD with every catapult-regime step capped, so that no step can start a catapult, still keeps ${share}. Small batches help, but not through their catapults`;
  return `In our runs only in part: SGD with every catapult-regime step capped keeps ${share}`;
}

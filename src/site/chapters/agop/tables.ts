/**
 * Chapter 3 (AGOP): table specs for <Table> (src/site/table.ts), built from the same readouts and
 * exhibits the chapter's prose and figures use; every cell's text is what the page showed before the
 * tables were specs, and its raw value the number behind it.
 */
import {
  armNames,
  REMOVAL_EXP,
  REMOVAL07_EXP,
  removalCountRows,
  removalTableRows,
  removalVerdict,
} from '../../../exhibits/catapultRemoval';
import { blank, cell, meanStdCell, type TableCell, type TableColumn, type TableSpec } from '../../table';
import { countOf, pct, recordedSettings, sig, taskName } from '../common';
import { meanStd } from '../../../lib/stats';
import { MNIST_SWEEP_EXP, mnistOrdering, mnistSweepRows } from './mnistSweep';
import {
  OPT_EXP,
  OPT_SWEEP_EXP,
  OPTIMIZER_NAMES,
  TARGET_NAMES,
  cell as statText,
  optimizerCorrelation,
  optimizerGrid,
  optimizerRows,
  optimizerRuns,
  optimizerTasks,
  proxyQuality,
  rText,
  targetsOf,
} from './optimizers';
import { SWEEP_EXP, batchTable, type Task } from './readouts';
import { sweepFinding } from './sweepText';

/** A count with its text. */
const count = (n: number): TableCell => cell(String(n), n);

/** "3 (+1 capped, +1 diverged)": runs that met the stop rule, and those capped or diverged. */
const seedsCell = (seeds: number, capped: number, diverged: number): TableCell => {
  const others = [capped > 0 ? `+${capped} capped` : '', diverged > 0 ? `+${diverged} diverged` : ''].filter(Boolean);
  return cell(others.length ? `${seeds} (${others.join(', ')})` : String(seeds), { seeds, capped, diverged });
};

/** Per batch size of the AGOP sweep: ours (alignment, test loss, spikes) beside the paper's rank-2 numbers. */
export function batchTableSpec(task: Task): TableSpec {
  const rows = batchTable(task);
  const paper = task === 'rank2';
  const gdBatch = Math.max(...rows.map((x) => x.b));
  const columns: TableColumn[] = [
    { key: 'batch', header: 'batch', role: 'label' },
    { key: 'align', header: 'AGOP\nalignment', role: 'ours' },
    { key: 'testOverVar', header: 'test MSE /\nVar f*', role: 'ours' },
    { key: 'testMse', header: 'test MSE', role: 'ours' },
    { key: 'spikes', header: 'spikes\n(sampled)', role: 'ours' },
    { key: 'spikesEvery', header: 'spikes,\nevery step', role: 'ours' },
    { key: 'epochs', header: 'epochs', role: 'ours' },
    ...(paper
      ? ([
          { key: 'paperAlign', header: 'AGOP alignment,\npaper', role: 'paper' },
          { key: 'paperTest', header: 'test loss,\npaper', role: 'paper' },
        ] as const)
      : []),
    { key: 'seeds', header: 'seeds', role: 'setting' },
    { key: 'eta', header: 'η̄ / median\nη_{crit,B}', role: 'setting' },
    { key: 'below', header: 'batches\nbelow η̄', role: 'setting', unit: '%' },
  ];
  return {
    finding: `${sweepFinding(task)}.`,
    caption:
      task === 'rank2'
        ? 'Rank-2 task (f* = x_{1}x_{2}), per batch size: ours (mean ± std over seeds) beside the paper.'
        : 'Rank-4 task (f* = x_{1} + x_{1}x_{2} + x_{1}x_{2}x_{3} + x_{1}x_{2}x_{3}x_{4}), per batch size: ours, mean ± std over seeds (no paper table).',
    columns,
    rows: rows.map((r) => {
      const every = r.catapultsEveryStep;
      return {
        batch: cell(r.b === gdBatch ? `${r.b} (GD)` : String(r.b), r.b),
        align: meanStdCell(r.align),
        testOverVar: meanStdCell(r.testLossOverVar),
        testMse: meanStdCell(r.testLoss),
        spikes: meanStdCell(r.catapults),
        spikesEvery: every.values.length
          ? cell(
              `${every.values.join(', ')} (seed ${every.seeds.join(', ')})`,
              Object.fromEntries(every.seeds.map((s, i) => [`seed ${s}`, every.values[i]])),
            )
          : blank(),
        epochs: meanStdCell(r.epochs),
        ...(paper
          ? {
              paperAlign: r.paper ? cell(String(r.paper.agopAlignment), r.paper.agopAlignment) : blank(),
              paperTest: r.paper ? cell(String(r.paper.testLoss), r.paper.testLoss) : blank(),
            }
          : {}),
        seeds: seedsCell(r.seeds, r.capped, r.diverged),
        eta: cell(r.etaOverMedianBatchCrit.toFixed(2), r.etaOverMedianBatchCrit),
        below: r.b === gdBatch ? blank() : cell(pct(r.fracBatchesBelowEta), 100 * r.fracBatchesBelowEta),
      };
    }),
    settings: { [`${SWEEP_EXP} (as its traces record)`]: recordedSettings(SWEEP_EXP), task },
    experiment: SWEEP_EXP,
  };
}

/** The batch-size sweep and GD below / above η_crit on one binary MNIST task (mnist-batch-sweep). */
export function mnistSweepTableSpec(task: 'mnist01' | 'mnist35'): TableSpec {
  const rows = mnistSweepRows(task);
  const o = mnistOrdering(task, 'rfm');
  const t = mnistOrdering(task, 'test');
  return {
    finding: `Alignment with the RFM proxy rising as the batch shrinks: ${o.status}; test loss falling: ${t.status} (the chapter's ordering rule).`,
    caption: `${taskName(task)}: per run and rate, mean ± std over seeds (GD rates in η_crit, SGD in the full-set critical rate η̄_crit).`,
    columns: [
      { key: 'run', header: 'run', role: 'label' },
      { key: 'rate', header: 'rate', role: 'label' },
      { key: 'alignRfm', header: 'alignment,\nRFM proxy', role: 'ours' },
      { key: 'alignNet', header: 'alignment,\nnet proxy', role: 'ours' },
      { key: 'testOverVar', header: 'test\nMSE / Var y', role: 'ours' },
      { key: 'testError', header: 'test\nerror', role: 'ours' },
      { key: 'spikes', header: 'spikes\n(sampled)', role: 'ours' },
      { key: 'seeds', header: 'seeds', role: 'setting' },
    ],
    rows: rows.map((r) => ({
      run: cell(r.label),
      rate: cell(String(r.rate), r.rate),
      alignRfm: meanStdCell(r.stats.alignRfm, r.alignRfm),
      alignNet: meanStdCell(r.stats.alignNet, r.alignNet),
      testOverVar: meanStdCell(r.stats.testOverVar, r.testOverVar),
      testError: meanStdCell(r.stats.testError, r.testError),
      spikes: meanStdCell(r.stats.catapults, r.catapults),
      seeds: cell(r.seedsText, { seeds: r.seeds, capped: r.capped, diverged: r.diverged }),
    })),
    settings: {
      [`${MNIST_SWEEP_EXP} (as its traces record)`]: recordedSettings(MNIST_SWEEP_EXP),
      [`${OPT_EXP} (as its traces record; its GD runs)`]: recordedSettings(OPT_EXP),
      task,
    },
    experiment: [MNIST_SWEEP_EXP, OPT_EXP],
  };
}

const TARGETS = ['true', 'rfm', 'net'] as const;

/** Per task and alignment target: the correlation of alignment with test loss across every optimizer run. */
export function optimizerCorrelationTableSpec(): TableSpec {
  const tasks = optimizerTasks();
  const pairs = tasks.flatMap((t) => targetsOf(t).map((g) => optimizerCorrelation(t, g)));
  const negative = pairs.filter((c) => c.hi < 0).length;
  return {
    finding: `Test loss falls where alignment rises, with a 95 % interval below 0, for ${countOf(negative, pairs.length)} pairs of task and alignment target.`,
    caption:
      'Correlation r of AGOP alignment with test MSE / Var y over all optimizer runs (95 % interval, runs as independent), per task and target.',
    columns: [
      { key: 'task', header: 'task', role: 'label' },
      ...TARGETS.map((g) => ({ key: g, header: TARGET_NAMES[g], role: 'ours' as const })),
      { key: 'agreement', header: 'proxies’\nagreement', role: 'other' },
      { key: 'rfmTest', header: 'RFM test\nMSE / Var y', role: 'other' },
    ],
    rows: tasks.map((t) => {
      const q = proxyQuality(t);
      return {
        task: cell(taskName(t)),
        ...Object.fromEntries(
          TARGETS.map((g) => {
            if (!targetsOf(t).includes(g)) return [g, blank()];
            const c = optimizerCorrelation(t, g);
            return [g, cell(rText(c), { r: c.r, lo: c.lo, hi: c.hi })];
          }),
        ),
        agreement: q.agreement === null ? blank() : cell(sig(q.agreement, 2), q.agreement),
        rfmTest: q.rfmTest === null ? blank() : cell(sig(q.rfmTest, 2), q.rfmTest),
      };
    }),
    settings: { [`${OPT_EXP} (as its traces record)`]: recordedSettings(OPT_EXP) },
    experiment: OPT_EXP,
  };
}

/** Per optimizer and rate: mean ± std over seeds of alignment, test loss (and test error on MNIST) on every task. */
export function optimizerRowsTableSpec(): TableSpec {
  const tasks = optimizerTasks();
  const byTask = tasks.map((t) => ({ task: t, rows: optimizerRows(t) }));
  const first = byTask[0].rows;
  type Stat = { mean: number; std: number; n: number } | null;
  const statCell = (s: Stat, digits = 2): TableCell =>
    s && s.n > 0 ? meanStdCell(s, statText(s, digits)) : blank(statText(s, digits));
  // Whether the best-aligned configuration of a task also has its lowest test loss.
  const same = byTask.filter(({ rows }) => {
    const ok = rows.filter((r) => r.align.n > 0 && r.testOverVar.n > 0);
    if (!ok.length) return false;
    const best = ok.reduce((a, b) => (b.align.mean > a.align.mean ? b : a));
    const low = ok.reduce((a, b) => (b.testOverVar.mean < a.testOverVar.mean ? b : a));
    return best === low;
  }).length;
  return {
    finding: `The best-aligned optimizer and rate also has the lowest test loss on ${countOf(same, tasks.length)} tasks.`,
    caption:
      'Per optimizer and rate, mean ± std over seeds: alignment (rank-2 with the true AGOP, MNIST with the RFM proxy), test MSE / Var y, and test error on MNIST.',
    columns: [
      { key: 'optimizer', header: 'optimizer', role: 'label' },
      { key: 'rate', header: 'rate', role: 'label' },
      ...tasks.flatMap((t): TableColumn[] => [
        { key: `${t}-align`, header: `${taskName(t)}:\nalign`, role: 'ours' },
        { key: `${t}-test`, header: `${taskName(t)}:\ntest`, role: 'ours' },
        ...(t === 'rank2' ? [] : [{ key: `${t}-error`, header: `${taskName(t)}:\nerror`, role: 'ours' as const }]),
      ]),
    ],
    rows: first.map((r, i) => ({
      optimizer: cell(OPTIMIZER_NAMES[r.kind]),
      rate: cell(String(r.rate), r.rate),
      ...Object.fromEntries(
        byTask.flatMap(({ task, rows }) => {
          const x = rows[i];
          return [
            [`${task}-align`, statCell(x.align)],
            [`${task}-test`, statCell(x.testOverVar)],
            ...(task === 'rank2' ? [] : [[`${task}-error`, statCell(x.testError, 3)]]),
          ];
        }),
      ),
    })),
    settings: { [`${OPT_EXP} (as its traces record)`]: recordedSettings(OPT_EXP) },
    experiment: OPT_EXP,
  };
}

const METRIC_TITLE = {
  align: 'AGOP alignment cos(G, G*) (higher is better)',
  testLoss: 'test MSE / Var f* (lower is better)',
} as const;

/** The catapult-removal test for one metric: per task and batch size, each arm's mean, the share of SGD's gain each changed arm keeps, the verdict. */
export function removalTableSpec(metric: 'align' | 'testLoss'): TableSpec {
  const rows = removalTableRows(metric);
  const { status } = removalVerdict(metric);
  const kept = ['capped', 'matched', 'capped07'] as const;
  const arms = ['gd', 'unmodified', 'capped', 'matched', 'capped07'] as const;
  return {
    finding: `That catapults cause SGD's ${metric === 'align' ? 'alignment' : 'test-loss'} gain over GD: ${status}, by the rule written before the runs.`,
    caption: `Catapult removal, ${METRIC_TITLE[metric]}: means over the seeds where every arm converged, and the share of SGD's gain over GD each changed arm keeps.`,
    columns: [
      { key: 'cell', header: 'task, batch', role: 'label' },
      { key: 'verdict', header: 'verdict', role: 'ours' },
      ...kept.map((a) => ({ key: `kept-${a}`, header: `kept:\n${armNames()[a]}`, role: 'ours' as const, unit: '%' })),
      ...arms.map((a) => ({ key: a, header: armNames()[a], role: 'ours' as const })),
      { key: 'gain', header: 'gain ± s.e.', role: 'ours' },
      { key: 'seeds', header: 'seeds', role: 'setting' },
    ],
    rows: rows.map((r) => ({
      cell: cell(r.cell),
      verdict: cell(r.verdict),
      ...Object.fromEntries(kept.map((a) => [`kept-${a}`, cell(r.kept[a], r.raw.keptPercent[a] ?? null)])),
      ...Object.fromEntries(arms.map((a) => [a, cell(r.means[a], r.raw.means[a] ?? null)])),
      gain: cell(r.gain, { gain: r.raw.gain, se: r.raw.gainSe }),
      seeds: count(r.seeds),
    })),
    settings: {
      [`${REMOVAL_EXP} (as its traces record)`]: recordedSettings(REMOVAL_EXP),
      [`${REMOVAL07_EXP} (as its traces record)`]: recordedSettings(REMOVAL07_EXP),
      [`${SWEEP_EXP} (as its traces record; its GD and unmodified SGD runs)`]: recordedSettings(SWEEP_EXP),
    },
    experiment: [REMOVAL_EXP, REMOVAL07_EXP, SWEEP_EXP],
  };
}

/** Per cell and arm of the catapult-removal test: steps in the catapult regime, the mean step, spikes against catapults. */
export function removalCountTableSpec(): TableSpec {
  const rows = removalCountRows();
  const capped = rows.filter((r) => r.arm === armNames().capped);
  const left = capped.filter((r) => r.raw.catapults !== null && r.raw.catapults > 0).length;
  const judged = capped.filter((r) => r.raw.catapults !== null).length;
  return {
    finding: `With every catapult-regime step capped, ${countOf(left, judged)} cells with every-step seeds ${left === 1 ? 'has' : 'have'} a catapult left.`,
    caption:
      'Catapult removal, per arm: steps in the catapult regime and at or above the rate, the mean step, spikes against catapults (every-step seeds), and sampled spikes of all seeds (a lower bound).',
    columns: [
      { key: 'cell', header: 'task, batch', role: 'label' },
      { key: 'arm', header: 'arm', role: 'label' },
      { key: 'inRegime', header: 'steps in the\ncatapult regime', role: 'ours', unit: '%' },
      { key: 'aboveCrit', header: 'steps taken at or\nabove the rate', role: 'ours' },
      { key: 'meanStep', header: 'mean step\nη_used / η̄', role: 'ours' },
      { key: 'spikes', header: 'spikes', role: 'ours' },
      { key: 'catapults', header: 'catapults', role: 'ours' },
      { key: 'sampled', header: 'spikes, sampled\n(all seeds)', role: 'ours' },
      { key: 'diverged', header: 'diverged', role: 'ours' },
      { key: 'everySeeds', header: 'every-step\nseeds', role: 'setting' },
    ],
    rows: rows.map((r) => ({
      cell: cell(r.cell),
      arm: cell(r.arm),
      inRegime: cell(r.inRegime, r.raw.inRegimePercent),
      aboveCrit: count(r.aboveCrit),
      meanStep: cell(r.meanStep, r.raw.meanStep),
      spikes: cell(r.spikes, r.raw.spikes),
      catapults: cell(r.catapults, r.raw.catapults),
      sampled: count(r.sampledSpikes),
      diverged: count(r.diverged),
      everySeeds: cell(r.everySeeds),
    })),
    settings: {
      [`${REMOVAL_EXP} (as its traces record)`]: recordedSettings(REMOVAL_EXP),
      [`${REMOVAL07_EXP} (as its traces record)`]: recordedSettings(REMOVAL07_EXP),
    },
    experiment: [REMOVAL_EXP, REMOVAL07_EXP],
  };
}

/**
 * The five optimizers in the batch sweep's setting (optimizer-alignment-sweep, rank-2): per optimizer
 * and rate, mean ± std over seeds of the alignment with the true AGOP and with each proxy, the test
 * loss and the loss spikes.
 */
export function optimizerSweepTableSpec(): TableSpec {
  const { finished } = optimizerRuns('rank2', OPT_SWEEP_EXP);
  const grid = optimizerGrid(OPT_SWEEP_EXP);
  type Run = (typeof finished)[number];
  const stat = (at: Run[], f: (t: Run) => number | null, digits = 2): TableCell => {
    const s = meanStd(at.map(f).filter((v): v is number => v !== null));
    return s.n > 0 ? meanStdCell(s, statText(s, digits)) : blank();
  };
  const rows = grid.map(({ kind, rate }) => {
    const at = finished.filter((t) => t.summary.optimizer === kind && t.summary.rate === rate);
    const mean = (f: (t: Run) => number | null) => meanStd(at.map(f).filter((v): v is number => v !== null)).mean;
    return { kind, rate, at, align: mean((t) => t.summary.alignTrue), test: mean((t) => t.summary.testLossOverVar) };
  });
  const ok = rows.filter((r) => r.at.length > 0);
  const bestAlign = ok.reduce((a, b) => (b.align > a.align ? b : a));
  const bestTest = ok.reduce((a, b) => (b.test < a.test ? b : a));
  const name = (r: (typeof rows)[number]) => `${OPTIMIZER_NAMES[r.kind]} at ${r.rate}`;
  return {
    finding:
      bestAlign === bestTest
        ? `The best-aligned optimizer and rate, ${name(bestAlign)}, also has the lowest test loss.`
        : `The best-aligned optimizer and rate, ${name(bestAlign)}, is not the one with the lowest test loss, ${name(bestTest)}.`,
    caption:
      "Rank-2 in the batch sweep's setting, per optimizer and rate: mean ± std over seeds of alignment with each target, test MSE / Var y and loss spikes.",
    columns: [
      { key: 'optimizer', header: 'optimizer', role: 'label' },
      { key: 'rate', header: 'rate', role: 'label' },
      { key: 'true', header: `alignment,\n${TARGET_NAMES.true}`, role: 'ours' },
      { key: 'rfm', header: `alignment,\n${TARGET_NAMES.rfm}`, role: 'ours' },
      { key: 'net', header: `alignment,\n${TARGET_NAMES.net}`, role: 'ours' },
      { key: 'test', header: 'test\nMSE / Var y', role: 'ours' },
      { key: 'spikes', header: 'loss\nspikes', role: 'ours' },
      { key: 'seeds', header: 'seeds', role: 'setting' },
    ],
    rows: rows.map((r) => ({
      optimizer: cell(OPTIMIZER_NAMES[r.kind]),
      rate: cell(String(r.rate), r.rate),
      true: stat(r.at, (t) => t.summary.alignTrue),
      rfm: stat(r.at, (t) => t.summary.alignRfm),
      net: stat(r.at, (t) => t.summary.alignNet),
      test: stat(r.at, (t) => t.summary.testLossOverVar),
      spikes: stat(r.at, (t) => t.summary.catapults, 1),
      seeds: count(r.at.length),
    })),
    settings: { [`${OPT_SWEEP_EXP} (as its traces record)`]: recordedSettings(OPT_SWEEP_EXP) },
    experiment: OPT_SWEEP_EXP,
  };
}

/**
 * Chapter 3, "across optimizers": from the optimizer-alignment traces, per task the runs that met
 * the stop rule, the Pearson correlation of AGOP alignment with test loss (with its Fisher-z 95 %
 * interval) against each alignment target (the true AGOP on rank-2; the RFM and reference-net
 * proxies everywhere), the proxies' own quality, the figure and the report rows.
 */
import { getTraces, nonEmpty, type TraceOf } from '../../traces';
import { pearsonWithInterval } from '../../../lib/correlation';
import { meanStd } from '../../../lib/stats';
import {
  clusterBootstrapCorrelation,
  leaveOneGroupOut,
  withinClusterCorrelations,
  type ClusteredPoint,
} from '../../../lib/clusterBootstrap';
import { Prng } from '../../../lib/prng';
import { paperProfile, pm, sig, taskName } from '../common';
import type { FigureSpec } from '../../figure';
import type { Claim } from '../../claims/types';
import { OPTIMIZER_RULE, negativeAtSeedLevel, optimizerStatus } from './optimizerRule';
import {
  OPTIMIZER_KINDS,
  optimizerAlignment,
  type OptimizerAlignmentConfig,
  type OptimizerKind,
  type OptimizerTask,
} from '../../../experiments/optimizerAlignment';

export const OPT_EXP = 'optimizer-alignment';
type Trace = TraceOf<'optimizer-alignment'>;

/** What a run's alignment is measured against. */
export type AlignTarget = 'true' | 'rfm' | 'net';
export const TARGET_NAMES: Record<AlignTarget, string> = {
  true: 'true AGOP',
  rfm: 'RFM proxy',
  net: 'reference-net proxy',
};
const alignOf = (t: Trace, target: AlignTarget): number | null =>
  target === 'true' ? t.summary.alignTrue : target === 'rfm' ? t.summary.alignRfm : t.summary.alignNet;

/** Optimizer names as the page writes them. */
export const OPTIMIZER_NAMES: Record<OptimizerKind, string> = {
  gd: 'GD',
  sgd: 'SGD',
  momentum: 'SGD + momentum',
  adam: 'Adam',
  rmsprop: 'RMSprop',
};

/** The paper profile's settings (typed by the experiment's schema). */
export function optimizerSettings(): OptimizerAlignmentConfig {
  return optimizerAlignment.schema.parse(optimizerAlignment.profiles.paper);
}

/** Tasks present in the traces, in profile order. */
export function optimizerTasks(): OptimizerTask[] {
  return [...new Set(getTraces(OPT_EXP).map((t) => t.summary.task))];
}

/** The targets a task has: the true AGOP on rank-2, the two proxies everywhere. */
export function targetsOf(task: OptimizerTask): AlignTarget[] {
  return task === 'rank2' ? ['true', 'rfm', 'net'] : ['rfm', 'net'];
}

/** Runs of a task split by how they ended: met the stop rule, hit the step cap, or diverged. */
export function optimizerRuns(task: OptimizerTask): { finished: Trace[]; capped: Trace[]; diverged: Trace[] } {
  const all = nonEmpty(
    getTraces(OPT_EXP).filter((t) => t.summary.task === task),
    `${OPT_EXP} runs of ${task}`,
  );
  return {
    finished: all.filter((t) => t.summary.stopReason === 'converged'),
    capped: all.filter((t) => t.summary.stopReason === 'maxSteps'),
    diverged: all.filter((t) => t.summary.stopReason === 'diverged'),
  };
}

/** Pearson r (with 95 % interval) of alignment against test MSE / Var y over a task's finished runs. */
export function optimizerCorrelation(task: OptimizerTask, target: AlignTarget) {
  const runs = optimizerRuns(task).finished;
  const pts = runs.map((t) => ({ a: alignOf(t, target), l: t.summary.testLossOverVar }));
  const ok = pts.filter((p): p is { a: number; l: number } => p.a !== null && p.l !== null);
  return pearsonWithInterval(
    ok.map((p) => p.a),
    ok.map((p) => p.l),
  );
}

/** Resamples of the seed-level bootstrap (from a fixed seed, so the page is reproducible). */
export const SEED_BOOTSTRAP_DRAWS = 2000;

/**
 * Runs that share a seed share its data and initial weights, so they are not independent: the same
 * correlation with a seed-level (cluster) bootstrap interval, the correlation within each seed, and
 * the correlation with each configuration (optimizer and rate) left out.
 */
export function optimizerSeedStats(task: OptimizerTask, target: AlignTarget) {
  const pts: ClusteredPoint[] = optimizerRuns(task)
    .finished.map((t) => ({
      cluster: t.seed,
      group: `${OPTIMIZER_NAMES[t.summary.optimizer]} at ${t.summary.rate}`,
      x: alignOf(t, target) ?? NaN,
      y: t.summary.testLossOverVar ?? NaN,
    }))
    .filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const prng = new Prng(0);
  const boot = clusterBootstrapCorrelation(pts, SEED_BOOTSTRAP_DRAWS, () => prng.uniform());
  const loo = leaveOneGroupOut(pts);
  const worst = loo.reduce((a, b) => (b.r > a.r ? b : a), { group: '', r: -Infinity });
  return {
    boot,
    within: withinClusterCorrelations(pts),
    looMax: worst,
    /** The correlation is negative at the seed level and without any single configuration. */
    holds: negativeAtSeedLevel(boot, loo),
  };
}

/** The seed-level statistics in words: "seed-level interval [−0.98, −0.71]; within seeds −0.95, −0.93, −0.96; …". */
export function seedStatsText(st: ReturnType<typeof optimizerSeedStats>): string {
  const f = (x: number) => x.toFixed(2).replace('-', '\u2212');
  return `seed-level interval [${f(st.boot.lo)}, ${f(st.boot.hi)}] over ${st.boot.clusters} seeds; within seeds ${st.within.map((w) => f(w.r)).join(', ')}; with one configuration left out r is at most ${f(st.looMax.r)} (without ${st.looMax.group})`;
}

/** "r = −0.93 [−0.97, −0.85]". */
export const rText = (c: { r: number; lo: number; hi: number }): string => {
  // a typographic minus, as in the rest of the prose
  const f = (x: number) => x.toFixed(2).replace('-', '\u2212');
  return `r = ${f(c.r)} [${f(c.lo)}, ${f(c.hi)}]`;
};

/** The proxies of a task: agreement with each other, with the truth (rank-2), and their own test loss. */
export function proxyQuality(task: OptimizerTask) {
  const t = optimizerRuns(task).finished[0] ?? nonEmpty(getTraces(OPT_EXP), OPT_EXP)[0];
  const s = t.summary;
  return {
    agreement: s.proxyAgreement,
    rfmVsTrue: s.rfmVsTrue,
    netVsTrue: s.netVsTrue,
    rfmTest: s.rfmTestLossOverVar,
    netTest: s.netTestLossOverVar,
    netSteps: s.netSteps,
    netConverged: s.netStopReason === 'converged',
    rfmTopShare: s.rfmTopShare,
    netTopShare: s.netTopShare,
    /** Range over the task's finished runs of λ_1/tr of their AGOPs. */
    runTopShare: range(optimizerRuns(task).finished.map((t) => t.summary.agopTopShare)),
  };
}

/** Min and max of the non-null values (NaN for none). */
function range(xs: (number | null)[]): { min: number; max: number } {
  const v = xs.filter((x): x is number => x !== null);
  return { min: v.length ? Math.min(...v) : NaN, max: v.length ? Math.max(...v) : NaN };
}

/** The paper profile's optimizer grid, in order: every (optimizer, rate) pair. */
export function optimizerGrid(): { kind: OptimizerKind; rate: number }[] {
  const cfg = optimizerSettings();
  return cfg.optimizers.flatMap((o) => o.rates.map((rate) => ({ kind: o.optimizer, rate })));
}

/** Per (optimizer, rate) of the grid: mean ± std over a task's finished seeds (n = 0 if none finished). */
export function optimizerRows(task: OptimizerTask) {
  const { finished } = optimizerRuns(task);
  const target = targetsOf(task)[0];
  return optimizerGrid().map(({ kind, rate }) => {
    const at = finished.filter((t) => t.summary.optimizer === kind && t.summary.rate === rate);
    const num = (f: (t: Trace) => number | null) => meanStd(at.map(f).filter((v): v is number => v !== null));
    return {
      kind,
      rate,
      seeds: at.length,
      align: num((t) => alignOf(t, target)),
      testOverVar: num((t) => t.summary.testLossOverVar),
      testError: task === 'rank2' ? null : num((t) => t.summary.testError),
      catapults: num((t) => t.summary.catapults),
    };
  });
}

/** Test loss against alignment, one panel per task, one marker shape per optimizer. */
export function optimizerFigure() {
  const tasks = optimizerTasks();
  const spec: FigureSpec = {
    panels: tasks.map((task) => {
      const target = targetsOf(task)[0];
      const c = optimizerCorrelation(task, target);
      const { finished } = optimizerRuns(task);
      return {
        title: `${taskName(task)}: ${rText(c)}`,
        xLabel: `alignment with the ${TARGET_NAMES[target]}`,
        yLabel: 'test MSE / Var y',
        series: OPTIMIZER_KINDS.map((kind, i) => {
          const rs = finished.filter((t) => t.summary.optimizer === kind);
          return {
            name: OPTIMIZER_NAMES[kind],
            x: rs.map((t) => alignOf(t, target) ?? NaN),
            y: rs.map((t) => t.summary.testLossOverVar),
            pointLabels: rs.map((t) => `${t.runKey}: ${OPTIMIZER_NAMES[kind]} at rate ${t.summary.rate}`),
            points: true,
            color: i,
          };
        }),
      };
    }),
  };
  const all = getTraces(OPT_EXP);
  const cfg = optimizerSettings();
  const left = tasks.flatMap((t) => {
    const r = optimizerRuns(t);
    return [...r.capped, ...r.diverged];
  });
  return {
    spec,
    caption: `Five optimizers at two rates each, every run to the same training MSE: test loss against AGOP alignment, one panel per task.`,
    setup: `Shallow ReLU net (width ${cfg.m}, n = ${cfg.n}), five optimizers at two rates each, ${cfg.seeds} seeds, every run trained until its training MSE is below ${cfg.stopMse}${left.length ? `; ${left.length} runs that hit the step cap or diverged are left out` : ''}. r is Pearson's correlation over a panel's runs with its 95 % interval (Fisher z). On MNIST the x axis is the RFM proxy; the table below gives both proxies.`,
    finding: `Alignment against test loss: ${tasks.map((t) => `${taskName(t)} ${rText(optimizerCorrelation(t, targetsOf(t)[0]))}`).join('; ')}.`,
    alt: tasks
      .map((t) => `${taskName(t)}: ${rText(optimizerCorrelation(t, targetsOf(t)[0]))} between alignment and test loss`)
      .join('; ')
      .concat('.'),
    settings: { 'optimizer-alignment (paper profile)': paperProfile(OPT_EXP) },
    experiment: OPT_EXP,
    data: { runs: all.map((t) => ({ runKey: t.runKey, summary: t.summary })) },
  };
}

/** Whether a correlation is negative beyond its interval, positive beyond it, or neither. */
const direction = (c: { lo: number; hi: number }) => (c.hi < 0 ? 'negative' : c.lo > 0 ? 'positive' : 'unclear');

/** One sentence per task: the correlation against each target and whether the proxies agree. */
export function optimizerVerdict(task: OptimizerTask): string {
  const cs = targetsOf(task).map((g) => ({ g, c: optimizerCorrelation(task, g) }));
  const q = proxyQuality(task);
  const dirs = new Set(cs.map((x) => direction(x.c)));
  const agree =
    dirs.size === 1
      ? dirs.has('negative')
        ? 'every target gives a clearly negative correlation: the better-aligned runs have the lower test loss'
        : `no target gives a clearly negative correlation`
      : 'the targets disagree, so on this task the conclusion depends on the proxy';
  const truth =
    q.rfmVsTrue !== null && q.netVsTrue !== null
      ? ` The proxies themselves align ${sig(q.rfmVsTrue)} (RFM) and ${sig(q.netVsTrue)} (net) with the true AGOP.`
      : '';
  const top = ` In every run the AGOP's top direction holds ${sig(q.runTopShare.min, 2)}–${sig(q.runTopShare.max, 2)} of its trace (RFM proxy ${sig(q.rfmTopShare, 2)}, reference net ${sig(q.netTopShare, 2)}).`;
  const seeds = targetsOf(task)
    .map((g) => `${TARGET_NAMES[g]}: ${seedStatsText(optimizerSeedStats(task, g))}`)
    .join('; ');
  return `${taskName(task)}: ${cs.map((x) => `${TARGET_NAMES[x.g]} ${rText(x.c)}`).join(', ')}; ${agree}. Runs that share a seed are not independent, so at the seed level: ${seeds}. The two proxies agree with each other at ${sig(q.agreement)} (cosine).${truth}${top}`;
}

/** Report rows: across optimizers, does test loss track alignment (per task)? */
export function optimizerClaims(): Claim[] {
  return optimizerTasks().map((task) => {
    const cs = targetsOf(task).map((g) => ({ g, c: optimizerCorrelation(task, g), st: optimizerSeedStats(task, g) }));
    const { finished, capped, diverged } = optimizerRuns(task);
    return {
      id: `ch3-optimizers-${task}`,
      chapter: 3 as const,
      claim: `${taskName(task)}: across optimizers (GD, SGD, momentum, Adam, RMSprop), test loss is lower where AGOP alignment is higher.`,
      paper: 'qualitative (across optimizers, test performance tracks AGOP alignment)',
      ours: cs.map((x) => `${TARGET_NAMES[x.g]}: ${rText(x.c)}; ${seedStatsText(x.st)}`).join('. '),
      status: optimizerStatus(cs.map((x) => x.st.holds)),
      detail: `${finished.length} runs that met the stop rule${capped.length + diverged.length ? ` (${capped.length} capped, ${diverged.length} diverged, left out)` : ''}; Pearson r of alignment and test MSE / Var y with its 95 % interval as if every run were independent; runs sharing a seed are not, so the status rests on a seed-level bootstrap (${SEED_BOOTSTRAP_DRAWS} resamples of whole seeds) and on leaving out each configuration in turn. ${OPTIMIZER_RULE} This rule replaced the independent-runs interval after the first runs.`,
      experiment: OPT_EXP,
      ruleFile: 'src/site/chapters/agop/optimizerRule.ts',
      href: '/chapters/agop/#fig-optimizers',
    };
  });
}

/** Mean ± std text for a table cell, or a dash. */
export const cell = (s: { mean: number; std: number; n: number } | null, digits = 2): string =>
  s && s.n > 0 ? pm(s, digits) : '—';

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
import {
  agreed,
  agreedSetting,
  capitalised,
  countWord,
  recordedSettings,
  pm,
  seedCount,
  sig,
  taskName,
} from '../common';
import type { FigureSpec } from '../../figure';
import type { Claim } from '../../claims/types';
import { OPTIMIZER_RULE, negativeAtSeedLevel, optimizerStatus } from './optimizerRule';
import { OPTIMIZER_KINDS, type OptimizerKind, type OptimizerTask } from '../../../experiments/optimizerAlignment';

export const OPT_EXP = 'optimizer-alignment';
/** The same optimizers in agop-batch-sweep's rank-2 setting (n = 2000, batches of 10). */
export const OPT_SWEEP_EXP = 'optimizer-alignment-sweep';
/** Either optimizer experiment: the same schema, outputs and run function. */
export type OptimizerExp = typeof OPT_EXP | typeof OPT_SWEEP_EXP;
type Trace = TraceOf<'optimizer-alignment'>;
const tracesOf = (exp: OptimizerExp): Trace[] => getTraces(exp);

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

/** The settings the chapter's prose quotes, as every optimizer-alignment trace records them. */
export function optimizerSettings() {
  const all = nonEmpty(tracesOf(OPT_EXP), `${OPT_EXP} runs`);
  const optimizers = new Set(all.map((t) => t.config.optimizer)).size;
  return {
    n: agreedSetting(all, 'n'),
    m: agreedSetting(all, 'm'),
    stopMse: agreedSetting(all, 'stopMse'),
    proxy: agreedSetting(all, 'proxy'),
    seeds: seedCount(all),
    /** How many optimizers, as a number and as prose writes it ("five"), and how many rates each ran at (the same for every one). */
    optimizers,
    optimizersWord: countWord(optimizers),
    ratesEach: agreed(
      OPTIMIZER_KINDS.map((k) => new Set(all.filter((t) => t.config.optimizer === k).map((t) => t.config.rate)).size),
      `${OPT_EXP}: the number of rates per optimizer`,
    ),
    /** The batch size of every run that is not full-batch GD. */
    miniBatch: agreedSetting(
      all.filter((t) => t.config.optimizer !== 'gd'),
      'b',
    ),
  };
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
export function optimizerRuns(
  task: OptimizerTask,
  exp: OptimizerExp = OPT_EXP,
): { finished: Trace[]; capped: Trace[]; diverged: Trace[] } {
  const all = nonEmpty(
    tracesOf(exp).filter((t) => t.summary.task === task),
    `${exp} runs of ${task}`,
  );
  return {
    finished: all.filter((t) => t.summary.stopReason === 'converged'),
    capped: all.filter((t) => t.summary.stopReason === 'maxSteps'),
    diverged: all.filter((t) => t.summary.stopReason === 'diverged'),
  };
}

/** Pearson r (with 95 % interval) of alignment against test MSE / Var y over a task's finished runs. */
export function optimizerCorrelation(task: OptimizerTask, target: AlignTarget, exp: OptimizerExp = OPT_EXP) {
  const runs = optimizerRuns(task, exp).finished;
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
export function optimizerSeedStats(task: OptimizerTask, target: AlignTarget, exp: OptimizerExp = OPT_EXP) {
  const pts: ClusteredPoint[] = optimizerRuns(task, exp)
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
export function proxyQuality(task: OptimizerTask, exp: OptimizerExp = OPT_EXP) {
  const runs = optimizerRuns(task, exp);
  const t = runs.finished[0] ?? nonEmpty(tracesOf(exp), exp)[0];
  const s = t.summary;
  const all = [...runs.finished, ...runs.capped, ...runs.diverged];
  const init = (f: (t: Trace) => number | null) => range(all.map(f));
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
    runTopShare: range(runs.finished.map((t) => t.summary.agopTopShare)),
    /** The chance level: range over the task's runs of the untrained network's alignment with each target. */
    initAlign: {
      true: init((t) => t.summary.alignTrueInit),
      rfm: init((t) => t.summary.alignRfmInit),
      net: init((t) => t.summary.alignNetInit),
    } satisfies Record<AlignTarget, { min: number; max: number }>,
  };
}

/** Min and max of the non-null values (NaN for none). */
function range(xs: (number | null)[]): { min: number; max: number } {
  const v = xs.filter((x): x is number => x !== null);
  return { min: v.length ? Math.min(...v) : NaN, max: v.length ? Math.max(...v) : NaN };
}

/** The optimizer grid of an experiment's traces, in optimizer order then by rate: every (optimizer, rate) pair. */
export function optimizerGrid(exp: OptimizerExp = OPT_EXP): { kind: OptimizerKind; rate: number }[] {
  const seen = new Map<string, { kind: OptimizerKind; rate: number }>();
  for (const t of nonEmpty(tracesOf(exp), exp))
    seen.set(`${t.summary.optimizer}|${t.summary.rate}`, { kind: t.summary.optimizer, rate: t.summary.rate });
  const order = (k: OptimizerKind) => OPTIMIZER_KINDS.indexOf(k);
  return [...seen.values()].sort((a, b) => order(a.kind) - order(b.kind) || a.rate - b.rate);
}

/** Per (optimizer, rate) of the grid: mean ± std over a task's finished seeds (n = 0 if none finished). */
export function optimizerRows(task: OptimizerTask, exp: OptimizerExp = OPT_EXP) {
  const { finished } = optimizerRuns(task, exp);
  const target = targetsOf(task)[0];
  return optimizerGrid(exp).map(({ kind, rate }) => {
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

/** Whether the batch sweep's setting has been run (its traces are committed). */
export const hasSweepSetting = (): boolean => getTraces(OPT_SWEEP_EXP).length > 0;

/**
 * The batch sweep's setting in two sentences: which optimizer and rate reached the lowest test loss,
 * and the correlation across all of them (the report row gives the seed-level statistics).
 */
export function optimizerSweepSentence(): string {
  const rows = optimizerRows('rank2', OPT_SWEEP_EXP).filter((r) => r.seeds > 0);
  const best = rows.reduce((a, b) => (b.testOverVar.mean < a.testOverVar.mean ? b : a));
  const worst = rows.reduce((a, b) => (b.testOverVar.mean > a.testOverVar.mean ? b : a));
  const name = (r: (typeof rows)[number]) => `${OPTIMIZER_NAMES[r.kind]} at ${r.rate}`;
  const { finished, capped, diverged } = optimizerRuns('rank2', OPT_SWEEP_EXP);
  const t0 = nonEmpty(tracesOf(OPT_SWEEP_EXP), OPT_SWEEP_EXP)[0];
  const bSize = finished.find((t) => t.summary.optimizer !== 'gd')?.summary.batchSize ?? null;
  return (
    `In the batch sweep's setting (n = ${t0.config.n}, d = ${t0.config.d}, width ${t0.config.m}${bSize ? `, batches of ${bSize}` : ''}), ` +
    `the lowest test MSE / Var y, ${cell(best.testOverVar)}, is ${name(best)} (alignment with the true AGOP ${cell(best.align)}); the highest, ${cell(worst.testOverVar)}, is ${name(worst)} (alignment ${cell(worst.align)})` +
    `${capped.length + diverged.length ? ` (left out: ${[capped.length ? `${capped.length} runs that hit the step cap` : '', diverged.length ? `${diverged.length} that diverged` : ''].filter(Boolean).join(' and ')})` : ''}. ` +
    `Across all of them: ${optimizerVerdict('rank2', OPT_SWEEP_EXP)}`
  );
}

/** Test loss against alignment, one panel per task (and the batch sweep's setting), one marker shape per optimizer. */
export function optimizerFigure() {
  const tasks = optimizerTasks();
  const sets: { task: OptimizerTask; exp: OptimizerExp }[] = [
    ...tasks.map((task) => ({ task, exp: OPT_EXP as OptimizerExp })),
    ...(hasSweepSetting() ? [{ task: 'rank2' as const, exp: OPT_SWEEP_EXP as OptimizerExp }] : []),
  ];
  const spec: FigureSpec = {
    panels: sets.map(({ task, exp }) => {
      const target = targetsOf(task)[0];
      const c = optimizerCorrelation(task, target, exp);
      const { finished } = optimizerRuns(task, exp);
      return {
        title: `${taskName(task)}${exp === OPT_SWEEP_EXP ? ', sweep setting' : ''}: ${rText(c)}`,
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
  const all = sets.flatMap(({ exp }) => tracesOf(exp)).filter((t, i, a) => a.indexOf(t) === i);
  const cfg = nonEmpty(tracesOf(OPT_EXP), OPT_EXP)[0].config;
  const left = sets.flatMap(({ task, exp }) => {
    const r = optimizerRuns(task, exp);
    return [...r.capped, ...r.diverged];
  });
  const setName = (s: (typeof sets)[number]) =>
    `${taskName(s.task)}${s.exp === OPT_SWEEP_EXP ? ' (sweep setting)' : ''}`;
  const rOf = (s: (typeof sets)[number]) => rText(optimizerCorrelation(s.task, targetsOf(s.task)[0], s.exp));
  const sweep = sets.find((s) => s.exp === OPT_SWEEP_EXP);
  const sweepCfg = sweep ? nonEmpty(tracesOf(OPT_SWEEP_EXP), OPT_SWEEP_EXP)[0].config : null;
  const o = optimizerSettings();
  const ran = `${countWord(o.optimizers)} optimizers at ${countWord(o.ratesEach)} rates each`;
  return {
    spec,
    caption: `${capitalised(ran)}, every run trained to the same training MSE.`,
    setup: `Shallow ReLU net (width ${cfg.m}, n = ${cfg.n}), ${ran}, seeds ${[...new Set(tracesOf(OPT_EXP).map((t) => t.seed))].join(', ')}, every run trained until its training MSE is below ${cfg.stopMse}${sweepCfg ? `; in the sweep setting width ${sweepCfg.m}, n = ${sweepCfg.n}, d = ${sweepCfg.d}` : ''}${left.length ? `; ${left.length} runs that hit the step cap or diverged are left out` : ''}. r is Pearson's correlation over a panel's runs with its 95 % interval (Fisher z). On MNIST the x axis is the RFM proxy; the table below gives both proxies.`,
    finding: `Test loss against AGOP alignment: ${sets.map((s) => `${setName(s)} ${rOf(s)}`).join('; ')}.`,
    alt: sets
      .map((s) => `${setName(s)}: ${rOf(s)} between alignment and test loss`)
      .join('; ')
      .concat('.'),
    settings: Object.fromEntries(sets.map((s) => [`${s.exp} (as its traces record)`, recordedSettings(s.exp)])),
    experiment: sweep ? [OPT_EXP, OPT_SWEEP_EXP] : OPT_EXP,
    data: { runs: all.map((t) => ({ runKey: `${t.experiment}/${t.runKey}`, summary: t.summary })) },
  };
}

/** Whether a correlation is negative beyond its interval, positive beyond it, or neither. */
const direction = (c: { lo: number; hi: number }) => (c.hi < 0 ? 'negative' : c.lo > 0 ? 'positive' : 'unclear');

/** One sentence per task: the correlation against each target and whether the proxies agree. */
export function optimizerVerdict(task: OptimizerTask, exp: OptimizerExp = OPT_EXP): string {
  const cs = targetsOf(task).map((g) => ({ g, c: optimizerCorrelation(task, g, exp) }));
  const q = proxyQuality(task, exp);
  const dirs = new Set(cs.map((x) => direction(x.c)));
  const truthDir = cs.find((x) => x.g === 'true');
  const reversed = truthDir
    ? cs.filter((x) => x.g !== 'true' && direction(x.c) !== direction(truthDir.c) && direction(x.c) !== 'unclear')
    : [];
  const agree =
    dirs.size === 1
      ? dirs.has('negative')
        ? 'every target gives a clearly negative correlation: the better-aligned runs have the lower test loss'
        : `no target gives a clearly negative correlation`
      : truthDir
        ? `the true AGOP gives a clearly ${direction(truthDir.c)} correlation${reversed.length ? `, while the ${reversed.map((x) => TARGET_NAMES[x.g]).join(' and ')} gives the opposite sign: a proxy can reverse the answer, a caution for real images, where the proxies are all there is` : ''}`
        : 'the targets disagree, so on this task the conclusion depends on the proxy';
  const truth =
    q.rfmVsTrue !== null && q.netVsTrue !== null
      ? ` The proxies themselves align ${sig(q.rfmVsTrue)} (RFM) and ${sig(q.netVsTrue)} (net) with the true AGOP.`
      : '';
  const top = ` In every run the AGOP's top direction holds ${sig(q.runTopShare.min, 2)}–${sig(q.runTopShare.max, 2)} of its trace (RFM proxy ${sig(q.rfmTopShare, 2)}, reference net ${sig(q.netTopShare, 2)}).`;
  const seeds = targetsOf(task)
    .map((g) => `${TARGET_NAMES[g]}: ${seedStatsText(optimizerSeedStats(task, g, exp))}`)
    .join('; ');
  const span = (r: { min: number; max: number }) =>
    r.min.toFixed(2) === r.max.toFixed(2) ? r.min.toFixed(2) : `${r.min.toFixed(2)}–${r.max.toFixed(2)}`;
  const trained = (g: AlignTarget) => range(optimizerRuns(task, exp).finished.map((t) => alignOf(t, g)));
  const chance = ` Untrained, the network's AGOP aligns ${targetsOf(task)
    .map((g) => `${span(q.initAlign[g])} with the ${TARGET_NAMES[g]}`)
    .join(', ')}: the chance level, against ${targetsOf(task)
    .map((g) => span(trained(g)))
    .join(', ')} after training.`;
  const proxies = ` The two proxies agree with each other at ${sig(q.agreement)} (cosine)${task === 'rank2' ? '' : ': where they point different ways, an alignment with one says little about the other, so the status asks for both'}.`;
  return `${taskName(task)}: ${cs.map((x) => `${TARGET_NAMES[x.g]} ${rText(x.c)}`).join(', ')}; ${agree}. Runs that share a seed are not independent, so at the seed level: ${seeds}.${chance}${proxies}${truth}${top}`;
}

/** Report rows: across optimizers, does test loss track alignment (per task, and in the batch sweep's setting)? */
export function optimizerClaims(): Claim[] {
  const rows = optimizerTasks().map((task) => optimizerClaim(task, OPT_EXP));
  const sweep: Claim = {
    id: 'ch3-optimizers-sweep-rank2',
    chapter: 3,
    claim: `${taskName('rank2')} in the batch sweep's setting: across optimizers, test loss is lower where AGOP alignment is higher.`,
    paper: 'qualitative (across optimizers, test performance tracks AGOP alignment)',
    ours: '—',
    status: 'not yet run',
    detail: `No traces of ${OPT_SWEEP_EXP} yet. ${OPTIMIZER_RULE}`,
    experiment: OPT_SWEEP_EXP,
    ruleFile: 'src/site/chapters/agop/optimizerRule.ts',
    href: '/chapters/agop/#optimizers-sweep',
  };
  return [...rows, getTraces(OPT_SWEEP_EXP).length ? optimizerClaim('rank2', OPT_SWEEP_EXP) : sweep];
}

/** One report row: the optimizer rule applied to a task's runs of one experiment. */
function optimizerClaim(task: OptimizerTask, exp: OptimizerExp): Claim {
  const cs = targetsOf(task).map((g) => ({
    g,
    c: optimizerCorrelation(task, g, exp),
    st: optimizerSeedStats(task, g, exp),
  }));
  const { finished, capped, diverged } = optimizerRuns(task, exp);
  const inSweep = exp === OPT_SWEEP_EXP;
  const n = finished[0]?.config.n;
  const b = finished.find((t) => t.summary.optimizer !== 'gd')?.summary.batchSize;
  return {
    id: inSweep ? `ch3-optimizers-sweep-${task}` : `ch3-optimizers-${task}`,
    chapter: 3 as const,
    claim: `${taskName(task)}${inSweep ? ` in the batch sweep's setting (n = ${n}, batches of ${b})` : ''}: across optimizers (GD, SGD, momentum, Adam, RMSprop), test loss is lower where AGOP alignment is higher.`,
    paper: 'qualitative (across optimizers, test performance tracks AGOP alignment)',
    ours: cs.map((x) => `${TARGET_NAMES[x.g]}: ${rText(x.c)}; ${seedStatsText(x.st)}`).join('. '),
    status: optimizerStatus(cs.map((x) => x.st.holds)),
    detail: `${finished.length} runs that met the stop rule${capped.length + diverged.length ? ` (${capped.length} capped, ${diverged.length} diverged, left out)` : ''}; Pearson r of alignment and test MSE / Var y with its 95 % interval as if every run were independent; runs sharing a seed are not, so the status rests on a seed-level bootstrap (${SEED_BOOTSTRAP_DRAWS} resamples of whole seeds) and on leaving out each configuration in turn. ${OPTIMIZER_RULE} ${inSweep ? 'This rule was written before these runs.' : 'This rule replaced the independent-runs interval after the first runs.'}`,
    experiment: exp,
    ruleFile: 'src/site/chapters/agop/optimizerRule.ts',
    href: inSweep ? '/chapters/agop/#optimizers-sweep' : '/chapters/agop/#fig-optimizers',
  };
}

/** Mean ± std text for a table cell, or a dash. */
export const cell = (s: { mean: number; std: number; n: number } | null, digits = 2): string =>
  s && s.n > 0 ? pm(s, digits) : '—';

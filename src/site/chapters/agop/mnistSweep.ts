/**
 * Chapter 3 on real images: from the mnist-batch-sweep traces, per MNIST task the batch-size sweep
 * (GD, then SGD at smaller and smaller batches, at agop-batch-sweep's η̄) and GD below
 * and above η_crit, with the alignment against both AGOP proxies. The batch-size statuses use the
 * same ordering rule as the synthetic sweep (batchOrdering.ts; no paper numbers, so no tie is accepted).
 */
import { getTraces, nonEmpty, type TraceOf } from '../../traces';
import { meanStd } from '../../../lib/stats';
import { agreedSetting, pm, taskName } from '../common';
import { sweepSettings } from './sweepText';
import type { Claim } from '../../claims/types';
import { orderingStatus, type OrderingResult } from './batchOrdering';
import type { AlignTarget } from './optimizers';
import { OPT_EXP, TARGET_NAMES } from './optimizers';

export const MNIST_SWEEP_EXP = 'mnist-batch-sweep';
type Trace = TraceOf<'mnist-batch-sweep'>;
type Task = Trace['summary']['task'];
/** The rate of the batch-size sweep proper (η̄ in units of the full-set critical rate): agop-batch-sweep's, as its runs record it. */
const sweepRate = (): number => sweepSettings().etaFactor;

const finished = (t: Trace) => t.summary.stopReason === 'converged';

/**
 * The sweep's runs of a task with its GD rows, which are optimizer-alignment's GD runs (the same set-up
 * and seeds; mnist-batch-sweep does not run them again). A GD run whose settings differ from the
 * sweep's is refused, naming the field.
 */
function taskRuns(task: Task): Trace[] {
  const sweep = nonEmpty(
    getTraces(MNIST_SWEEP_EXP).filter((t) => t.summary.task === task),
    `${MNIST_SWEEP_EXP} runs of ${task}`,
  );
  const gd = nonEmpty(
    getTraces(OPT_EXP).filter((t) => t.summary.task === task && t.summary.optimizer === 'gd'),
    `${OPT_EXP} GD runs of ${task}`,
  );
  const shared = ['n', 'm', 'mnistTestPerClass', 'stopMse', 'maxSteps', 'lossEvery', 'proxy'] as const;
  for (const k of shared)
    if (JSON.stringify(gd[0].config[k]) !== JSON.stringify(sweep[0].config[k]))
      throw new Error(
        `${MNIST_SWEEP_EXP}: its GD rows come from ${OPT_EXP}, whose ${k} differs; give both profiles the same ${k}`,
      );
  return [...gd, ...sweep];
}
const alignOf = (t: Trace, g: AlignTarget) => (g === 'rfm' ? t.summary.alignRfm : t.summary.alignNet);

/** The settings the chapter quotes, as the runs record them: GD's rates, SGD's batch sizes and rates, the stop rule. */
export function mnistSweepSettings() {
  const sweep = nonEmpty(getTraces(MNIST_SWEEP_EXP), `${MNIST_SWEEP_EXP} runs`);
  const gd = mnistSweepTasks().flatMap((task) => taskRuns(task).filter((t) => t.summary.optimizer === 'gd'));
  const ascending = (xs: number[]) => [...new Set(xs)].sort((a, b) => a - b);
  return {
    gdRates: ascending(gd.map((t) => t.config.rate)),
    batchSizes: ascending(sweep.map((t) => t.config.b)).reverse(),
    rates: ascending(sweep.map((t) => t.config.rate)),
    sweepRate: sweepRate(),
    stopMse: agreedSetting([...gd, ...sweep], 'stopMse'),
  };
}

/** Tasks present in the traces. */
export function mnistSweepTasks(): Task[] {
  return [...new Set(getTraces(MNIST_SWEEP_EXP).map((t) => t.summary.task))];
}

/** One (optimizer, batch size, rate) of a task over its finished seeds. */
export interface MnistSweepRow {
  label: string;
  batchSize: number;
  rate: number;
  seeds: number;
  /** Runs left out: stopped by the step cap, and diverged. */
  capped: number;
  diverged: number;
  /** The finished seeds, with what was left out and why, e.g. "1 (+2 diverged)". */
  seedsText: string;
  alignRfm: string;
  alignNet: string;
  catapults: string;
  testOverVar: string;
  testError: string;
  /** The means and stds behind the texts (for downloads). */
  stats: Record<'alignRfm' | 'alignNet' | 'catapults' | 'testOverVar' | 'testError', { mean: number; std: number }>;
}

/** A count of finished seeds with the runs left out named by why they stopped: "1 (+2 diverged)". */
function leftOutText(finishedSeeds: number, all: Trace[]): string {
  const capped = all.filter((t) => t.summary.stopReason === 'maxSteps').length;
  const diverged = all.filter((t) => t.summary.stopReason === 'diverged').length;
  const parts = [capped ? `+${capped} capped` : '', diverged ? `+${diverged} diverged` : ''].filter(Boolean);
  return parts.length ? `${finishedSeeds} (${parts.join(', ')})` : String(finishedSeeds);
}

/** Rows of a task: GD at each rate, then SGD by decreasing batch size and increasing rate. */
export function mnistSweepRows(task: Task): MnistSweepRow[] {
  const runs = taskRuns(task);
  const groups = [...new Set(runs.map((t) => `${t.summary.batchSize}|${t.summary.rate}`))]
    .map((k) => k.split('|').map(Number))
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const n = Math.max(...runs.map((t) => t.summary.batchSize));
  return groups.map(([b, rate]) => {
    const all = runs.filter((t) => t.summary.batchSize === b && t.summary.rate === rate);
    const ok = all.filter(finished);
    const stat = (f: (t: Trace) => number | null) => meanStd(ok.map(f).filter((v): v is number => v !== null));
    const col = (f: (t: Trace) => number | null, digits = 3) => pm(stat(f), digits);
    return {
      label: b === n ? 'GD' : `batch ${b}`,
      batchSize: b,
      rate,
      seeds: ok.length,
      capped: all.filter((t) => t.summary.stopReason === 'maxSteps').length,
      diverged: all.filter((t) => t.summary.stopReason === 'diverged').length,
      seedsText: leftOutText(ok.length, all),
      alignRfm: col((t) => t.summary.alignRfm),
      alignNet: col((t) => t.summary.alignNet),
      catapults: col((t) => t.summary.catapults, 1),
      testOverVar: col((t) => t.summary.testLossOverVar),
      testError: col((t) => t.summary.testError),
      stats: {
        alignRfm: stat((t) => t.summary.alignRfm),
        alignNet: stat((t) => t.summary.alignNet),
        catapults: stat((t) => t.summary.catapults),
        testOverVar: stat((t) => t.summary.testLossOverVar),
        testError: stat((t) => t.summary.testError),
      },
    };
  });
}

/** The ordering rule on a metric of the sweep at η̄ = sweepRate() (GD and every SGD batch size), seeds paired. */
export function mnistOrdering(task: Task, metric: AlignTarget | 'test'): OrderingResult & { seeds: number[] } {
  const runs = taskRuns(task).filter((t) => t.summary.rate === sweepRate());
  const bs = [...new Set(runs.map((t) => t.summary.batchSize))].sort((a, b) => b - a);
  const seeds = [...new Set(runs.map((t) => t.seed))]
    .sort((a, b) => a - b)
    .filter((s) => bs.every((b) => runs.some((t) => t.seed === s && t.summary.batchSize === b && finished(t))));
  const value = (b: number, s: number) => {
    const t = runs.find((x) => x.seed === s && x.summary.batchSize === b);
    const v = t ? (metric === 'test' ? t.summary.testLossOverVar : alignOf(t, metric)) : null;
    if (v === null) throw new Error(`${MNIST_SWEEP_EXP}: no finished run of ${task}, seed ${s}, batch size ${b}`);
    return v;
  };
  const values = new Map(bs.map((b) => [b, seeds.map((s) => value(b, s))]));
  return { ...orderingStatus(values, metric !== 'test'), seeds };
}

/** "GD→50: ordered; 50→10: tie; …" */
const steps = (o: OrderingResult) => o.pairs.map((p) => `${p.larger}→${p.smaller}: ${p.verdict}`).join('; ');

/** One sentence per task: the ordering verdicts against each proxy and for the test loss. */
export function mnistSweepVerdict(task: Task): string {
  const parts = (['rfm', 'net'] as const).map((g) => {
    const o = mnistOrdering(task, g);
    return `alignment with the ${TARGET_NAMES[g]} ${o.status} (${steps(o)})`;
  });
  const l = mnistOrdering(task, 'test');
  return `${taskName(task)}, batch size from GD down to ${Math.min(...l.pairs.map((p) => p.smaller))} at η̄ = ${sweepRate()}: ${parts.join('; ')}; test loss falling as the batch shrinks ${l.status} (${steps(l)})`;
}

/** Report rows: on real images, does alignment rise and test loss fall as the batch shrinks? */
export function mnistSweepClaims(): Claim[] {
  return mnistSweepTasks().map((task) => {
    const a = (['rfm', 'net'] as const).map((g) => ({ g, o: mnistOrdering(task, g) }));
    const l = mnistOrdering(task, 'test');
    const all = [...a.map((x) => x.o.status), l.status];
    const status = all.every((s) => s === 'reproduced')
      ? 'reproduced'
      : all.some((s) => s !== 'not reproduced')
        ? 'partly reproduced'
        : 'not reproduced';
    return {
      id: `ch3-${task}-batch-size`,
      chapter: 3 as const,
      claim: `${taskName(task)}: smaller batches give a higher AGOP alignment and a lower test loss (real images, the paper's SVHN/CelebA claim).`,
      paper: 'qualitative (SVHN, CelebA)',
      ours: `${a.map((x) => `${TARGET_NAMES[x.g]}: ${x.o.status}`).join('; ')}; test loss: ${l.status}`,
      status,
      detail: `${l.seeds.length} paired seeds, every run to training MSE < ${mnistSweepSettings().stopMse}, η̄ = ${sweepRate()} of the full-set critical rate at every batch size. Ordering rule per step, alignment (RFM proxy): ${steps(a[0].o)}; test loss: ${steps(l)}. Reproduced only when both proxies and the test loss agree.`,
      experiment: MNIST_SWEEP_EXP,
      ruleFile: 'src/site/chapters/agop/batchOrdering.ts',
      href: '/chapters/agop/#batch-size-on-real-images',
    };
  });
}

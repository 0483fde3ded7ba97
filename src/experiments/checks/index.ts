/**
 * Semantic checks per experiment, keyed by experiment id: what each run's numbers must satisfy
 * given its config (counts ≥ 0, step numbers strictly increasing and within the run, spike and
 * catapult peaks inside the series, series lengths the config implies, losses no larger than the
 * run's stop rule allows when it did not diverge). Every trace reader applies them
 * (src/node/traceFiles.ts). They sit beside the experiments' declared outputs but outside their
 * import graph, so adding or tightening a check stales no trace.
 *
 * What no static check can see is a plausible value edited by hand; the reproducibility audit
 * (`npm run experiments -- audit`) reruns runs and compares them byte for byte.
 */
import type { Trace } from '../trace';
import { Checker, type SemanticIssue, type TraceChecks } from './rules';

export type { SemanticIssue, TraceView } from './rules';

/** The Trainer stops a run as diverged once a loss exceeds this factor times the initial loss (docs/conventions.md). */
const TRAINER_DIVERGE_FACTOR = 1e6;
/** An initial ½Σ loss above this many units per training sample is no run of these tasks (targets and outputs are O(1)). */
const INITIAL_LOSS_PER_SAMPLE = 100;

/**
 * The loss series `names` of a run that did not diverge stay within its stop rule: the initial loss
 * is at most 100 per sample (n samples), and no loss exceeds `factor` times the initial one.
 */
function boundedLoss(c: Checker, names: string[], n: number, factor = TRAINER_DIVERGE_FACTOR): void {
  for (const name of names) {
    const xs = c.series(name);
    if (!xs || xs.length === 0) continue;
    const cap = INITIAL_LOSS_PER_SAMPLE * n;
    c.require(
      Math.abs(xs[0]) <= cap,
      `series.${name}[0]`,
      `is ${xs[0]}, more than ${cap} (${INITIAL_LOSS_PER_SAMPLE} per sample on ${n} samples): no initial loss of this task is that large`,
    );
    c.atMost(
      `series.${name}`,
      factor * Math.abs(xs[0]),
      `the stop rule (a loss above ${factor} × the initial loss ends the run as diverged, and this run did not diverge)`,
    );
  }
}

/** Step series `name` is 0, every, 2·every, … and ends within one cadence of `end` (inclusive): the run recorded at its cadence to its end. */
function cadence(c: Checker, name: string, every: number, end: number): void {
  const xs = c.series(name);
  if (!xs) return;
  c.increasingSteps(name, 0, end);
  const field = `series.${name}`;
  for (let i = 0; i < xs.length - 1; i++) {
    if (xs[i] !== i * every) {
      c.require(
        false,
        `${field}[${i}]`,
        `is ${xs[i]}, but the run records every ${every} steps from 0 (expected ${i * every})`,
      );
      return;
    }
  }
  const last = xs[xs.length - 1];
  c.require(
    xs.length > 0 && last >= end - every,
    field,
    `ends at step ${last ?? 'nothing'} with ${xs.length} values, but a run of ${end} steps recorded every ${every} steps ends after step ${end - every}`,
  );
}

/** A run of `steps` GD/SGD steps recorded at every step into `names` (0 … steps−1), or up to `divergedAt` inclusive. */
function everyStep(c: Checker, names: string[], steps: number, divergedAt: number | null, axis = 'step'): void {
  c.increasingSteps(axis, 0, steps - 1);
  if (divergedAt === null) c.lengths(names, steps, `config.steps = ${steps} (the run did not diverge)`);
  else {
    // The step that diverged is recorded when its loss was measured before the stop (batch or full loss).
    c.stepsIn('summary.divergedAt', 0, steps - 1, 'within the run');
    const n = c.series(axis)?.length ?? 0;
    const len = n === divergedAt ? divergedAt : divergedAt + 1;
    c.lengths(names, len, `summary.divergedAt = ${divergedAt} (steps 0…${divergedAt - 1} or 0…${divergedAt})`);
  }
}

/** Spike events (start, peak, end) are inside series `axis`, one per counted spike, and ordered start ≤ peak ≤ end. */
function spikes(c: Checker, prefix: string, axis: string, count: string | null): void {
  const names = ['Start', 'Peak', 'End'].map((s) => `${prefix}${s}`);
  for (const name of names) c.increasingSteps(name, 0, Number.MAX_SAFE_INTEGER, 'of a spike');
  c.insideSeries(
    names.map((n) => `series.${n}`),
    axis,
  );
  const [s, p, e] = names.map((n) => c.series(n));
  if (s && p && e) {
    for (let i = 0; i < Math.min(s.length, p.length, e.length); i++) {
      if (!(s[i] <= p[i] && p[i] <= e[i])) {
        c.require(
          false,
          `series.${prefix}Peak[${i}]`,
          `is ${p[i]}, but a spike's peak lies between its start ${s[i]} and its end ${e[i]}`,
        );
        break;
      }
    }
  }
  if (count !== null && s) {
    const n = c.sum(count);
    c.require(n === s.length, `summary.${count}`, `is ${n}, but series.${prefix}Start holds ${s.length} spikes`);
  }
}

const divergedAt = (c: Checker) => c.sum('divergedAt');

const CHECKS: Record<string, TraceChecks> = {
  'uv-catapult': (c) => {
    const steps = c.num('steps');
    if (c.t.config.kind === 'phase') {
      const grid = c.t.config.etaLambda0 as number[];
      c.lengths(
        ['etaLambda0', 'finalLambdaRatio', 'finalLoss', 'maxLossRatio', 'outcome', 'stepsRun'],
        grid.length,
        `config.etaLambda0's ${grid.length} grid points`,
      );
      const xs = c.series('etaLambda0') ?? [];
      const i = xs.findIndex((x, k) => Math.abs(x - grid[k]) > 1e-6 * Math.abs(grid[k]));
      c.require(i < 0, `series.etaLambda0[${i}]`, `is ${xs[i]}, but config.etaLambda0 says ${grid[i]}`);
      c.inRange('series.outcome', 0, 2, 'an outcome code: 0 lazy, 1 catapult, 2 divergent');
      c.counts('series.outcome', 'series.stepsRun');
      c.stepsIn('series.stepsRun', 0, steps, 'within the run');
      return;
    }
    const d = divergedAt(c);
    c.increasingSteps('step', 0, steps);
    const names = ['step', 'loss', 'lambda', 'etaLambda'];
    if (d === null) {
      c.lengths(names, steps + 1, `config.steps = ${steps} (steps 0…${steps}; the run did not diverge)`);
      c.atMost('series.loss', c.num('divergeAbove'), 'config.divergeAbove (the run did not diverge)');
    } else {
      c.stepsIn('summary.divergedAt', 0, steps, 'within the run');
      c.lengths(names, d + 1, `summary.divergedAt = ${d}`);
    }
    c.insideSeries('summary.peakStep', 'step');
  },
  'shallow-gd-regimes': (c) => {
    const d = divergedAt(c);
    everyStep(c, ['step', 'loss'], c.num('steps'), d);
    c.counts('summary.catapults');
    c.insideSeries('summary.peakStep', 'step');
    if (d === null) boundedLoss(c, ['loss'], c.num('n'));
  },
  'shallow-eta-max': (c) => etaMax(c),
  'deep-eta-max': (c) => etaMax(c),
  'nqm-vs-network': (c) => {
    const d = divergedAt(c);
    everyStep(c, ['step', 'loss', 'lambda1', 'lambda2'], c.num('steps'), d);
    if (d === null) boundedLoss(c, ['loss'], c.num('n'));
  },
  'sgd-spike-anatomy': (c) => {
    const steps = c.num('steps');
    const d = divergedAt(c);
    everyStep(c, ['step', 'trainLoss', 'batchLoss', 'etaBar', 'batchCrit', 'pl', 'plPerp', 'plTotal'], steps, d);
    const stepsRun = c.series('step')?.length ?? 0;
    c.length(
      'batchIndices',
      stepsRun * c.num('batchSize'),
      `${stepsRun} steps of config.batchSize = ${c.num('batchSize')}`,
    );
    c.stepsIn('series.batchIndices', 0, c.num('n') - 1, 'a training sample index');
    spikes(c, 'spike', 'step', 'spikes');
    c.flags('series.spikeStartAbove', 'series.spikeRiseAbove');
    c.counts(
      'summary.spikes',
      'summary.spikesStartingAbove',
      'summary.spikesWithRiseAbove',
      'summary.stepsAboveBatchCrit',
    );
    c.stepsIn(
      ['summary.spikesStartingAbove', 'summary.spikesWithRiseAbove'],
      0,
      c.sum('spikes') ?? 0,
      'at most summary.spikes',
    );
    c.stepsIn('summary.stepsAboveBatchCrit', 0, stepsRun, 'at most the steps run');
    c.insideSeries(['summary.largestSpikeStart', 'summary.largestSpikePeak', 'summary.largestSpikeEnd'], 'step');
    if (d === null) boundedLoss(c, ['trainLoss'], c.num('n'));
  },
  'sgd-spike-sweep': (c) => {
    const steps = c.num('steps');
    const d = divergedAt(c);
    everyStep(c, ['step', 'trainLoss'], steps, d);
    c.counts('summary.spikes', 'summary.steps');
    c.stepsIn('summary.steps', 0, steps, 'at most config.steps');
    c.inRange('summary.stepsAboveBatchCritShare', 0, 1, 'a share');
    if (d === null) boundedLoss(c, ['trainLoss'], c.num('n'));
  },
  'sgd-spike-kernel': (c) => {
    const steps = c.num('steps');
    const d = divergedAt(c);
    everyStep(c, ['step', 'trainLoss', 'lambdaMax'], steps, d);
    const every = c.num('batchEvery');
    cadence(c, 'batchStep', every, (c.series('step')?.length ?? steps) - 1);
    spikes(c, 'spike', 'step', null);
    c.counts('summary.largeSpikes', 'summary.lambdaLowerAfter', 'summary.batchCritHigherAfter');
    c.require(
      (c.series('spikeStart')?.length ?? 0) === c.sum('largeSpikes'),
      'summary.largeSpikes',
      `is ${c.sum('largeSpikes')}, but series.spikeStart holds ${c.series('spikeStart')?.length ?? 0} spikes`,
    );
    if (d === null) boundedLoss(c, ['trainLoss'], c.num('n'));
  },
  'deep-fcn-gd': (c) => {
    const steps = c.num('steps');
    const d = divergedAt(c);
    everyStep(c, ['step', 'trainLoss'], steps, d);
    const dense = c.num('denseSteps');
    const every = c.num('every');
    c.increasingSteps('measureStep', 0, steps);
    if (d === null)
      c.length(
        'measureStep',
        dense + 1 + Math.floor((steps - dense) / every),
        `config.denseSteps = ${dense}, config.every = ${every} and config.steps = ${steps}`,
      );
    c.counts('summary.spikes');
    c.insideSeries('summary.peakStep', 'step');
    if (d === null) boundedLoss(c, ['trainLoss'], 10 * c.num('perClass'));
  },
  'kernel-drops': (c) => {
    const steps = c.num('steps');
    const d = divergedAt(c);
    everyStep(c, ['step', 'trainLoss'], steps, d);
    cadence(c, 'lambdaStep', c.num('lambdaEvery'), (c.series('step')?.length ?? steps) - 1);
    spikes(c, 'spike', 'step', 'spikes');
    c.increasingSteps('judgedPeak', 0, steps - 1);
    c.insideSeries('series.judgedPeak', 'step');
    c.counts('summary.spikes', 'summary.spikesJudged', 'summary.spikesWithLambdaDrop', 'series.liveChannels');
    c.stepsIn('summary.spikesJudged', 0, c.sum('spikes') ?? 0, 'at most summary.spikes');
    c.stepsIn('summary.spikesWithLambdaDrop', 0, c.sum('spikesJudged') ?? 0, 'at most summary.spikesJudged');
    if (d === null) boundedLoss(c, ['trainLoss'], 10 * c.num('perClass'));
  },
  'multi-catapult': (c) => ladder(c),
  'cnn-ladder-factors': (c) => ladder(c),
  'agop-gd-catapults': (c) => agopGd(c),
  'agop-gd-catapults-rank4': (c) => agopGd(c),
  'catapult-removal': (c) => catapultRemoval(c),
  'catapult-removal-cap07': (c) => catapultRemoval(c),
  'agop-batch-sweep': (c) => agopSgd(c),
  'agop-noise-control': (c) => agopSgd(c),
  'test-loss-vs-eta': (c) => {
    const steps = c.num('steps' in c.t.config ? 'steps' : 'maxSteps');
    const ran = c.sum('steps') ?? 0;
    c.stepsIn('summary.steps', 0, steps, 'at most config.maxSteps');
    cadence(c, 'step', c.num('lossEvery'), ran - 1);
    c.counts('summary.catapults');
    if (c.t.summary.diverged !== true) boundedLoss(c, ['trainLoss'], c.num('n'));
  },
  'optimizer-alignment': (c) => stopRuleRun(c),
  'mnist-batch-sweep': (c) => stopRuleRun(c),
  'optimizer-alignment-sweep': (c) => stopRuleRun(c),
};

function etaMax(c: Checker): void {
  const probes = c.num('iterations') + 2;
  c.lengths(
    ['probeRatio', 'probeDiverged', 'probeSteps'],
    probes,
    `config.iterations = ${probes - 2} (two ends and the bisection probes)`,
  );
  c.flags('series.probeDiverged');
  c.stepsIn('series.probeSteps', 0, c.num('steps'), 'within a probe run');
  c.inRange('series.probeRatio', c.num('lo'), c.num('hi'), 'the bracket config.lo…config.hi');
  c.inRange(
    ['summary.etaMaxRatio', 'summary.etaMaxRatioLow', 'summary.etaMaxRatioHigh'],
    c.num('lo'),
    c.num('hi'),
    'the bracket config.lo…config.hi',
  );
}

/** The learning-rate ladder (multi-catapult, cnn-ladder-factors). */
function ladder(c: Checker): void {
  const steps = c.num('steps');
  const ran = c.sum('steps') ?? 0;
  const d = divergedAt(c);
  const vanished = c.sum('kernelVanishedAt');
  c.stepsIn('summary.steps', 0, steps, 'at most config.steps');
  if (d === null && vanished === null)
    c.require(
      ran === steps,
      'summary.steps',
      `is ${ran}, but a run that neither diverged nor lost its kernel runs config.steps = ${steps}`,
    );
  c.increasingSteps('step', 0, steps - 1);
  c.lengths(['step', 'trainLoss', 'eta'], ran, `summary.steps = ${ran}`);
  c.increasingSteps('lambdaStep', 0, steps);
  c.increasingSteps('raiseSteps', 0, steps - 1);
  const at = (c.t.config.atSteps as number[]) ?? [];
  const raises = c.series('raiseSteps') ?? [];
  const j = raises.findIndex((s, i) => s !== at[i]);
  c.require(j < 0, `series.raiseSteps[${j}]`, `is ${raises[j]}, but config.atSteps says ${at[j]}`);
  c.increasingSteps('spikePeak', 0, Math.max(ran - 1, 0), 'inside the steps run');
  c.counts(
    'summary.stages',
    'summary.stagesComplete',
    'summary.stagesEndingBelow',
    'summary.stagesWithLambdaDrop',
    'summary.stagesWithSpike',
    'series.stageSpikes',
    'series.liveChannels',
  );
  c.flags('series.stageBelowTwoOverEta');
  const stages = c.sum('stages') ?? 0;
  const complete = c.sum('stagesComplete') ?? 0;
  c.stepsIn('summary.stages', 0, at.length, 'at most the rungs of config.atSteps');
  c.stepsIn('summary.stagesComplete', 0, stages, 'at most summary.stages');
  c.lengths(['stageEta', 'stageLambdaStart', 'stageSpikes', 'raiseSteps'], stages, `summary.stages = ${stages}`);
  c.lengths(
    ['stageLambdaEnd', 'stageEtaLambdaEnd', 'stageBelowTwoOverEta'],
    complete,
    `summary.stagesComplete = ${complete}`,
  );
  if (d === null) boundedLoss(c, ['trainLoss'], 10 * c.num('perClass'));
}

/** GD with AGOP tracking (agop-gd-catapults and its rank-4 variant). */
function agopGd(c: Checker): void {
  const steps = c.num('steps');
  const d = divergedAt(c);
  everyStep(c, ['step', 'trainLoss', 'etaOverCrit0'], steps, d);
  const every = c.num('alignEvery');
  if (d === null) {
    cadence(c, 'alignStep', every, steps);
    c.lengths(
      ['alignStep', 'align', 'testLoss'],
      Math.floor(steps / every) + 1,
      `config.steps = ${steps} and config.alignEvery = ${every}`,
    );
  }
  c.increasingSteps('catapultPeaks', 0, steps - 1);
  c.insideSeries('series.catapultPeaks', 'step');
  c.increasingSteps('raiseSteps', 0, steps - 1);
  c.counts('summary.catapults', 'summary.catapultsLiftingAlignment');
  c.require(
    (c.series('catapultPeaks')?.length ?? 0) === c.sum('catapults'),
    'summary.catapults',
    `is ${c.sum('catapults')}, but series.catapultPeaks holds ${c.series('catapultPeaks')?.length ?? 0} peaks`,
  );
  c.stepsIn('summary.catapultsLiftingAlignment', 0, c.sum('catapults') ?? 0, 'at most summary.catapults');
  c.lengths(['agopBlock', 'trueAgopBlock'], Math.min(10, c.num('d')) ** 2, `the top-left min(10, config.d) block`);
  if (d === null) boundedLoss(c, ['trainLoss'], c.num('n'));
}

/** SGD or GD on the AGOP tasks to a stop rule (agop-batch-sweep, agop-noise-control). */
function agopSgd(c: Checker): void {
  const ran = c.sum('steps') ?? 0;
  const every = c.sum('lossEvery') ?? 1;
  c.counts(
    'summary.steps',
    'summary.lossEvery',
    'summary.catapults',
    'summary.catapultsEveryStep',
    'summary.stepsAboveBatchCrit',
    'summary.batchSize',
  );
  cadence(c, 'step', every, ran);
  c.increasingSteps('catapultPeaks', 0, ran);
  c.insideSeries('series.catapultPeaks', 'step');
  c.stepsIn('series.alignStep', 0, ran, 'within the run');
  c.stepsIn('summary.stepsAboveBatchCrit', 0, ran, 'at most summary.steps');
  c.inRange('summary.fracBatchesBelowEta', 0, 1, 'a share');
  const block = Math.min(10, c.num('d')) ** 2;
  c.lengths(['trueAgopBlock'], block, `the top-left min(10, config.d) block`);
  if (c.t.summary.stopReason === 'diverged') {
    // a diverged run has no end-of-run AGOP; it stopped at the step it diverged
    c.lengths(['agopBlock'], 0, 'empty: the run diverged, so there is no final AGOP');
    c.require(
      c.t.summary.divergedAt === c.t.summary.steps,
      'summary.divergedAt',
      `is ${String(c.t.summary.divergedAt)}, but a diverged run stops at the step it diverged (summary.steps = ${String(c.t.summary.steps)})`,
    );
    c.inRange('summary.epochs', 0, Infinity, 'a diverged run may stop mid-epoch');
  } else {
    // a run ends at an epoch's end (the stop rule or the cap), so whole epochs
    c.counts('summary.epochs');
    c.lengths(['agopBlock'], block, `the top-left min(10, config.d) block`);
    boundedLoss(c, ['trainLoss'], c.num('n'));
  }
}

/**
 * Step series `name` strictly increases within [0, end], except that its last entry may repeat the
 * one before with the same value in series `values`: catapult-removal appends the final measurement
 * at the stop step, which is also a sampling step when the run stops on one (same weights, same value).
 */
function finalRepeat(c: Checker, name: string, values: string, end: number): void {
  const xs = c.series(name);
  const vs = c.series(values);
  if (!xs || !vs) return;
  const n = xs.length;
  const repeated = n >= 2 && xs[n - 1] === xs[n - 2];
  c.stepsIn(`series.${name}`, 0, end, 'within the run');
  for (let i = 1; i < (repeated ? n - 1 : n); i++) {
    if (!(xs[i] > xs[i - 1])) {
      c.require(false, `series.${name}[${i}]`, `is ${xs[i]} after ${xs[i - 1]}: step numbers must strictly increase`);
      return;
    }
  }
  if (repeated)
    c.require(
      vs[n - 1] === vs[n - 2],
      `series.${values}[${n - 1}]`,
      `is ${vs[n - 1]}, but the final measurement at step ${xs[n - 1]} repeats one of ${vs[n - 2]} at the same step`,
    );
}

/**
 * catapult-removal and its 0.7 variant, per arm: counts whole and ≥ 0, at most one ratio and one
 * factor per step taken, step series increasing within the run, factors in [0, 1], catapults no more
 * than spikes, and the cap itself: no capped step taken at or above its batch's critical rate.
 */
function catapultRemoval(c: Checker): void {
  for (const arm of ['capped', 'matched'] as const) {
    if (c.t.summary[`${arm}Stop`] === null) continue;
    const steps = c.sum(`${arm}Steps`) ?? 0;
    c.counts(
      ...['Steps', 'StepsShrunk', 'StepsInRegime', 'StepsAboveCrit', 'Spikes', 'Catapults', 'SpikesSampled'].map(
        (k) => `summary.${arm}${k}`,
      ),
    );
    c.lengths([`${arm}Ratio`, `${arm}Factor`], steps, `summary.${arm}Steps`);
    c.increasingSteps(`${arm}LossStep`, 0, steps);
    finalRepeat(c, `${arm}AlignStep`, `${arm}Align`, steps);
    c.inRange(`series.${arm}Factor`, 0, 1, 'a step is never lengthened, only shrunk or skipped');
    c.stepsIn(`summary.${arm}Catapults`, 0, c.sum(`${arm}Spikes`) ?? 0, 'at most the spikes');
    c.stepsIn(`summary.${arm}StepsInRegime`, 0, steps, `at most summary.${arm}Steps`);
    if (arm === 'capped') {
      const ratio = c.series('cappedRatio') ?? [];
      const factor = c.series('cappedFactor') ?? [];
      // long series are stored as float32: a stable ratio just below 1 may read back as 1.0000001
      const over = ratio.findIndex((r, i) => factor[i] * r >= 1 + 1e-6);
      c.require(
        over < 0,
        `series.cappedFactor[${over}]`,
        `times series.cappedRatio is ${factor[over] * ratio[over]}: a capped step was taken at or above its batch's critical rate`,
      );
      c.require(
        (c.sum('cappedStepsAboveCrit') ?? 0) === 0,
        'summary.cappedStepsAboveCrit',
        'must be 0 in the capped arm',
      );
    }
    if (c.t.summary[`${arm}Stop`] !== 'diverged') boundedLoss(c, [`${arm}Loss`], c.num('n'));
  }
}

/**
 * A shallow net trained to a stop rule (optimizer-alignment and its variants), loss recorded every
 * config.lossEvery steps, GD's at every step.
 */
function stopRuleRun(c: Checker): void {
  const ran = c.sum('steps') ?? 0;
  c.counts('summary.steps', 'summary.netSteps', 'summary.catapults', 'summary.batchSize');
  c.stepsIn('summary.steps', 0, c.num('maxSteps'), 'at most config.maxSteps');
  cadence(c, 'step', c.t.summary.optimizer === 'gd' ? 1 : c.num('lossEvery'), ran - 1);
  c.inRange('summary.testError', 0, 1, 'an error rate');
  if (c.t.summary.stopReason !== 'diverged') boundedLoss(c, ['trainLoss'], c.num('n'));
}

/** The semantic issues of a decoded trace (empty if none, or if its experiment declares no checks). */
export function semanticIssues(
  trace: Pick<Trace, 'experiment' | 'runKey' | 'config' | 'summary' | 'series'>,
): SemanticIssue[] {
  const check = CHECKS[trace.experiment];
  if (!check) return [];
  const c = new Checker(trace);
  check(c);
  return c.issues;
}

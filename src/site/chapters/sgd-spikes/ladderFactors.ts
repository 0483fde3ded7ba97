/**
 * Chapter 2, "can the CNN climb the ladder?": from the cnn-ladder-factors traces, per readout (global
 * average pooling or dense) and raise factor, how far each seed's ladder got (all stages, a divergence,
 * or a kernel that vanished), how hard the first catapult flattened λ_max, and whether η climbed in the
 * runs that survived; the figure, the sentence and the report row are built from these.
 */
import { getTraces, nonEmpty, type TraceOf } from '../../traces';
import { midMedian, recordedSettings, sig } from '../common';
import type { FigureSpec, PanelSpec } from '../../figure';
import type { Claim } from '../../claims/types';
import { cnnLadderFactors } from '../../../experiments/cnnLadderFactors';
import { ladderRuns } from './readouts';

export const LADDER_FACTORS_EXP = 'cnn-ladder-factors';
type Trace = TraceOf<'cnn-ladder-factors'>;
type LadderArch = Trace['summary']['arch'];

/** The paper profile's settings (typed by the experiment's schema). */
const settings = () => cnnLadderFactors.schema.parse(cnnLadderFactors.profiles.paper);

/** The ladder figure's other architectures as prose names them. */
const LADDER_ARCH_NAME: Record<string, string> = { shallow: 'shallow net', fcn: 'FCN' };

/** How the readouts are named in prose and legends, and in a table's narrow first column. */
const READOUT: Partial<Record<LadderArch, { name: string; short: string }>> = {
  cnn: { name: 'pooled readout', short: 'pooled' },
  'cnn-dense': { name: 'dense readout', short: 'dense' },
};

/** A readout's name (`short`: the table's one word); an architecture without one keeps its id. */
export const readoutName = (arch: LadderArch, short = false): string =>
  READOUT[arch]?.[short ? 'short' : 'name'] ?? arch;

/** The first letter upper-cased (a sentence that opens with a name). */
const capitalise = (x: string) => x.charAt(0).toUpperCase() + x.slice(1);

/** Two significant digits, with thousands separated ("2,500"). */
const big = (x: number) => (Math.abs(x) >= 1000 ? Math.round(+x.toPrecision(2)).toLocaleString('en') : sig(x, 2));

/** "a, b and c" */
const list = (xs: string[]) => (xs.length < 2 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

/** Every stage completed (the first rate and each raise after it), with η higher at each raise than at the one before. */
function climbed(t: Trace): boolean {
  const eta = t.series.stageEta;
  return survived(t) && eta.every((e, k) => k === 0 || e > eta[k - 1]);
}

/** Every stage of the ladder completed: no divergence, no vanished kernel. */
function survived(t: Trace): boolean {
  return t.summary.stagesComplete === t.config.atSteps.length;
}

/** How a ladder run ended, as prose and read-outs say it (`cell`: the few words of a table cell). */
export function runEnd(
  t: { summary: { kernelVanishedAt: number | null; divergedAt: number | null }; config: { atSteps: number[] } },
  cell = false,
): string {
  const s = t.summary;
  const at = cell ? 'at' : 'at step';
  if (s.kernelVanishedAt !== null) return `${cell ? 'dead' : 'every unit dead'} ${at} ${s.kernelVanishedAt}`;
  if (s.divergedAt !== null) return `diverged ${at} ${s.divergedAt}`;
  return cell ? 'all stages' : `all ${t.config.atSteps.length} stages`;
}

/** The ladder figure's pooled CNN (multi-catapult, seed 0): its factor, and how its ladder ended, in which stage. */
export function figure3Cnn(): { factor: number; end: string } {
  const t = ladderRuns().find((r) => r.summary.arch === 'cnn');
  if (!t) throw new Error('multi-catapult: no CNN run of seed 0 (the ladder figure draws one)');
  const stage = t.summary.stagesComplete + 1;
  const ord = ['first', 'second', 'third', 'fourth', 'fifth'][stage - 1] ?? `${stage}th`;
  const end = runEnd(t);
  return {
    factor: t.config.factor,
    end: t.summary.stagesComplete < t.config.atSteps.length ? `${end}, in its ${ord} stage` : end,
  };
}

/** One (readout, factor) point over its seeds. */
export interface LadderFactorRow {
  arch: LadderArch;
  factor: number;
  seeds: number;
  /** Runs that completed every stage, and those of them in which η rose at every raise. */
  survived: number;
  climbed: number;
  diverged: number;
  vanished: number;
  /** Per seed, in seed order: how the run ended, in a table cell's words. */
  perSeed: { seed: number; end: string }[];
  /** Completed stages over the seeds, and how many ended with a lower λ_max than they started with. */
  stagesComplete: number;
  stagesWithDrop: number;
  /** Largest η / η_crit(w_0) a surviving run reached (null: none survived). */
  survivorEtaMax: number | null;
}

/** The sweep's readouts in the profile's order. */
export function ladderArchs(): LadderArch[] {
  return settings().archs.filter((a) => getTraces(LADDER_FACTORS_EXP).some((t) => t.summary.arch === a));
}

/** Rows of one readout, by factor ascending. */
export function ladderFactorRows(arch: LadderArch): LadderFactorRow[] {
  const runs = getTraces(LADDER_FACTORS_EXP).filter((t) => t.summary.arch === arch);
  const factors = [...new Set(runs.map((t) => t.config.factor))].sort((a, b) => a - b);
  const rows = factors.map((factor) => {
    const at = runs.filter((t) => t.config.factor === factor).sort((a, b) => a.seed - b.seed);
    const ok = at.filter(survived);
    return {
      arch,
      factor,
      seeds: at.length,
      survived: ok.length,
      climbed: at.filter(climbed).length,
      diverged: at.filter((t) => t.summary.divergedAt !== null).length,
      vanished: at.filter((t) => t.summary.kernelVanishedAt !== null).length,
      perSeed: at.map((t) => ({ seed: t.seed, end: runEnd(t, true) })),
      stagesComplete: at.reduce((s, t) => s + t.summary.stagesComplete, 0),
      stagesWithDrop: at.reduce((s, t) => s + t.summary.stagesWithLambdaDrop, 0),
      survivorEtaMax: ok.length
        ? Math.max(...ok.flatMap((t) => t.series.stageEta.map((e) => e / t.summary.etaCrit0)))
        : null,
    };
  });
  return nonEmpty(rows, `${LADDER_FACTORS_EXP} runs of ${arch}`);
}

/** λ_max at its lowest measurement in the first stage (up to and including the second raise) over λ_max(K(w_0)). */
export function firstStageLow(t: {
  series: { lambdaStep: number[]; lambdaMax: number[]; raiseSteps: number[] };
  summary: { lambda0: number };
}): number {
  const s = t.series;
  const end = s.raiseSteps[1] ?? Infinity;
  const first = s.lambdaMax.filter((_, i) => s.lambdaStep[i] <= end);
  return Math.min(...first) / t.summary.lambda0;
}

/** Every raise after the first that a run reached: η·λ_max/2 just before it (the old rate against the kernel it found), and whether its stage completed. */
export interface LadderRaise {
  runKey: string;
  arch: LadderArch;
  /** Index of the raise (1 = the second rate). */
  k: number;
  /** η_{k−1}·λ_max(K(w_t))/2 at the raise step: ≥ 1 means the kernel had grown back to or past the old rate's edge. */
  edgeBefore: number;
  /** η_k / η_{k−1}. */
  etaRatio: number;
  completed: boolean;
  /** Steps the run lasted after the raise, up to the stage's end. */
  stepsLasted: number;
}

/** The raises after the first of every run of the sweep. */
export function ladderRaises(): LadderRaise[] {
  return getTraces(LADDER_FACTORS_EXP).flatMap((t) => {
    const s = t.series;
    const ended = t.summary.steps;
    return s.raiseSteps.slice(1).map((step, i) => {
      const k = i + 1;
      const stageEnd = t.config.atSteps[k + 1] ?? t.config.steps;
      return {
        runKey: t.runKey,
        arch: t.summary.arch,
        k,
        edgeBefore: (s.stageEta[k - 1] * s.stageLambdaStart[k]) / 2,
        etaRatio: s.stageEta[k] / s.stageEta[k - 1],
        completed: k < t.summary.stagesComplete,
        stepsLasted: Math.min(stageEnd, ended) - step,
      };
    });
  });
}

/** Counts over the whole sweep that the sentence and the report row state. */
export function ladderFactorVerdict() {
  const runs = nonEmpty(getTraces(LADDER_FACTORS_EXP), `${LADDER_FACTORS_EXP} runs`);
  const cfg = settings();
  // how low the first catapult took λ_max, in the runs whose first stage completed
  const lows = runs.filter((t) => t.summary.stagesComplete >= 1).map(firstStageLow);
  const raises = ladderRaises();
  const atEdge = raises.filter((r) => r.edgeBefore >= 1);
  const below = raises.filter((r) => r.edgeBefore < 1);
  const secondEta = runs
    .filter((t) => t.series.stageEta.length > 1)
    .map((t) => t.series.stageEta[1] / t.summary.etaCrit0);
  const byArch = ladderArchs().map((arch) => {
    const rows = ladderFactorRows(arch);
    const sum = (f: (r: LadderFactorRow) => number) => rows.reduce((s, r) => s + f(r), 0);
    const mine = runs.filter((t) => t.summary.arch === arch);
    return {
      arch,
      runs: sum((r) => r.seeds),
      survived: sum((r) => r.survived),
      climbed: sum((r) => r.climbed),
      diverged: sum((r) => r.diverged),
      vanished: sum((r) => r.vanished),
      /** Factors at which every seed survived. */
      allSeedsAt: rows.filter((r) => r.survived === r.seeds).map((r) => r.factor),
      survivors: mine.filter(survived).map((t) => ({
        factor: t.config.factor,
        seed: t.seed,
        etaOverCrit0: t.series.stageEta.map((e) => e / t.summary.etaCrit0),
      })),
      /** Runs that diverged before their second raise. */
      divergedInFirstStage: mine.filter((t) => t.summary.stagesComplete === 0).length,
    };
  });
  const survivorRaises = raises.filter((r) => runs.some((t) => t.runKey === r.runKey && survived(t)));
  const ratios = survivorRaises.map((r) => r.etaRatio);
  const survivorEta = byArch.flatMap((a) => a.survivors.flatMap((s) => s.etaOverCrit0));
  return {
    factors: cfg.factors,
    seeds: cfg.seeds,
    stages: cfg.atSteps.length,
    byArch,
    survivedRuns: byArch.reduce((s, a) => s + a.survived, 0),
    climbedRuns: byArch.reduce((s, a) => s + a.climbed, 0),
    divergedInFirstStage: byArch.reduce((s, a) => s + a.divergedInFirstStage, 0),
    /** λ_max at its lowest in the first stage over λ_max(K(w_0)), over the runs that completed that stage. */
    firstLow: {
      min: Math.min(...lows),
      median: lows.length ? midMedian(lows) : NaN,
      max: Math.max(...lows),
      runs: lows.length,
    },
    /** Raises after the first, split by whether λ_max had grown back to the old rate's edge, and how many of each were survived. */
    raisesAtEdge: { n: atEdge.length, completed: atEdge.filter((r) => r.completed).length },
    raisesBelowEdge: {
      n: below.length,
      completed: below.filter((r) => r.completed).length,
      /** The largest η·λ_max/2 before a raise whose stage did not complete (null: every such raise completed). */
      failedMaxEdge: below.some((r) => !r.completed)
        ? Math.max(...below.filter((r) => !r.completed).map((r) => r.edgeBefore))
        : null,
    },
    /** η / η_crit(w_0) that the second raise set, median and largest over the runs that reached it. */
    secondEtaMedian: secondEta.length ? midMedian(secondEta) : NaN,
    secondEtaMax: secondEta.length ? Math.max(...secondEta) : NaN,
    /** In the surviving runs: η_k / η_{k−1} over their raises, and the largest η / η_crit(w_0). */
    survivorRatioMin: ratios.length ? Math.min(...ratios) : NaN,
    survivorRatioMax: ratios.length ? Math.max(...ratios) : NaN,
    survivorEtaMax: survivorEta.length ? Math.max(...survivorEta) : NaN,
  };
}
/** η·λ_max(K)/2 at each λ measurement of a run (1 = the edge 2/η of the rate in force at that step). */
function edgeSeries(t: Trace): { x: number[]; y: number[] } {
  const s = t.series;
  const etaAt = (step: number) => {
    const i = s.step.indexOf(step);
    return s.eta[i >= 0 ? i : s.eta.length - 1];
  };
  const keep = s.lambdaStep.map((st, i) => ({ st, v: (etaAt(st) * s.lambdaMax[i]) / 2 })).filter((p) => p.v > 0);
  return { x: keep.map((p) => p.st), y: keep.map((p) => p.v) };
}

/** Props of the figure: steps each seed lasted against the factor per readout; every later raise by the kernel it found; η·λ_max/2 over the steps of seed 0 (dense readout). */
export function ladderFactorsFigure() {
  const cfg = settings();
  const archs = ladderArchs();
  const runs = getTraces(LADDER_FACTORS_EXP);
  const seeds = [...new Set(runs.map((t) => t.seed))].sort((a, b) => a - b);
  const raiseLines = cfg.atSteps.slice(1).map((s) => ({ value: s, label: 'raise' }));
  const survivalPanels: PanelSpec[] = archs.map((arch) => ({
    title: `${capitalise(readoutName(arch))}: steps each run lasted`,
    xLabel: 'raise factor',
    yLabel: 'steps',
    yDomain: [0, cfg.steps],
    legend: 'below',
    series: seeds.map((seed, i) => {
      const at = runs
        .filter((t) => t.summary.arch === arch && t.seed === seed)
        .sort((a, b) => a.config.factor - b.config.factor);
      return {
        name: `seed ${seed}`,
        x: at.map((t) => t.config.factor),
        y: at.map((t) => t.summary.steps),
        points: true,
        color: i,
        pointLabels: at.map((t) => `${readoutName(arch)}, factor ${t.config.factor}, seed ${seed}: ${runEnd(t)}`),
      };
    }),
    hlines: raiseLines,
  }));
  const raises = ladderRaises();
  const raisePanel: PanelSpec = {
    title: 'Each later raise: steps lasted after it',
    xLabel: 'η·λ_max/2 just before the raise',
    yLabel: 'steps after the raise',
    xScale: 'log',
    yDomain: [0, Math.max(...cfg.atSteps.slice(1).map((s, i) => (cfg.atSteps[i + 2] ?? cfg.steps) - s))],
    legend: 'below',
    series: archs.map((arch, i) => {
      const mine = raises.filter((r) => r.arch === arch && r.edgeBefore > 0);
      return {
        name: readoutName(arch),
        x: mine.map((r) => r.edgeBefore),
        y: mine.map((r) => r.stepsLasted),
        points: true,
        color: i + 3,
        pointLabels: mine.map(
          (r) => `${r.runKey}, raise ${r.k + 1}: ${r.completed ? 'stage completed' : 'stage not completed'}`,
        ),
      };
    }),
    vlines: [{ value: 1, label: 'edge of the old rate' }],
  };
  const shown = archs[archs.length - 1];
  const edgePanel: PanelSpec = {
    title: `${capitalise(readoutName(shown))}, seed ${seeds[0]}: η·λ_max(K)/2`,
    xLabel: 'step',
    yLabel: 'η·λ_max/2',
    yScale: 'log',
    legend: 'below',
    series: cfg.factors.map((factor, i) => {
      const t = runs.find((r) => r.summary.arch === shown && r.seed === seeds[0] && r.config.factor === factor);
      if (!t) throw new Error(`${LADDER_FACTORS_EXP}: no run of ${shown} at factor ${factor}, seed ${seeds[0]}`);
      return {
        name: `factor ${factor}`,
        ...edgeSeries(t),
        color: i,
        ...(t.summary.divergedAt !== null ? { divergedAt: [t.summary.divergedAt] } : {}),
      };
    }),
    hlines: [{ value: 1, label: 'edge 2/η' }],
    vlines: raiseLines,
  };
  const spec: FigureSpec = { panels: [...survivalPanels, raisePanel, edgePanel] };
  const v = ladderFactorVerdict();
  return {
    spec,
    caption: `The CNN's ladder by raise factor, pooled and dense readout: how long each run lasted, each later raise, and η·λ_max(K)/2 of one seed.`,
    finding: `Later raises made with η·λ_max/2 at 1 or more were survived ${v.raisesAtEdge.completed} of ${v.raisesAtEdge.n} times; those below it, ${v.raisesBelowEdge.completed} of ${v.raisesBelowEdge.n}.`,
    setup: `The ladder of the previous figure (GD on ${runs[0]?.summary.n ?? '—'} MNIST digits, η set to factor × 2/λ_max(K(w_t)) at steps ${cfg.atSteps.join(', ')}) for the 5-layer CNN with global average pooling and with a dense readout over every position (same convolutions), factors ${cfg.factors.join(', ')}, ${cfg.seeds} seeds each. Top: the steps each run lasted (${cfg.steps}: every stage completed; a point's read-out says how the run ended). Bottom left: every raise after the first, placed by η·λ_max(K)/2 of the old rate just before it (1: the kernel has grown back to that rate's edge) and by how many steps the run lasted after it, up to the next raise. Bottom right: η·λ_max(K)/2 of the ${readoutName(shown)}'s seed-${seeds[0]} runs, measured every ${cfg.lambdaEvery} steps and at each raise, where it equals the factor; ✕ marks a divergence.`,
    alt: `${v.byArch.map((a, i) => `${i === 0 ? capitalise(readoutName(a.arch)) : readoutName(a.arch)}: ${a.survived} of ${a.runs} runs completed every stage`).join('; ')}. Of the later raises made with η·λ_max/2 at 1 or more just before them, ${v.raisesAtEdge.completed} of ${v.raisesAtEdge.n} were survived to the next raise; of those made below 1, ${v.raisesBelowEdge.completed} of ${v.raisesBelowEdge.n}.`,
    settings: { [`${LADDER_FACTORS_EXP} (as its traces record)`]: recordedSettings(LADDER_FACTORS_EXP) },
    experiment: LADDER_FACTORS_EXP,
    data: { rows: archs.flatMap(ladderFactorRows), raises },
  };
}

/**
 * The sweep's result as two paragraphs, every number from the traces: how far the runs got, then why (with the ladder
 * figure's other architectures for comparison).
 */
export function ladderFactorParagraphs(): [string, string] {
  const v = ladderFactorVerdict();
  const reference = ladderRuns()
    .filter((t) => t.summary.arch !== 'cnn')
    .map((t) => ({ arch: LADDER_ARCH_NAME[t.summary.arch] ?? t.summary.arch, firstLow: firstStageLow(t) }));
  const perArch = v.byArch.map((a) => {
    const ends = [
      a.diverged ? `${a.diverged} diverged` : '',
      a.vanished ? `in ${a.vanished} every unit died, λ_max(K) = 0 at a raise, so no rate could be set` : '',
    ].filter(Boolean);
    const who = a.survivors.length ? `: ${list(a.survivors.map((s) => `factor ${s.factor} seed ${s.seed}`))}` : '';
    return `with the ${readoutName(a.arch)} the CNN completed all ${v.stages} stages in ${a.survived} of ${a.runs} runs${ends.length ? ` (${ends.join('; ')})` : ''}${who}`;
  });
  const everySeed = v.byArch.flatMap((a) => a.allSeedsAt.map((f) => `${readoutName(a.arch)} at ${f}`));
  const edges = v.factors.map((f) => 1 / f);
  const outcome = [
    `Over raise factors ${list(v.factors.map(String))} with ${v.seeds} seeds each, ${list(perArch)}; ${everySeed.length ? `every seed completed them with the ${list(everySeed)}` : 'at no factor did every seed complete them'}.`,
    v.divergedInFirstStage ? `${v.divergedInFirstStage} runs diverged already in their first stage.` : '',
  ];
  const why = [
    `In the ${v.firstLow.runs} runs whose first stage completed, the first catapult took λ_max(K) far below the edge 2/η of the first rate, which lies at 1/factor (${sig(Math.min(...edges), 2)} to ${sig(Math.max(...edges), 2)}) of its start: at its lowest measurement in that stage it was a median ${sig(v.firstLow.median, 2)} of its start (from ${sig(v.firstLow.min, 2)} to ${sig(v.firstLow.max, 2)}; measured every ${settings().lambdaEvery} steps, so the true lows may be lower)${reference.length ? `, against ${list(reference.map((r) => `${sig(r.firstLow, 2)} for the ${r.arch}`))} in the ladder figure` : ''}. A raise from such a kernel asks for a rate many times η_crit(w_0): the second raise, a median ${big(v.secondEtaMedian)} and up to ${big(v.secondEtaMax)} times.`,
    `What decided a raise was whether λ_max had grown back by then: of the ${v.raisesAtEdge.n} later raises made with η·λ_max/2 of the old rate at 1 or more just before them, ${v.raisesAtEdge.completed} were survived to the next raise; of the ${v.raisesBelowEdge.n} made below 1, ${v.raisesBelowEdge.completed}.`,
    v.survivedRuns > 0
      ? `So the runs that complete the ladder are those whose kernel grows back between raises, and there a raise hardly lifts the rate: it set η to between ${sig(v.survivorRatioMin, 2)} and ${sig(v.survivorRatioMax, 2)} times the rate before it, η never exceeded ${sig(v.survivorEtaMax, 3)} η_crit(w_0), and in ${v.climbedRuns === 0 ? 'none' : v.climbedRuns} of the ${v.survivedRuns} did it rise at every raise.`
      : '',
  ];
  const join = (xs: string[]) => xs.filter(Boolean).join(' ');
  return [join(outcome), join(why)];
}

/** Report row: the CNN's ladder, over the factors swept. */
export function ladderFactorClaim(): Claim {
  const v = ladderFactorVerdict();
  const climbedAll = v.byArch.some((a) => ladderFactorRows(a.arch).some((r) => r.climbed === r.seeds));
  return {
    id: 'ch2-ladder-cnn-factors',
    chapter: 2,
    claim:
      '5-layer CNN: η can be raised above each new 2/λ_max(K) three times in a row, each raise a catapult that leaves a flatter kernel, so the rate climbs.',
    paper: 'qualitative',
    ours: v.byArch
      .map(
        (a) =>
          `${readoutName(a.arch)}: ${a.survived}/${a.runs} runs complete all ${v.stages} stages, ${a.climbed} with η rising at every raise`,
      )
      .join('; '),
    status: climbedAll ? 'reproduced' : v.climbedRuns > 0 ? 'partly reproduced' : 'not reproduced',
    detail: `Factors ${v.factors.join(', ')}, ${v.seeds} seeds each, GD on MNIST as in the chapter's ladder figure. The first catapult takes λ_max(K) to a median ${sig(v.firstLow.median, 2)} of its start; raises made before λ_max grew back to the old rate's edge were survived ${v.raisesBelowEdge.completed}/${v.raisesBelowEdge.n} times, those after it ${v.raisesAtEdge.completed}/${v.raisesAtEdge.n}, and those barely lift η. Reproduced when at some factor every seed completes the ladder with η rising at each raise.`,
    experiment: LADDER_FACTORS_EXP,
    ruleFile: 'src/site/chapters/sgd-spikes/ladderFactors.ts',
    href: '/chapters/sgd-spikes/#fig-ladder-factors',
  };
}

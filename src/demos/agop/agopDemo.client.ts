/**
 * Main-thread side of the "Watch the AGOP learn" island: the shared controller (demoIsland.ts) plus
 * this demo's batch-size buttons (live: a change keeps the run going), its series, the catapults
 * (the one detector on the recorded full-train loss, recomputed as it grows), read-outs, plots and
 * AGOP heatmaps.
 */
import type { CatapultEvent } from '../../lib/catapults';
import {
  alignmentAcross,
  type AgopProgressMessage,
  type AgopReadyMessage,
  type AlignmentAcross,
} from './agopDemoProtocol';
import {
  agopDemoStateCodec,
  AGOP_BATCH_CHOICES,
  batchLabel,
  type AgopBatchChoice,
  type AgopDemoState,
} from './agopDemoState';
import {
  fmt,
  mountDemoIsland,
  type IslandContext,
  type IslandHandle,
  type Overlay,
  type RunBase,
} from '../kit/demoIsland';
import { DEMO_DETECTOR_RULE, demoSpikes } from '../kit/demoDetector';
import { AgopHeatmaps, AgopPlots, type AgopPlotData } from './agopPlots';
import { agopSummary } from './agopSummary';

/** What the numbers in a downloaded run mean. */
const CONVENTIONS = {
  objective:
    'SGD with batch size b (GD: b = n) on the batch mean loss (1/2b) Σ_{i∈B} (f(x_i) − y_i)²; batches are consecutive slices of a seeded permutation per epoch; a batch-size change starts a new epoch from the current weights',
  trainLoss: 'full-train mean loss (1/2n) Σ_i (f(x_i) − y_i)² at w_t, before step t',
  batchLoss: 'mean loss (1/2b) Σ_{i∈B_t} (f − y)² of step t’s batch at w_t',
  batchSize:
    'batch size b in force at step t (n for GD); when b does not divide n, the last batch of an epoch holds n mod b points',
  etaCrit:
    'unit of η̄: 2n/λ_max(K(w0)), the full-set critical rate of the mean loss; K = J Jᵀ (n×n, no 1/n), dense float64',
  eta: 'absolute η̄ used for step t; η̄/η̄_crit = eta / etaCrit (η̄ and b may change mid-run; a finished run continues for another maxSteps steps when one does)',
  agop: 'G = (1/n) Σ_i ∇_x f(x_i) ∇_x f(x_i)ᵀ on the n training inputs at w_t (before step t), every agopEvery steps (series.agopStep)',
  align:
    'cos(G, G*) = ⟨G, G*⟩_F / (‖G‖_F ‖G*‖_F), G* the true AGOP of f*(x) = x1·x2 on the same inputs (src/lib/agop.ts)',
  agopBlocks:
    'top-left k×k block of G at each series.agopStep, row-major (k = min(10, d)); trueAgopBlock: the same block of G*',
  spikes: `detectCatapults (src/lib/catapults.ts) on series.trainLoss with the demos' rule: ${DEMO_DETECTOR_RULE}; indices are positions in the series`,
  alignmentAcrossCatapults:
    'for each completed catapult: the alignment at the last refresh at or before its start step and at the first refresh at or after its end step',
  data: 'rank-2 regression y = x1·x2, x ~ N(0, I_d), from Prng(seed).fork(1); weights from fork(2)',
  overlaidRuns:
    'earlier runs still drawn on the plots when this file was saved, oldest first, each a record like this one',
} as const;

/** Everything recorded about one run; "Download run" saves it with the detected catapults. */
interface RecordedAgopRun extends RunBase<AgopDemoState> {
  conventions: typeof CONVENTIONS;
  lambda0: number | null;
  loss0: number | null;
  k: number | null;
  trueAgopBlock: number[] | null;
  series: {
    steps: number[];
    trainLoss: number[];
    batchLoss: number[];
    batchSize: number[];
    eta: number[];
    agopStep: number[];
    align: number[];
    agopBlocks: number[][];
  };
}

declare global {
  interface Window {
    /** Read-only handle on the last mounted AGOP demo (used by the end-to-end tests and the benchmark). */
    __agopDemo?: IslandHandle<AgopDemoState, RecordedAgopRun> & {
      spikes(): CatapultEvent[];
      alignmentAcross(): AlignmentAcross[];
      /** Model AGOP blocks drawn into the heatmap so far. */
      heatmapDraws(): number;
    };
  }
}

/** Catapults of the run's full-train loss so far (the one detector, with the demos' relative floor). */
function runSpikes(run: RecordedAgopRun): CatapultEvent[] {
  return demoSpikes(run.series.trainLoss);
}

function runAcross(run: RecordedAgopRun): AlignmentAcross[] {
  const s = run.series;
  return alignmentAcross(s.steps, runSpikes(run), s.agopStep, s.align);
}

/** A batch size as the legend shows it: "b 16", or "GD" for the full batch. */
const batchText = (b: number, n: number): string => (b >= n ? 'GD' : `b ${b}`);

/** A run's settings for the legend: every batch size and η̄ it used, in order; a finished one adds steps, catapults and the last alignment. */
function runLabel(run: RecordedAgopRun, done: boolean): string {
  const st = run.state;
  const r = (v: number) => String(+v.toPrecision(3));
  const batches: string[] = [];
  for (const b of run.series.batchSize) if (batches.at(-1) !== batchText(b, st.n)) batches.push(batchText(b, st.n));
  const etas: string[] = [];
  if (run.etaCrit !== null)
    for (const e of run.series.eta) if (etas.at(-1) !== r(e / run.etaCrit)) etas.push(r(e / run.etaCrit));
  const b = batches.length ? batches.join(' → ') : batchText(st.b === 'gd' ? st.n : Number(st.b), st.n);
  const n = run.series.steps.length;
  let outcome = '';
  if (done && n) {
    const spikes = runSpikes(run).filter((e) => !e.diverged).length;
    const a = run.series.align.at(-1);
    outcome = ` · ${n} step${n === 1 ? '' : 's'}, ${spikes} spike${spikes === 1 ? '' : 's'}${a === undefined ? '' : `, alignment ${a.toFixed(2)}`}`;
  }
  return `${b} · η̄ ${etas.length ? etas.join(' → ') : r(st.etaRatio)} η̄_crit · n ${st.n} · d ${st.d} · m ${st.m} · seed ${st.seed}${outcome}`;
}

function plotData(run: RecordedAgopRun): AgopPlotData {
  const s = run.series;
  return {
    steps: s.steps,
    trainLoss: s.trainLoss,
    batchSize: s.batchSize,
    n: run.state.n,
    agopStep: s.agopStep,
    align: s.align,
    // A continued run has a budget of a whole number of maxSteps.
    lastStep: Math.max(1, Math.ceil(s.steps.length / run.state.maxSteps)) * run.state.maxSteps - 1,
  };
}

/** Wires one `[data-agop-demo]` element. Safe to call once per element. */
export function mountAgopDemo(root: HTMLElement): void {
  const plots = new AgopPlots(
    root.querySelector<SVGSVGElement>('.plot-loss')!,
    root.querySelector<SVGSVGElement>('.plot-align')!,
  );
  const heatmaps = new AgopHeatmaps(root.querySelector<HTMLElement>('.agop-heatmaps')!, root.id);
  const heatmapStatus = root.querySelector<HTMLElement>('.heatmap-status')!;
  /** Before the worker's ready: the population AGOP diag(1, 1, 0, …) of the task, k = min(10, d) (one array per d, so the heatmap redraws only when it changes). */
  const population = new Map<number, number[]>();
  const populationBlock = (d: number): number[] => {
    const k = Math.min(10, d);
    if (!population.has(k))
      population.set(
        k,
        Array.from({ length: k * k }, (_, i) => (i % (k + 1) === 0 && i / (k + 1) < 2 ? 1 : 0)),
      );
    return population.get(k)!;
  };
  /** Redraws plots, heatmaps and read-outs from the run and the earlier runs kept as overlays. */
  function drawNow(run: RecordedAgopRun, ctx: IslandContext, overlays: readonly Overlay<RecordedAgopRun>[]): void {
    const spikes = runSpikes(run);
    plots.update(
      plotData(run),
      spikes,
      overlays.map((o) => ({
        slot: o.slot,
        steps: o.run.series.steps,
        trainLoss: o.run.series.trainLoss,
        agopStep: o.run.series.agopStep,
        align: o.run.series.align,
      })),
    );
    const s = run.series;
    const k = run.k ?? Math.min(10, run.state.d);
    const j = s.agopBlocks.length - 1;
    heatmaps.show(
      k,
      j >= 0 ? s.agopBlocks[j] : null,
      j >= 0 ? s.agopStep[j] : null,
      run.trueAgopBlock ?? populationBlock(run.state.d),
    );
    heatmapStatus.textContent =
      j >= 0
        ? `Left: step ${s.agopStep[j]}, alignment ${s.align[j].toFixed(3)}.`
        : 'Left: not measured yet (press Run or Step).';
    const i = s.steps.length - 1;
    const done = spikes.filter((e) => !e.diverged).length;
    const rising = !run.diverged && spikes.some((e) => e.diverged);
    ctx.ro('spikes').textContent = i < 0 ? '–' : `${done}${rising ? ' (+1 rising)' : ''}`;
    ctx.root.dataset.spikes = String(done);
    ctx.ro('step').textContent = i >= 0 ? String(s.steps[i]) : '0';
    ctx.ro('loss').textContent = fmt(s.trainLoss[i]);
    ctx.ro('align').textContent = j >= 0 ? s.align[j].toFixed(3) : '–';
    ctx.root.dataset.align = j >= 0 ? String(s.align[j]) : '';
    const b = i >= 0 ? s.batchSize[i] : run.state.b === 'gd' ? run.state.n : Number(run.state.b);
    ctx.ro('batch').textContent = b >= run.state.n ? `GD (all ${run.state.n})` : String(b);
  }
  const handle = mountDemoIsland<AgopDemoState, RecordedAgopRun, AgopReadyMessage, AgopProgressMessage>(root, {
    name: 'AgopDemo',
    codec: agopDemoStateCodec,
    // The worker every demo shares (one tfjs download); its name picks this demo (kit/protocol.ts DEMO_WORKER_NAMES).
    createWorker: () => new Worker(new URL('../demos.worker.ts', import.meta.url), { type: 'module', name: 'agop' }),
    newRun: (state, prev) => ({
      conventions: CONVENTIONS,
      state: { ...state },
      backend: prev?.backend ?? null,
      versions: prev?.versions ?? {},
      etaCrit: null,
      lambda0: null,
      loss0: null,
      k: null,
      trueAgopBlock: null,
      numParams: null,
      diverged: null,
      series: {
        steps: [],
        trainLoss: [],
        batchLoss: [],
        batchSize: [],
        eta: [],
        agopStep: [],
        align: [],
        agopBlocks: [],
      },
    }),
    onReady(run, m) {
      run.lambda0 = m.lambda0;
      run.loss0 = m.loss0;
      run.k = m.k;
      run.trueAgopBlock = m.trueAgopBlock;
    },
    onProgress(run, m) {
      const s = run.series;
      for (let i = 0; i < m.steps.length; i++) {
        s.steps.push(m.steps[i]);
        s.trainLoss.push(m.trainLoss[i]);
        s.batchLoss.push(m.batchLoss[i]);
        s.batchSize.push(m.batchSize[i]);
        s.eta.push(m.eta[i]);
      }
      for (let i = 0; i < m.agopStep.length; i++) {
        s.agopStep.push(m.agopStep[i]);
        s.align.push(m.align[i]);
        s.agopBlocks.push(m.agopBlocks[i]);
      }
    },
    // The controller redraws at most every MIN_DRAW_MS (kit/demoIsland.ts): ~20 frames a second.
    draw: drawNow,
    runLabel,
    summary: (run, overlays) => agopSummary(run, overlays.at(-1)?.run),
    liveKeys: ['b'],
    onControlChange: (name, value, state) =>
      name === 'b' && (AGOP_BATCH_CHOICES as readonly string[]).includes(value)
        ? { ...state, b: value as AgopBatchChoice }
        : null,
    syncControls(form, state) {
      for (const input of form.querySelectorAll<HTMLInputElement>('input[name="b"]')) {
        input.checked = input.value === state.b;
        // A choice of n points or more is GD: offered only as GD.
        input.disabled = input.value !== 'gd' && Number(input.value) >= state.n;
        input.closest('label')!.title = input.disabled
          ? `n = ${state.n}: a batch of ${batchLabel(input.value as AgopBatchChoice)} is the full batch (GD)`
          : '';
      }
    },
    divergedAdvice: 'lower η̄/η̄_crit or raise the batch size, and press Reset',
    downloadName: (state) =>
      `agop-run-n${state.n}-d${state.d}-m${state.m}-b${state.b}-eta${state.etaRatio}-seed${state.seed}.json`,
    downloadData: (run) => ({ ...run, spikes: runSpikes(run), alignmentAcrossCatapults: runAcross(run) }),
  });
  window.__agopDemo = {
    ...handle,
    spikes: () => runSpikes(handle.run()),
    alignmentAcross: () => runAcross(handle.run()),
    heatmapDraws: () => heatmaps.draws,
  };
}

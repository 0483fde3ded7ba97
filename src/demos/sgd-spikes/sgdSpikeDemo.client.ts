/**
 * Main-thread side of the "Watch SGD spike" island: the shared controller (demoIsland.ts) plus
 * this demo's series, the spike count (detectCatapults on the recorded full-train loss, recomputed
 * as it grows), read-outs and plots.
 */
import type { CatapultEvent } from '../../lib/catapults';
import type { SgdSpikeProgressMessage, SgdSpikeReadyMessage } from './sgdSpikeDemoProtocol';
import { sgdSpikeDemoStateCodec, type SgdSpikeDemoState } from './sgdSpikeDemoState';
import { fmt, mountDemoIsland, type IslandHandle, type RunBase } from '../kit/demoIsland';
import { DEMO_DETECTOR_RULE, demoSpikes } from '../kit/demoDetector';
import { SgdSpikePlots, type SgdSpikePlotData } from './sgdSpikePlots';
import { sgdSpikeSummary } from './sgdSpikeSummary';

/** What the numbers in a downloaded run mean. */
const CONVENTIONS = {
  objective:
    'SGD with batch size b on the batch mean loss (1/2b) Σ_{i∈B} (f(x_i) − y_i)²; batches are consecutive slices of a seeded permutation per epoch',
  trainLoss: 'full-train mean loss (1/2n) Σ_i (f(x_i) − y_i)² at w_t, before step t',
  batchLoss: 'mean loss (1/2b) Σ_{i∈B_t} (f − y)² of step t’s batch at w_t',
  etaCrit:
    'unit of η̄: 2n/λ_max(K(w0)), the full-set critical rate of the mean loss; K = J Jᵀ (n×n, no 1/n), dense float64',
  batchEtaCrit:
    'critical rate of step t’s batch, 2b/λ_max(K(w_t; X_B)), absolute η̄ units (divide by etaCrit for the plotted value)',
  eta: 'absolute η̄ used for step t; η̄/η̄_crit = eta / etaCrit (η̄ may change mid-run; a finished run continues for another maxSteps steps when it does)',
  batches:
    'training-set indices of each step’s batch (data: rank-2 regression from Prng(seed).fork(1), weights from fork(2))',
  spikes: `detectCatapults (src/lib/catapults.ts) on series.trainLoss with the demos' rule: ${DEMO_DETECTOR_RULE}; indices are positions in the series`,
  overlaidRuns:
    'earlier runs still drawn on the plots when this file was saved, oldest first, each a record like this one',
} as const;

/** Everything recorded about one run; "Download run" saves it with the detected spikes. */
interface RecordedSgdSpikeRun extends RunBase<SgdSpikeDemoState> {
  conventions: typeof CONVENTIONS;
  lambda0: number | null;
  loss0: number | null;
  series: {
    steps: number[];
    trainLoss: number[];
    batchLoss: number[];
    batchEtaCrit: number[];
    eta: number[];
    batches: number[][];
  };
}

declare global {
  interface Window {
    /** Read-only handle on the last mounted SGD demo (used by the end-to-end tests and the benchmark). */
    __sgdSpikeDemo?: IslandHandle<SgdSpikeDemoState, RecordedSgdSpikeRun> & { spikes(): CatapultEvent[] };
  }
}

/** Spikes of the run's full-train loss so far (the one detector, with the demos' relative floor). */
function runSpikes(run: RecordedSgdSpikeRun): CatapultEvent[] {
  return demoSpikes(run.series.trainLoss);
}

/** A run's settings for the legend, with every η̄ it used in order; a finished one adds steps and spike count. */
function runLabel(run: RecordedSgdSpikeRun, done: boolean): string {
  const st = run.state;
  const r = (v: number) => String(+v.toPrecision(3));
  const etas: string[] = [];
  if (run.etaCrit !== null)
    for (const e of run.series.eta) if (etas.at(-1) !== r(e / run.etaCrit)) etas.push(r(e / run.etaCrit));
  const n = run.series.steps.length;
  const spikes = done && n ? runSpikes(run).filter((e) => !e.diverged).length : 0;
  return `b ${st.b} · η̄ ${etas.length ? etas.join(' → ') : r(st.etaRatio)} η̄_crit · n ${st.n} · m ${st.m} · seed ${st.seed}${done && n ? ` · ${n} step${n === 1 ? '' : 's'}, ${spikes} spike${spikes === 1 ? '' : 's'}` : ''}`;
}

/** The plotted quantities: critical rates and η̄ in units of the full-set critical rate. */
function plotData(run: RecordedSgdSpikeRun): SgdSpikePlotData {
  const s = run.series;
  const unit = run.etaCrit ?? NaN;
  return {
    steps: s.steps,
    trainLoss: s.trainLoss,
    batchLoss: s.batchLoss,
    critRatio: s.batchEtaCrit.map((c) => c / unit),
    etaRatio: s.eta.map((e) => e / unit),
    // A continued run has a budget of a whole number of maxSteps.
    lastStep: Math.max(1, Math.ceil(s.steps.length / run.state.maxSteps)) * run.state.maxSteps - 1,
  };
}

/** Wires one `[data-sgd-spike-demo]` element. Safe to call once per element. */
export function mountSgdSpikeDemo(root: HTMLElement): void {
  const plots = new SgdSpikePlots(
    root.querySelector<SVGSVGElement>('.plot-loss')!,
    root.querySelector<SVGSVGElement>('.plot-crit')!,
  );
  const handle = mountDemoIsland<SgdSpikeDemoState, RecordedSgdSpikeRun, SgdSpikeReadyMessage, SgdSpikeProgressMessage>(
    root,
    {
      name: 'SgdSpikeDemo',
      codec: sgdSpikeDemoStateCodec,
      // The worker every demo shares (one tfjs download); its name picks this demo (kit/protocol.ts DEMO_WORKER_NAMES).
      createWorker: () =>
        new Worker(new URL('../demos.worker.ts', import.meta.url), { type: 'module', name: 'sgd-spike' }),
      newRun: (state, prev) => ({
        conventions: CONVENTIONS,
        state: { ...state },
        backend: prev?.backend ?? null,
        versions: prev?.versions ?? {},
        etaCrit: null,
        lambda0: null,
        loss0: null,
        numParams: null,
        diverged: null,
        series: { steps: [], trainLoss: [], batchLoss: [], batchEtaCrit: [], eta: [], batches: [] },
      }),
      onReady(run, m) {
        run.lambda0 = m.lambda0;
        run.loss0 = m.loss0;
      },
      onProgress(run, m) {
        const s = run.series;
        for (let i = 0; i < m.steps.length; i++) {
          s.steps.push(m.steps[i]);
          s.trainLoss.push(m.trainLoss[i]);
          s.batchLoss.push(m.batchLoss[i]);
          s.batchEtaCrit.push(m.batchEtaCrit[i]);
          s.eta.push(m.eta[i]);
          s.batches.push(m.batches[i]);
        }
      },
      draw(run, ctx, overlays) {
        const spikes = runSpikes(run);
        const data = plotData(run);
        plots.update(
          data,
          spikes,
          overlays.map((o) => ({ slot: o.slot, steps: o.run.series.steps, trainLoss: o.run.series.trainLoss })),
        );
        const s = run.series;
        const i = s.steps.length - 1;
        const done = spikes.filter((e) => !e.diverged).length;
        const rising = !run.diverged && spikes.some((e) => e.diverged);
        ctx.ro('spikes').textContent = i < 0 ? '–' : `${done}${rising ? ' (+1 rising)' : ''}`;
        ctx.root.dataset.spikes = String(done);
        ctx.ro('step').textContent = i >= 0 ? String(s.steps[i]) : '0';
        ctx.ro('loss').textContent = fmt(s.trainLoss[i]);
        ctx.ro('batch-loss').textContent = fmt(s.batchLoss[i]);
        ctx.ro('batch-crit').textContent = i >= 0 ? fmt(data.critRatio[i], 3) : '–';
      },
      runLabel,
      summary: (run) => sgdSpikeSummary(run),
      divergedAdvice: 'lower η̄/η̄_crit or raise the batch size, and press Reset',
      downloadName: (state) =>
        `sgd-spike-run-n${state.n}-m${state.m}-b${state.b}-eta${state.etaRatio}-seed${state.seed}.json`,
      downloadData: (run) => ({ ...run, spikes: runSpikes(run) }),
    },
  );
  window.__sgdSpikeDemo = { ...handle, spikes: () => runSpikes(handle.run()) };
}

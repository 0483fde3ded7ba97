/**
 * Main-thread side of the catapult demo island: the shared controller (demoIsland.ts) plus what
 * is Chapter 1's own — the task select, the regime badge, the loss and λ_max series and plots,
 * and the legend text of a run.
 */
import type { Regime } from '../../lib/regime';
import type { CatapultProgressMessage, CatapultReadyMessage } from './catapultDemoProtocol';
import { catapultDemoStateCodec, mergeCatapultDefaults, type CatapultDemoState } from './catapultDemoState';
import { CatapultPlots, type ReferenceSeries } from './catapultPlots';
import { fmt, mountDemoIsland, type IslandContext, type IslandHandle, type RunBase } from '../kit/demoIsland';
import { DEMO_DETECTOR_RULE } from '../kit/demoDetector';
import { catapultSummary } from './catapultSummary';

/** What the numbers in a downloaded run mean. */
const CONVENTIONS = {
  loss: 'L = ½ Σ_i (f(x_i) − y_i)² on the n training points (full-batch GD), recorded at w_t before step t',
  etaCrit: 'η_crit = 2/λ_max(K(w0)), K = J Jᵀ (n×n, no 1/n), dense float64 eigensolver',
  lambdaMax: 'λ_max(K(w_t)) by Lanczos on float32 kernel matvecs; null where not measured (kernelEvery)',
  eta: 'absolute learning rate used for step t; η/η_crit = eta / etaCrit (η may change mid-run; a finished run continues for another maxSteps steps when it does)',
  regime: `classifyRegime (src/lib/regime.ts) on series.loss with the demos' detector: ${DEMO_DETECTOR_RULE}`,
  overlaidRuns:
    'earlier runs still drawn on the plots when this file was saved, oldest first, each a record like this one',
} as const;

/** Everything recorded about one run; this is what "Download run" saves. */
interface RecordedCatapultRun extends RunBase<CatapultDemoState> {
  conventions: typeof CONVENTIONS;
  lambda0: number | null;
  loss0: number | null;
  regime: Regime | 'idle';
  series: { steps: number[]; loss: number[]; lambdaMax: (number | null)[]; eta: number[] };
}

declare global {
  interface Window {
    /** Read-only handle on the last mounted demo (used by the end-to-end tests and the benchmark). */
    __catapultDemo?: IslandHandle<CatapultDemoState, RecordedCatapultRun>;
  }
}

function showRegime(r: RecordedCatapultRun['regime'], ctx: IslandContext): void {
  const badge = ctx.q<HTMLElement>('.regime-badge');
  badge.dataset.regime = r;
  badge.textContent = r === 'idle' ? 'not started' : r;
}

function setRegime(run: RecordedCatapultRun, r: RecordedCatapultRun['regime'], ctx: IslandContext): void {
  run.regime = r;
  showRegime(r, ctx);
}

/** η/η_crit as the legend shows it: 3 significant digits. */
const ratio = (v: number): string => String(+v.toPrecision(3));

/** A run's settings for the legend, with every η it used in order (e.g. "η 0.8 → 1.5 η_crit"); a finished one adds steps and regime. */
function runLabel(run: RecordedCatapultRun, done: boolean): string {
  const st = run.state;
  const etas: string[] = [];
  if (run.etaCrit !== null)
    for (const e of run.series.eta) if (etas.at(-1) !== ratio(e / run.etaCrit)) etas.push(ratio(e / run.etaCrit));
  const path = etas.length ? etas.join(' → ') : ratio(st.etaRatio);
  const n = run.series.steps.length;
  const task = st.task === 'rank2' ? '' : `${st.task} · `;
  return `${task}η ${path} η_crit · m ${st.m} · n ${st.n} · seed ${st.seed}${done && n ? ` · ${n} step${n === 1 ? '' : 's'}, ${run.regime === 'idle' ? 'not started' : run.regime}` : ''}`;
}

/** Wires one `[data-catapult-demo]` element. Safe to call once per element. */
export function mountCatapultDemo(root: HTMLElement): void {
  const plots = new CatapultPlots(
    root.querySelector<SVGSVGElement>('.plot-loss')!,
    root.querySelector<SVGSVGElement>('.plot-lambda')!,
  );
  const reference = root.dataset.reference ? (JSON.parse(root.dataset.reference) as ReferenceSeries) : undefined;
  const handle = mountDemoIsland<CatapultDemoState, RecordedCatapultRun, CatapultReadyMessage, CatapultProgressMessage>(
    root,
    {
      name: 'CatapultDemo',
      codec: catapultDemoStateCodec,
      // The worker every demo shares (one tfjs download); its name picks this demo (kit/protocol.ts DEMO_WORKER_NAMES).
      createWorker: () =>
        new Worker(new URL('../demos.worker.ts', import.meta.url), { type: 'module', name: 'catapult' }),
      newRun: (state, prev) => ({
        conventions: CONVENTIONS,
        state: { ...state },
        backend: prev?.backend ?? null,
        versions: prev?.versions ?? {},
        etaCrit: null,
        lambda0: null,
        loss0: null,
        numParams: null,
        regime: 'idle',
        diverged: null,
        series: { steps: [], loss: [], lambdaMax: [], eta: [] },
      }),
      onReady(run, m, ctx) {
        run.lambda0 = m.lambda0;
        run.loss0 = m.loss0;
        // No step yet, so no regime to claim.
        setRegime(run, 'idle', ctx);
      },
      onRebuild: (ctx) => showRegime('idle', ctx),
      onProgress(run, m, ctx) {
        const s = run.series;
        for (let i = 0; i < m.steps.length; i++) {
          s.steps.push(m.steps[i]);
          s.loss.push(m.loss[i]);
          s.lambdaMax.push(m.lambdaMax[i]);
          s.eta.push(m.eta[i]);
        }
        if (run.regime !== 'diverged') setRegime(run, m.regime, ctx);
      },
      onDiverged: (run, _m, ctx) => setRegime(run, 'diverged', ctx),
      draw(run, ctx, overlays) {
        plots.update(
          run.series,
          overlays.map((o) => ({ slot: o.slot, series: o.run.series })),
          reference,
        );
        const s = run.series;
        const i = s.steps.length - 1;
        ctx.ro('step').textContent = i >= 0 ? String(s.steps[i]) : '0';
        ctx.ro('loss').textContent = fmt(s.loss[i]);
        let lam: number | null = null;
        for (let j = i; j >= 0 && lam === null; j--) lam = s.lambdaMax[j];
        ctx.ro('lambda').textContent = fmt(lam);
      },
      onControlChange: (name, value, state) =>
        name === 'task' ? mergeCatapultDefaults({ ...state, task: value as CatapultDemoState['task'] }) : null,
      syncControls(form, state) {
        (form.elements.namedItem('task') as HTMLSelectElement).value = state.task;
        // The two-Gaussian mixture is 1-D; d only applies to rank-2 regression.
        const dInput = form.elements.namedItem('d') as HTMLInputElement;
        dInput.disabled = state.task !== 'rank2';
        dInput.title = dInput.disabled ? 'The two-Gaussian task is one-dimensional (d = 1).' : '';
      },
      runLabel,
      summary: (run) => catapultSummary(run),
      legendExtras: reference ? [{ cls: 'reference', label: reference.label ?? 'precomputed run' }] : [],
      divergedAdvice: 'lower η/η_crit and press Reset',
      downloadName: (state) => `catapult-run-${state.task}-m${state.m}-eta${state.etaRatio}-seed${state.seed}.json`,
    },
  );
  window.__catapultDemo = handle;
}

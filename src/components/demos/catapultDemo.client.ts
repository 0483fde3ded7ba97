/**
 * Main-thread side of the catapult demo island: controls ↔ state ↔ URL, the worker's lifecycle,
 * recorded series, plots (redrawn at most once per animation frame), share and download.
 * Heavy work stays in the worker; tfjs is only fetched when the worker is created on Run/Step.
 */
import type { DemoRequest, DemoResponse, ReadyMessage, Regime } from '../../site/demoProtocol';
import {
  DEMO_URL_PARAMS,
  type DemoState,
  clampField,
  mergeDefaults,
  numericField,
  parseDemoState,
  serializeDemoState,
  type NumericKey,
} from '../../site/demoState';
import { CatapultPlots, type ReferenceSeries } from './catapultPlots';

/** What the numbers in a downloaded run mean. */
const CONVENTIONS = {
  loss: 'L = ½ Σ_i (f(x_i) − y_i)² on the n training points (full-batch GD), recorded at w_t before step t',
  etaCrit: 'η_crit = 2/λ_max(K(w0)), K = J Jᵀ (n×n, no 1/n), dense float64 eigensolver',
  lambdaMax: 'λ_max(K(w_t)) by Lanczos on float32 kernel matvecs; null where not measured (kernelEvery)',
  eta: 'absolute learning rate used for step t; η/η_crit = eta / etaCrit',
} as const;

/** Everything recorded about one run; this is what "Download run" saves. */
export interface RecordedRun {
  conventions: typeof CONVENTIONS;
  state: DemoState;
  backend: string | null;
  versions: Record<string, string>;
  etaCrit: number | null;
  lambda0: number | null;
  loss0: number | null;
  numParams: number | null;
  regime: Regime | 'idle';
  diverged: { step: number; loss: number; reason: string } | null;
  series: { steps: number[]; loss: number[]; lambdaMax: (number | null)[]; eta: number[] };
}

declare global {
  interface Window {
    /** Read-only handle on the last mounted demo (used by the end-to-end tests and the benchmark). */
    __catapultDemo?: { run(): RecordedRun; state(): DemoState; playing(): boolean };
  }
}

const fmt = (v: number | null | undefined, digits = 4): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '–' : Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3 ? v.toExponential(2) : v.toPrecision(digits);

/** Wires one `[data-catapult-demo]` element. Safe to call once per element. */
export function mountCatapultDemo(root: HTMLElement): void {
  const q = <T extends Element>(sel: string) => {
    const el = root.querySelector<T>(sel);
    if (!el) throw new Error(`CatapultDemo: markup is missing ${sel}`);
    return el;
  };
  const form = q<HTMLFormElement>('form');
  const notices = q<HTMLElement>('.demo-notices');
  const alertEl = q<HTMLElement>('.demo-alert');
  const badge = q<HTMLElement>('.regime-badge');
  const shareBox = q<HTMLElement>('.demo-share');
  const shareField = q<HTMLInputElement>('.share-field');
  const btn = (a: string) => q<HTMLButtonElement>(`button[data-action="${a}"]`);
  const ro = (c: string) => q<HTMLElement>(`.ro-${c}`);
  const plots = new CatapultPlots(q<SVGSVGElement>('.plot-loss'), q<SVGSVGElement>('.plot-lambda'));

  const defaults = JSON.parse(root.dataset.defaults || '{}') as Partial<DemoState>;
  const reference = root.dataset.reference ? (JSON.parse(root.dataset.reference) as ReferenceSeries) : undefined;
  const parsed = parseDemoState(window.location.search, defaults);
  let state: DemoState = parsed.state;
  showNotices(parsed.notices);

  let worker: Worker | null = null;
  let playing = false;
  let drawPending = false;
  let run: RecordedRun = emptyRun(null);

  function emptyRun(prev: RecordedRun | null): RecordedRun {
    return {
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
    };
  }

  function showNotices(list: string[]): void {
    notices.replaceChildren(...list.map((t) => Object.assign(document.createElement('p'), { textContent: t })));
  }

  function writeUrl(): void {
    const url = new URL(window.location.href);
    for (const k of DEMO_URL_PARAMS) url.searchParams.delete(k);
    for (const [k, v] of serializeDemoState(state, defaults)) url.searchParams.set(k, v);
    window.history.replaceState(window.history.state, '', url);
  }

  function syncControls(): void {
    const el = form.elements;
    (el.namedItem('task') as HTMLSelectElement).value = state.task;
    for (const k of ['n', 'd', 'm', 'seed', 'maxSteps', 'kernelEvery', 'etaRatio'] as const) {
      (el.namedItem(k) as HTMLInputElement).value = String(state[k]);
    }
    (el.namedItem('etaRange') as HTMLInputElement).value = String(state.etaRatio);
    // The two-Gaussian mixture is 1-D; d only applies to rank-2 regression.
    const dInput = el.namedItem('d') as HTMLInputElement;
    dInput.disabled = state.task !== 'rank2';
    dInput.title = dInput.disabled ? 'The two-Gaussian task is one-dimensional (d = 1).' : '';
  }

  function send(msg: DemoRequest): void {
    worker?.postMessage(msg);
  }

  function setPlaying(p: boolean): void {
    playing = p;
    btn('run').disabled = p;
    btn('pause').disabled = !p;
    const ended = root.dataset.status === 'finished' || root.dataset.status === 'diverged';
    btn('run').textContent = ended ? 'Run again' : run.series.steps.length > 0 && !p ? 'Play' : 'Run';
  }

  function setRegime(r: RecordedRun['regime']): void {
    run.regime = r;
    badge.dataset.regime = r;
    badge.textContent = r === 'idle' ? 'not started' : r;
  }

  function scheduleDraw(): void {
    if (drawPending) return;
    drawPending = true;
    requestAnimationFrame(() => {
      drawPending = false;
      plots.update(run.series, reference);
      const s = run.series;
      const i = s.steps.length - 1;
      ro('step').textContent = i >= 0 ? String(s.steps[i]) : '0';
      ro('loss').textContent = fmt(s.loss[i]);
      let lam: number | null = null;
      for (let j = i; j >= 0 && lam === null; j--) lam = s.lambdaMax[j];
      ro('lambda').textContent = fmt(lam);
    });
  }

  function onReady(m: ReadyMessage): void {
    run = emptyRun(run);
    Object.assign(run, {
      state: { ...m.state },
      backend: m.backend,
      versions: m.versions,
      etaCrit: m.etaCrit,
      lambda0: m.lambda0,
      loss0: m.loss0,
      numParams: m.numParams,
    });
    alertEl.hidden = true;
    setRegime('linear');
    ro('backend').textContent = `${m.backend} (tfjs ${m.versions['tfjs-core'] ?? '?'})`;
    updateEtaReadout();
    btn('download').disabled = false;
    root.dataset.status = 'ready';
    setPlaying(false);
    scheduleDraw();
  }

  function updateEtaReadout(): void {
    const etaCrit = run.etaCrit;
    ro('eta').textContent = etaCrit === null ? `${state.etaRatio} × η_crit` : `${fmt(state.etaRatio * etaCrit)} (${state.etaRatio} × ${fmt(etaCrit)})`;
  }

  function onMessage(e: MessageEvent<DemoResponse>): void {
    const m = e.data;
    if (m.type === 'ready') onReady(m);
    else if (m.type === 'progress') {
      const s = run.series;
      for (let i = 0; i < m.steps.length; i++) {
        s.steps.push(m.steps[i]);
        s.loss.push(m.loss[i]);
        s.lambdaMax.push(m.lambdaMax[i]);
        s.eta.push(m.eta[i]);
      }
      if (run.regime !== 'diverged') setRegime(m.regime);
      ro('speed').textContent = m.stepsPerSecond > 0 ? `${m.stepsPerSecond.toFixed(1)} steps/s` : ro('speed').textContent;
      root.dataset.status = m.finished ? 'finished' : m.playing ? 'running' : 'paused';
      setPlaying(m.playing);
      root.dataset.steps = String(s.steps.length);
      scheduleDraw();
    } else if (m.type === 'diverged') {
      run.diverged = { step: m.step, loss: m.loss, reason: m.reason };
      setRegime('diverged');
      root.dataset.status = 'diverged';
      setPlaying(false);
      alertEl.hidden = false;
      alertEl.textContent = `Diverged at step ${m.step}: ${m.reason}. The run was stopped; lower η/η_crit and press Reset.`;
      scheduleDraw();
    } else if (m.type === 'error') {
      setPlaying(false);
      root.dataset.status = 'error';
      alertEl.hidden = false;
      alertEl.textContent = `The demo stopped: ${m.message}`;
    }
  }

  /** Creates the worker on first use; this is the only path that fetches tfjs. */
  function ensureWorker(): Worker {
    if (worker) return worker;
    ro('backend').textContent = 'loading…';
    root.dataset.status = 'loading';
    worker = new Worker(new URL('../../workers/catapultDemo.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = onMessage;
    worker.onerror = (e) => onMessage(new MessageEvent('message', { data: { type: 'error', message: e.message || 'worker failed to load' } }));
    worker.postMessage({ type: 'init', state } satisfies DemoRequest);
    return worker;
  }

  function rebuild(): void {
    if (!worker) return;
    setPlaying(false);
    send({ type: 'setState', state });
  }

  // Numeric inputs: clamp on change, report corrections next to the controls.
  form.addEventListener('change', (e) => {
    const t = e.target as HTMLInputElement | HTMLSelectElement;
    const list: string[] = [];
    if (t.name === 'task') {
      state = mergeDefaults({ ...state, task: t.value as DemoState['task'] });
      rebuild();
    } else if (t.name === 'etaRatio' || t.name === 'etaRange') {
      state = { ...state, etaRatio: clampField(numericField('etaRatio'), t.value, list, state.etaRatio) };
      send({ type: 'setEtaRatio', etaRatio: state.etaRatio });
      updateEtaReadout();
    } else if (['n', 'd', 'm', 'seed', 'maxSteps', 'kernelEvery'].includes(t.name)) {
      const key = t.name as NumericKey;
      state = { ...state, [key]: clampField(numericField(key), t.value, list, state[key]) };
      rebuild();
    } else return;
    showNotices(list);
    syncControls();
    writeUrl();
  });
  // The slider also updates live while dragging, so η can be swept mid-run.
  (form.elements.namedItem('etaRange') as HTMLInputElement).addEventListener('input', (e) => {
    const v = Number((e.target as HTMLInputElement).value);
    state = { ...state, etaRatio: v };
    (form.elements.namedItem('etaRatio') as HTMLInputElement).value = String(v);
    send({ type: 'setEtaRatio', etaRatio: v });
    updateEtaReadout();
    writeUrl();
  });
  form.addEventListener('submit', (e) => e.preventDefault());

  btn('run').addEventListener('click', () => {
    const ended = root.dataset.status === 'finished' || root.dataset.status === 'diverged';
    ensureWorker();
    // A finished or diverged run restarts from w0 (same seed) rather than doing nothing.
    if (ended) send({ type: 'reset' });
    setPlaying(true);
    send({ type: 'play' });
  });
  btn('pause').addEventListener('click', () => {
    send({ type: 'pause' });
    setPlaying(false);
  });
  btn('step').addEventListener('click', () => {
    ensureWorker();
    send({ type: 'step', count: 1 });
  });
  btn('reset').addEventListener('click', () => {
    if (!worker) return;
    setPlaying(false);
    send({ type: 'reset' });
  });
  btn('reseed').addEventListener('click', () => {
    const seedField = numericField('seed');
    state = { ...state, seed: (state.seed * 1103515245 + 12345) % (seedField.max + 1) };
    syncControls();
    writeUrl();
    if (!worker) return;
    setPlaying(false);
    send({ type: 'reseed', seed: state.seed });
  });
  btn('share').addEventListener('click', async () => {
    writeUrl();
    const url = window.location.href;
    shareField.value = url;
    try {
      await navigator.clipboard.writeText(url);
      showNotices(['Link copied to the clipboard.']);
    } catch {
      // No clipboard permission (or insecure context): show the link to copy by hand.
      shareBox.hidden = false;
      shareField.focus();
      shareField.select();
      showNotices(['Copy the link from the text field below.']);
    }
  });
  btn('download').addEventListener('click', () => {
    const blob = new Blob([JSON.stringify({ ...run, state: run.state }, null, 1)], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `catapult-run-${state.task}-m${state.m}-eta${state.etaRatio}-seed${state.seed}.json`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  });

  // Like Distill's d-figure: a run only burns CPU while the reader can see it. Leaving the
  // viewport or hiding the tab pauses it; coming back resumes a run that was paused this way.
  let autoPaused = false;
  let onScreen = true;
  const autoPause = (): void => {
    if (!playing) return;
    autoPaused = true;
    send({ type: 'pause' });
    setPlaying(false);
    showNotices(['Paused while the demo is off screen.']);
  };
  const autoResume = (): void => {
    if (!autoPaused || !onScreen || document.hidden) return;
    autoPaused = false;
    showNotices([]);
    setPlaying(true);
    send({ type: 'play' });
  };
  new IntersectionObserver((entries) => {
    onScreen = entries.some((e) => e.isIntersecting);
    if (onScreen) autoResume();
    else autoPause();
  }).observe(root);
  document.addEventListener('visibilitychange', () => (document.hidden ? autoPause() : autoResume()));
  btn('pause').addEventListener('click', () => (autoPaused = false));

  syncControls();
  writeUrl();
  scheduleDraw();
  root.dataset.status = 'idle';
  window.__catapultDemo = { run: () => run, state: () => state, playing: () => playing };
}

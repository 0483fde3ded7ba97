/**
 * Main-thread controller shared by the demo islands (DemoShell.astro markup): controls ↔ state ↔
 * URL, the worker's lifecycle, play / pause / step / reset / reseed, share and download, the η
 * control and any other live setting the demo names (changeable while running; changing one on a
 * finished run continues that run), notices,
 * the divergence alert, earlier runs kept as faint overlays with a legend (up to MAX_OVERLAYS, until
 * "Clear runs"), and pausing while the island is off screen. A demo supplies its state codec, its
 * worker, and hooks that record and draw its own series; redraws are throttled to one per
 * animation frame and at most one per MIN_DRAW_MS. Heavy work stays in the worker, and tfjs is only fetched when the worker is
 * created on Run/Step.
 */
import type { DemoRequestOf, DemoResponseOf, DivergedInfo, DivergedMessage, ProgressBase, ReadyBase } from './protocol';
import { clampField, type BaseDemoState, type StateCodec } from './stateCodec';
import { presetState, type DemoPreset } from './presets';
import { richHtml } from '../../site/richText';

/** What every recorded run holds; a demo adds its constants and series. */
export interface RunBase<S> {
  state: S;
  backend: string | null;
  versions: Record<string, string>;
  /** The unit of the η control (absolute), from the worker's `ready`. */
  etaCrit: number | null;
  numParams: number | null;
  diverged: DivergedInfo | null;
  series: { steps: number[] };
}

/**
 * Shortest time between two redraws, in ms. Each redraw repaints the island's SVGs; measured with
 * scripts/bench-demo.ts, most of a frame's main-thread time is paint, not script, so 20 redraws a
 * second keep the plots smooth and the main thread mostly idle.
 */
export const MIN_DRAW_MS = 50;

/** Most earlier runs drawn faintly under the current one; the oldest is dropped first. */
export const MAX_OVERLAYS = 5;

/** An earlier run kept on the plots; `slot` (0 … MAX_OVERLAYS − 1) picks its colour class `overlay-<slot>`. */
export interface Overlay<Run> {
  run: Run;
  slot: number;
}

/** A fixed legend entry (e.g. a precomputed reference): the class of its swatch and its text. */
export interface LegendEntry {
  cls: string;
  label: string;
}

/** Element lookups inside one island, for the hooks. */
export interface IslandContext {
  root: HTMLElement;
  form: HTMLFormElement;
  /** The first element matching `sel` inside the island (throws naming the missing markup). */
  q<T extends Element>(sel: string): T;
  /** The read-out `.ro-<name>`. */
  ro(name: string): HTMLElement;
}

export interface IslandSpec<
  S extends BaseDemoState,
  Run extends RunBase<S>,
  R extends ReadyBase<S>,
  P extends ProgressBase,
> {
  /** Component name, quoted in errors about missing markup. */
  name: string;
  codec: StateCodec<S>;
  /** Creates the demo's worker (the only path that fetches tfjs). */
  createWorker(): Worker;
  /** A fresh run record for `state`; `prev` carries backend and versions across rebuilds. */
  newRun(state: S, prev: Run | null): Run;
  /** Copies the demo-specific fields of `ready` into the run (common ones are already set). */
  onReady?(run: Run, m: R, ctx: IslandContext): void;
  /** Appends a progress batch to the run's series. */
  onProgress(run: Run, m: P, ctx: IslandContext): void;
  onDiverged?(run: Run, m: DivergedMessage, ctx: IslandContext): void;
  /** Called as soon as a rebuild is asked for (Reset, Reseed, Run again, a changed setting), before the worker answers. */
  onRebuild?(ctx: IslandContext): void;
  /** Redraws plots and read-outs from the run and the earlier runs kept as overlays (at most once per frame). */
  draw(run: Run, ctx: IslandContext, overlays: readonly Overlay<Run>[]): void;
  /**
   * A run's settings in a few words, for the legend (e.g. "η 0.8 → 1.5 η_crit · m 1024 · seed 0");
   * `done` for an earlier run, which may add its outcome (steps, regime, spikes). The live run's
   * label is asked for every frame, an earlier run's once.
   */
  runLabel(run: Run, done: boolean): string;
  /** Legend entries after the runs (e.g. the precomputed reference). */
  legendExtras?: LegendEntry[];
  /**
   * One line under the plots saying what the run did so far, computed from its series (e.g. "the
   * loss rose 40× … : a catapult", "no spike yet", "diverged"); earlier runs may be compared.
   */
  summary?(run: Run, overlays: readonly Overlay<Run>[]): string;
  /** Handles a changed control that is not a numeric field or η; returns the new state, or null if not handled. */
  onControlChange?(name: string, value: string, state: S): S | null;
  /**
   * State keys besides η that the session takes mid-run (DemoSession.setLive): changing one keeps
   * the run going (and continues a finished one) instead of rebuilding it. Default: none.
   */
  liveKeys?: readonly Extract<keyof S, string>[];
  /** Writes demo-specific controls from the state (numeric fields and η are written already). */
  syncControls?(form: HTMLFormElement, state: S): void;
  /** What the divergence alert tells the reader to do, e.g. "lower η/η_crit and press Reset". */
  divergedAdvice: string;
  /** File name of "Download run", from the state of the run it saves (the one inside the file). */
  downloadName(state: S): string;
  /** What "Download run" saves of one run (default: the run record); earlier runs go in `overlaidRuns`. */
  downloadData?(run: Run): unknown;
}

/** Read-only handle on a mounted island (end-to-end tests and the benchmark use it). */
export interface IslandHandle<S, Run> {
  run(): Run;
  state(): S;
  playing(): boolean;
  /** Earlier runs drawn as overlays, oldest first. */
  overlays(): Run[];
}

/** Formats a number for a read-out: 4 significant digits, exponent for very large or small values. */
export const fmt = (v: number | null | undefined, digits = 4): string =>
  v === null || v === undefined || !Number.isFinite(v)
    ? '–'
    : Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3
      ? v.toExponential(2)
      : v.toPrecision(digits);

/** Wires one island element (DemoShell markup, `data-defaults` holding a partial state). Call once per element. */
export function mountDemoIsland<
  S extends BaseDemoState,
  Run extends RunBase<S>,
  R extends ReadyBase<S>,
  P extends ProgressBase,
>(root: HTMLElement, spec: IslandSpec<S, Run, R, P>): IslandHandle<S, Run> {
  type K = Extract<keyof S, string>;
  const q = <T extends Element>(sel: string) => {
    const el = root.querySelector<T>(sel);
    if (!el) throw new Error(`${spec.name}: markup is missing ${sel}`);
    return el;
  };
  const form = q<HTMLFormElement>('form');
  const ro = (c: string) => q<HTMLElement>(`.ro-${c}`);
  const ctx: IslandContext = { root, form, q, ro };
  const notices = q<HTMLElement>('.demo-notices');
  const alertEl = q<HTMLElement>('.demo-alert');
  const shareBox = q<HTMLElement>('.demo-share');
  const shareField = q<HTMLInputElement>('.share-field');
  const btn = (a: string) => q<HTMLButtonElement>(`button[data-action="${a}"]`);
  const codec = spec.codec;
  const etaField = codec.field('etaRatio' as K);
  const seedField = codec.field('seed' as K);
  const liveKeys: readonly K[] = spec.liveKeys ?? [];

  const defaults = JSON.parse(root.dataset.defaults || '{}') as Partial<S>;
  const presets = JSON.parse(root.dataset.presets || '[]') as DemoPreset<S>[];
  const summaryEl = q<HTMLElement>('.demo-summary');
  const parsed = codec.parse(window.location.search, defaults);
  let state: S = parsed.state;
  showNotices(parsed.notices);

  let worker: Worker | null = null;
  let playing = false;
  let drawPending = false;
  let run: Run = spec.newRun(state, null);
  let overlays: Overlay<Run>[] = [];
  const legend = q<HTMLElement>('.demo-legend');
  let legendKey = '';
  /** Legend text of each earlier run (it no longer changes). */
  const overlayLabels = new WeakMap<Run, string>();
  const overlayLabel = (r: Run): string => {
    let label = overlayLabels.get(r);
    if (label === undefined) overlayLabels.set(r, (label = spec.runLabel(r, true)));
    return label;
  };

  function showNotices(list: string[]): void {
    notices.replaceChildren(...list.map((t) => Object.assign(document.createElement('p'), { textContent: t })));
  }

  function writeUrl(): void {
    const url = new URL(window.location.href);
    for (const k of codec.urlParams) url.searchParams.delete(k);
    for (const [k, v] of codec.serialize(state, defaults)) url.searchParams.set(k, v);
    window.history.replaceState(window.history.state, '', url);
  }

  function syncControls(): void {
    const el = form.elements;
    for (const f of codec.numericFields) {
      const input = el.namedItem(f.key) as HTMLInputElement | null;
      if (input) input.value = String(state[f.key]);
    }
    (el.namedItem('etaRange') as HTMLInputElement).value = String(state.etaRatio);
    spec.syncControls?.(form, state);
  }

  function send(msg: DemoRequestOf<S>): void {
    worker?.postMessage(msg);
  }

  /**
   * Run and Pause are marked aria-disabled rather than disabled: a disabled button drops keyboard
   * focus, and focus must stay on Run after pressing it.
   */
  const isOff = (b: HTMLButtonElement): boolean => b.getAttribute('aria-disabled') === 'true';
  const setOff = (b: HTMLButtonElement, off: boolean): void => {
    b.disabled = false;
    b.setAttribute('aria-disabled', String(off));
  };

  function setPlaying(p: boolean): void {
    playing = p;
    setOff(btn('run'), p);
    setOff(btn('pause'), !p);
    const ended = root.dataset.status === 'finished' || root.dataset.status === 'diverged';
    btn('run').textContent = ended ? 'Run again' : run.series.steps.length > 0 && !p ? 'Play' : 'Run';
  }

  /** When the last redraw ran (performance.now()). */
  let lastDraw = -Infinity;
  function scheduleDraw(): void {
    if (drawPending) return;
    drawPending = true;
    const frame = (): void => {
      drawPending = false;
      lastDraw = performance.now();
      spec.draw(run, ctx, overlays);
      drawLegend();
      drawSummary();
    };
    // At most one redraw per MIN_DRAW_MS, in an animation frame: a demo posts up to ~100 batches a second.
    const wait = lastDraw + MIN_DRAW_MS - performance.now();
    if (wait <= 0) requestAnimationFrame(frame);
    else setTimeout(() => requestAnimationFrame(frame), wait);
  }

  /** The legend: this run, the overlays (newest first), then the demo's fixed entries; rebuilt only when its text changes. */
  function drawLegend(): void {
    const entries: LegendEntry[] = [
      { cls: 'series', label: `${run.series.steps.length ? 'this run' : 'next run'}: ${spec.runLabel(run, false)}` },
      ...[...overlays]
        .reverse()
        .map((o) => ({ cls: `overlay overlay-${o.slot}`, label: `earlier run: ${overlayLabel(o.run)}` })),
      ...(spec.legendExtras ?? []),
    ];
    const key = JSON.stringify(entries);
    if (key === legendKey) return;
    legendKey = key;
    legend.replaceChildren(
      ...entries.map((e) => {
        const li = document.createElement('li');
        const swatch = Object.assign(document.createElement('span'), { className: `swatch ${e.cls}` });
        swatch.setAttribute('aria-hidden', 'true');
        li.append(swatch);
        // Labels use the site's plain notation (η_crit); richHtml escapes them and sets real subscripts.
        li.insertAdjacentHTML('beforeend', richHtml(e.label));
        return li;
      }),
    );
    btn('clear').disabled = overlays.length === 0;
  }

  /** The line under the plots; written only when its text changes (it is a live region). */
  function drawSummary(): void {
    if (!spec.summary || (run.series.steps.length === 0 && !run.diverged)) return;
    const text = spec.summary(run, overlays);
    if (summaryEl.textContent !== text) summaryEl.textContent = text;
  }

  /** Keeps a replaced run with steps as an overlay (the oldest goes beyond MAX_OVERLAYS). */
  function keepAsOverlay(old: Run): void {
    if (old.series.steps.length === 0) return;
    if (overlays.length >= MAX_OVERLAYS) overlays = overlays.slice(overlays.length - MAX_OVERLAYS + 1);
    const used = new Set(overlays.map((o) => o.slot));
    let slot = 0;
    while (used.has(slot)) slot++;
    overlays = [...overlays, { run: old, slot }];
  }

  function updateEtaReadout(): void {
    const etaCrit = run.etaCrit;
    ro('eta').textContent =
      etaCrit === null
        ? `${state.etaRatio} × unit`
        : `${fmt(state.etaRatio * etaCrit)} (${state.etaRatio} × ${fmt(etaCrit)})`;
  }

  function onReady(m: R): void {
    keepAsOverlay(run);
    run = spec.newRun(m.state, run);
    Object.assign(run, {
      state: { ...m.state },
      backend: m.backend,
      versions: m.versions,
      etaCrit: m.etaCrit,
      numParams: m.numParams,
    });
    spec.onReady?.(run, m, ctx);
    alertEl.hidden = true;
    ro('backend').textContent = `${m.backend} (tfjs ${m.versions['tfjs-core'] ?? '?'})`;
    updateEtaReadout();
    btn('download').disabled = false;
    root.dataset.status = 'ready';
    setPlaying(false);
    scheduleDraw();
  }

  function onMessage(e: MessageEvent<DemoResponseOf<R, P>>): void {
    const m = e.data;
    if (m.type === 'ready') onReady(m as R);
    else if (m.type === 'progress') {
      const p = m as P;
      spec.onProgress(run, p, ctx);
      ro('speed').textContent =
        p.stepsPerSecond > 0 ? `${p.stepsPerSecond.toFixed(1)} steps/s` : ro('speed').textContent;
      root.dataset.status = p.finished ? 'finished' : p.playing ? 'running' : 'paused';
      setPlaying(p.playing);
      root.dataset.steps = String(run.series.steps.length);
      scheduleDraw();
    } else if (m.type === 'diverged') {
      run.diverged = { step: m.step, loss: m.loss, reason: m.reason };
      spec.onDiverged?.(run, m, ctx);
      root.dataset.status = 'diverged';
      setPlaying(false);
      alertEl.hidden = false;
      alertEl.textContent = `Diverged at step ${m.step}: ${m.reason}. The run was stopped; ${spec.divergedAdvice}.`;
      scheduleDraw();
    } else if (m.type === 'error') {
      setPlaying(false);
      root.dataset.status = 'error';
      alertEl.hidden = false;
      alertEl.textContent = `The demo stopped: ${m.message}`;
    }
  }

  function ensureWorker(): Worker {
    if (worker) return worker;
    ro('backend').textContent = 'loading…';
    root.dataset.status = 'loading';
    worker = spec.createWorker();
    worker.onmessage = onMessage;
    worker.onerror = (e) =>
      onMessage(
        new MessageEvent('message', { data: { type: 'error', message: e.message || 'worker failed to load' } }),
      );
    worker.postMessage({ type: 'init', state } satisfies DemoRequestOf<S>);
    return worker;
  }

  /** Asks the worker for a rebuild; the demo clears what no longer holds (e.g. its regime badge) at once. */
  function requestRebuild(msg: DemoRequestOf<S>): void {
    spec.onRebuild?.(ctx);
    send(msg);
  }

  function rebuild(): void {
    if (!worker) return;
    setPlaying(false);
    requestRebuild({ type: 'setState', state });
  }

  /** After a mid-run change: a finished run continues for another maxSteps steps with it. */
  function continueFinished(): void {
    if (worker && root.dataset.status === 'finished') {
      send({ type: 'extend', steps: state.maxSteps });
      root.dataset.status = 'running';
      setPlaying(true);
    }
  }

  /** Sets η (in units of η_crit) from a control; a finished run continues for another maxSteps steps at the new η. */
  function setEta(v: number): void {
    const changed = v !== state.etaRatio;
    state = { ...state, etaRatio: v };
    // A run without steps yet starts at the new η (the worker rebuilds from it on reset too).
    if (run.series.steps.length === 0) run.state = { ...run.state, etaRatio: v };
    send({ type: 'setEtaRatio', etaRatio: v });
    updateEtaReadout();
    if (changed) continueFinished();
  }

  /** Takes a new state from a live control: its live changes go as one setLive and the run goes on. */
  function setLive(next: S): void {
    // A rule that also changed a key the session cannot take mid-run means a rebuild after all.
    if ((Object.keys(next) as K[]).some((k) => !liveKeys.includes(k) && next[k] !== state[k])) {
      state = next;
      rebuild();
      return;
    }
    const patch: Partial<S> = {};
    for (const k of liveKeys) if (next[k] !== state[k]) patch[k] = next[k];
    state = next;
    if (Object.keys(patch).length === 0) return;
    if (run.series.steps.length === 0) run.state = { ...run.state, ...patch };
    send({ type: 'setLive', patch });
    continueFinished();
  }

  // Numeric inputs: clamp on change, report corrections next to the controls.
  form.addEventListener('change', (e) => {
    const t = e.target as HTMLInputElement | HTMLSelectElement;
    const list: string[] = [];
    const numeric = codec.numericFields.find((f) => f.key === t.name);
    const live = (liveKeys as readonly string[]).includes(t.name);
    if (t.name === 'etaRatio' || t.name === 'etaRange') {
      setEta(clampField(etaField, t.value, list, state.etaRatio));
    } else if (numeric) {
      // Cross-field rules (e.g. b ≤ n) may correct the new value; their notices are shown too.
      const next = codec.applyRules(
        { ...state, [numeric.key]: clampField(numeric, t.value, list, state[numeric.key] as number) },
        list,
      );
      if (live) setLive(next);
      else {
        state = next;
        rebuild();
      }
    } else {
      const next = spec.onControlChange?.(t.name, t.value, state) ?? null;
      if (next === null) return;
      if (live) setLive(codec.applyRules(next, list));
      else {
        state = next;
        rebuild();
      }
    }
    showNotices(list);
    syncControls();
    writeUrl();
  });
  // The slider also updates live while dragging, so η can be swept mid-run.
  (form.elements.namedItem('etaRange') as HTMLInputElement).addEventListener('input', (e) => {
    const v = Number((e.target as HTMLInputElement).value);
    (form.elements.namedItem('etaRatio') as HTMLInputElement).value = String(v);
    setEta(v);
    writeUrl();
  });
  form.addEventListener('submit', (e) => e.preventDefault());

  btn('run').addEventListener('click', () => {
    if (isOff(btn('run'))) return;
    const ended = root.dataset.status === 'finished' || root.dataset.status === 'diverged';
    ensureWorker();
    // A finished or diverged run restarts from w0 (same seed) rather than doing nothing.
    if (ended) requestRebuild({ type: 'reset' });
    setPlaying(true);
    send({ type: 'play' });
  });
  btn('pause').addEventListener('click', () => {
    if (isOff(btn('pause'))) return;
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
    requestRebuild({ type: 'reset' });
  });
  btn('reseed').addEventListener('click', () => {
    state = { ...state, seed: (state.seed * 1103515245 + 12345) % (seedField.max + 1) };
    syncControls();
    writeUrl();
    if (!worker) return;
    setPlaying(false);
    requestRebuild({ type: 'reseed', seed: state.seed });
  });
  // A preset sets the whole state it names (over the island's defaults) and plays a fresh run from it.
  for (const b of root.querySelectorAll<HTMLButtonElement>('button[data-preset]')) {
    const preset = presets.find((p) => p.id === b.dataset.preset);
    if (!preset) throw new Error(`${spec.name}: no preset "${b.dataset.preset}" in data-presets`);
    b.addEventListener('click', () => {
      state = presetState(codec.merge, defaults, preset);
      showNotices([]);
      syncControls();
      writeUrl();
      if (worker) requestRebuild({ type: 'setState', state });
      else ensureWorker();
      setPlaying(true);
      send({ type: 'play' });
    });
  }
  btn('clear').addEventListener('click', () => {
    overlays = [];
    scheduleDraw();
  });
  btn('share').addEventListener('click', async () => {
    writeUrl();
    // The link opens at the island, not at the top of the chapter.
    const link = new URL(window.location.href);
    link.hash = root.id;
    const url = link.href;
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
    const one = (r: Run): unknown => (spec.downloadData ? spec.downloadData(r) : r);
    // The run on screen, with every earlier run still drawn (oldest first); named after the state inside.
    const data = { ...(one(run) as object), overlaidRuns: overlays.map((o) => one(o.run)) };
    const blob = new Blob([JSON.stringify(data, null, 1)], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = spec.downloadName(run.state);
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
  return { run: () => run, state: () => state, playing: () => playing, overlays: () => overlays.map((o) => o.run) };
}

/**
 * Live D3 plots for the catapult demo: training loss (log scale) over steps, and λ_max(K) over
 * steps with the stability line 2/η; earlier runs faintly underneath (overlays). Redraws are cheap
 * (one path per series, thinned to about one point per pixel column) and the caller throttles
 * them to animation frames. The plots are drawn at their rendered width and redraw when it changes.
 */
import { axisLeft, max, min, scaleLinear, select } from 'd3';
import type { ScaleLinear } from 'd3';
import {
  HEIGHT,
  M,
  columnsFor,
  drawOverlays,
  frame,
  logScaleFor,
  pathOf,
  plotWidthOf,
  short,
  thin,
  watchWidth,
  type OverlayLine,
  type Point,
  type Svg,
  stepAxis,
} from '../kit/plotKit';

/** The reference run drawn lightly underneath (precomputed trace for the default settings). */
export interface ReferenceSeries {
  steps: number[];
  loss: number[];
  lambdaMax?: (number | null)[];
  /** Legend text: what the precomputed run is (settings and source). */
  label?: string;
}

/** The series of one run, as the plots draw them. */
export interface CatapultPlotRun {
  steps: number[];
  loss: number[];
  lambdaMax: (number | null)[];
  eta: number[];
}

/** An earlier run drawn faintly: its overlay slot (colour) and series. */
export interface CatapultPlotOverlay {
  slot: number;
  series: CatapultPlotRun;
}

const LAYERS = ['reference', 'guide', 'series'];
const LOSS_TITLE = 'Training loss ½Σ(f−y)² against step, log scale';
const LAMBDA_TITLE = 'Top tangent-kernel eigenvalue λ_max(K) against step, with the line 2/η';

/** Draws into two SVG elements; `update` takes the full series each time (idempotent). */
export class CatapultPlots {
  private loss: Svg;
  private lambda: Svg;
  /** Coordinate width (= rendered width in CSS px) of both plots. */
  private width: number;
  private lastArgs: Parameters<CatapultPlots['update']> | null = null;

  constructor(lossSvg: SVGSVGElement, lambdaSvg: SVGSVGElement) {
    this.loss = select(lossSvg);
    this.lambda = select(lambdaSvg);
    this.width = plotWidthOf(lossSvg);
    this.reframe();
    watchWidth(
      lossSvg,
      () => this.width,
      (w) => {
        this.width = w;
        this.reframe();
        if (this.lastArgs) this.update(...this.lastArgs);
      },
    );
  }

  private reframe(): void {
    frame(this.loss, LOSS_TITLE, 'loss (log)', LAYERS, this.width);
    frame(this.lambda, LAMBDA_TITLE, 'λ_max(K)', LAYERS, this.width);
  }

  /**
   * Redraws both plots. `eta` is the learning rate per recorded step (for the 2/η line); earlier
   * runs (`overlays`) and `reference` are drawn underneath.
   */
  update(run: CatapultPlotRun, overlays: CatapultPlotOverlay[] = [], reference?: ReferenceSeries): void {
    this.lastArgs = [run, overlays, reference];
    const cols = columnsFor(this.width);
    const lastStep = Math.max(
      10,
      run.steps.at(-1) ?? 0,
      reference?.steps.at(-1) ?? 0,
      ...overlays.map((o) => o.series.steps.at(-1) ?? 0),
    );
    const x = scaleLinear()
      .domain([0, lastStep])
      .range([M.left, this.width - M.right]);

    // Loss: log scale over the finite positive values of every series drawn.
    const yL = logScaleFor(run.loss.concat(reference?.loss ?? [], ...overlays.map((o) => o.series.loss)));
    this.draw(
      this.loss,
      x,
      yL,
      thin(run.steps, run.loss, cols),
      reference ? thin(reference.steps, reference.loss, cols) : [],
      [],
    );
    drawOverlays(
      this.loss,
      x,
      yL,
      overlays.map((o): OverlayLine => ({ slot: o.slot, points: thin(o.series.steps, o.series.loss, cols) })),
    );
    this.loss.select<SVGGElement>('.y-axis').call(axisLeft(yL).ticks(5, '.0e'));

    // λ_max with the stability line 2/η (η may change mid-run, so the line is a step function).
    const finite = (vs: (number | null)[] | undefined): number[] =>
      (vs ?? []).filter((v): v is number => v !== null && Number.isFinite(v));
    const lam = finite(run.lambdaMax);
    const refLam = finite(reference?.lambdaMax);
    const guide: Point[] = run.steps.map((s, i) => [s, 2 / run.eta[i]]);
    const all = [
      ...lam,
      ...refLam,
      ...overlays.flatMap((o) => finite(o.series.lambdaMax)),
      ...guide.map((g) => g[1] as number),
    ].filter((v) => Number.isFinite(v));
    const lamLo = all.length ? (min(all) as number) : 0;
    const lamHi = all.length ? (max(all) as number) : 1;
    const pad = 0.08 * Math.max(lamHi - lamLo, 1e-6 + 0.05 * Math.abs(lamHi));
    const yK = scaleLinear()
      .domain([Math.max(0, lamLo - pad), lamHi + pad])
      .range([HEIGHT - M.bottom, M.top])
      .nice();
    this.draw(
      this.lambda,
      x,
      yK,
      thin(run.steps, run.lambdaMax, cols),
      reference?.lambdaMax ? thin(reference.steps, reference.lambdaMax, cols) : [],
      thin(
        run.steps,
        guide.map((g) => g[1]),
        cols,
      ),
    );
    drawOverlays(
      this.lambda,
      x,
      yK,
      overlays.map((o): OverlayLine => ({ slot: o.slot, points: thin(o.series.steps, o.series.lambdaMax, cols) })),
    );
    this.lambda.select<SVGGElement>('.y-axis').call(axisLeft(yK).ticks(5));
    this.describe(run, lam);
  }

  /** Alt text that states what the run shows so far (updated with the plots). */
  private describe(run: { steps: number[]; loss: number[]; eta: number[] }, lam: number[]): void {
    const n = run.loss.length;
    const f = short;
    if (n === 0) {
      this.loss.attr('aria-label', 'Training loss against step, log scale: no run yet.');
      this.lambda.attr('aria-label', 'Top tangent-kernel eigenvalue λ_max(K) against step: no run yet.');
      return;
    }
    let peak = 0;
    for (let i = 1; i < n; i++) if (run.loss[i] > run.loss[peak]) peak = i;
    const l0 = run.loss[0];
    const spike =
      peak > 0
        ? ` peaked at ${f(run.loss[peak])} (${f(run.loss[peak] / l0)}× its start) at step ${run.steps[peak]},`
        : '';
    this.loss.attr(
      'aria-label',
      `Training loss against step, log scale: started at ${f(l0)},${spike} now ${f(run.loss[n - 1])} after ${n} steps.`,
    );
    const edge = 2 / run.eta[n - 1];
    this.lambda.attr(
      'aria-label',
      lam.length
        ? `λ_max(K) against step: from ${f(lam[0])} to ${f(lam[lam.length - 1])}; the edge of stability 2/η is ${f(edge)}.`
        : `λ_max(K) against step: not measured yet; 2/η is ${f(edge)}.`,
    );
  }

  private draw(
    svg: Svg,
    x: ScaleLinear<number, number>,
    y: (v: number) => number,
    pts: Point[],
    ref: Point[],
    guide: Point[],
  ): void {
    svg.select('.series').attr('d', pathOf(x, y, pts));
    svg.select('.reference').attr('d', pathOf(x, y, ref));
    svg.select('.guide').attr('d', pathOf(x, y, guide));
    svg.select<SVGGElement>('.x-axis').call(stepAxis(x, this.width));
  }
}

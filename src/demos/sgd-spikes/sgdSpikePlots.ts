/**
 * Live D3 plots of the "Watch SGD spike" demo:
 *   1. the full-train loss (line) and the batch loss (faint line), both mean losses, log scale,
 *      with each detected spike shaded from its start to its end and its peak marked;
 *   2. each step's batch critical rate 2b/λ_max(K(w_t; X_B)) in units of the full-set 2n/λ_max(K(w0))
 *      as points, against the η̄ line; points below the line are batches in their catapult regime.
 * Earlier runs' full-train losses are drawn faintly underneath (overlays). Long runs are thinned to
 * about two points per pixel column (loss: bucket maxima, so spikes survive; critical rates: bucket
 * minima, the batches most in their catapult regime). Every point carries data-step and data-ratio
 * so tests can read what is drawn. The plots are drawn at their rendered width and redraw when it changes.
 */
import { axisLeft, scaleLinear, select } from 'd3';
import type { CatapultEvent } from '../../lib/catapults';
import {
  HEIGHT,
  M,
  columnsFor,
  drawOverlays,
  frame,
  growingStepDomain,
  logScaleFor,
  pathOf,
  plotWidthOf,
  short,
  thin,
  watchWidth,
  type Svg,
  stepAxis,
} from '../kit/plotKit';

/** What the plots draw: aligned per-step series, critical rates already in units of the control. */
export interface SgdSpikePlotData {
  steps: number[];
  trainLoss: number[];
  batchLoss: number[];
  /** Batch critical rate / full-set critical rate, per step. */
  critRatio: number[];
  /** η̄ / full-set critical rate, per step. */
  etaRatio: number[];
  /** Index of the run's last step (its step budget − 1): the step axis never grows past it. */
  lastStep: number;
}

/** An earlier run drawn faintly: its overlay slot (colour), steps and full-train loss. */
export interface SgdSpikePlotOverlay {
  slot: number;
  steps: number[];
  trainLoss: number[];
}

type Xy = [number, number];

/**
 * Draws into two SVG elements; `update` takes the full series each time. Points, spike bands and
 * peak markers are keyed (by step, by spike start): between axis changes only new or changed
 * ones touch the DOM, so a long run costs the main thread little per frame.
 */
export class SgdSpikePlots {
  private loss: Svg;
  private crit: Svg;
  /** Axis domains of the last draw, to tell an incremental frame from a full redraw. */
  private last = { x: '', yLoss: '', yCrit: '', stride: 0, overlays: '' };
  /** Coordinate width (= rendered width in CSS px) of both plots. */
  private width: number;
  private lastArgs: Parameters<SgdSpikePlots['update']> | null = null;

  constructor(lossSvg: SVGSVGElement, critSvg: SVGSVGElement) {
    this.loss = select(lossSvg);
    this.crit = select(critSvg);
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

  /** Draws both frames afresh at the current width; the next update redraws everything. */
  private reframe(): void {
    frame(
      this.loss,
      'Full-train and batch loss against step, log scale, with detected spikes',
      'mean loss (log)',
      ['batch-series', 'series'],
      this.width,
    );
    frame(
      this.crit,
      'Per-batch critical learning rate against step, with the line η̄',
      'η̄_crit(batch) / η̄_crit',
      ['guide'],
      this.width,
    );
    for (const svg of [this.loss, this.crit]) svg.insert('g', 'path').attr('class', 'spike-bands');
    this.loss.append('g').attr('class', 'spike-peaks');
    this.crit.append('g').attr('class', 'crit-points');
    this.last = { x: '', yLoss: '', yCrit: '', stride: 0, overlays: '' };
  }

  /** Redraws both plots from the full series, the spikes detected on the full-train loss and the earlier runs. */
  update(d: SgdSpikePlotData, spikes: CatapultEvent[], overlays: SgdSpikePlotOverlay[] = []): void {
    this.lastArgs = [d, spikes, overlays];
    const columns = columnsFor(this.width);
    const n = d.steps.length;
    const overlayLast = Math.max(0, ...overlays.map((o) => o.steps.at(-1) ?? 0));
    const x = scaleLinear()
      .domain([0, Math.max(overlayLast, growingStepDomain(n ? d.steps[n - 1] : 0, d.lastStep))])
      .range([M.left, this.width - M.right]);
    const completed = spikes.filter((e) => !e.diverged);
    const xKey = String(x.domain());
    const xChanged = xKey !== this.last.x;

    // 1. losses (log), spike bands start..end and peak markers.
    const yL = logScaleFor(d.trainLoss.concat(d.batchLoss, ...overlays.map((o) => o.trainLoss)), { decades: true });
    const yLKey = String(yL.domain());
    const yLChanged = yLKey !== this.last.yLoss;
    const overlayKey = overlays.map((o) => `${o.slot}:${o.steps.length}`).join(',');
    if (xChanged || yLChanged || overlayKey !== this.last.overlays) {
      drawOverlays(
        this.loss,
        x,
        yL,
        overlays.map((o) => ({ slot: o.slot, points: thin(o.steps, o.trainLoss, columns) })),
      );
    }
    this.loss.select('.series').attr('d', pathOf(x, yL, thin(d.steps, d.trainLoss, columns)));
    this.loss.select('.batch-series').attr('d', pathOf(x, yL, thin(d.steps, d.batchLoss, columns)));
    if (yLChanged) this.loss.select<SVGGElement>('.y-axis').call(axisLeft(yL).ticks(5, '.0e'));
    const peaks = this.loss
      .select('.spike-peaks')
      .selectAll<SVGCircleElement, CatapultEvent>('circle')
      .data(completed, (e) => String(e.start));
    peaks.exit().remove();
    const newPeaks = peaks.enter().append('circle').attr('class', 'spike-marker').attr('r', 3.5);
    (xChanged || yLChanged ? newPeaks.merge(peaks) : newPeaks)
      .attr('cx', (e) => x(d.steps[e.peak]))
      .attr('cy', (e) => yL(d.trainLoss[e.peak]))
      .attr('data-step', (e) => d.steps[e.peak]);

    // 2. per-batch critical rates against the η̄ line.
    const stride = Math.max(1, Math.ceil(n / (2 * columns)));
    const pts = thin(d.steps, d.critRatio, 2 * columns, 'min').filter(
      (p): p is Xy => p[1] !== null && Number.isFinite(p[1]),
    );
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of [...pts.map((p) => p[1]), ...d.etaRatio]) {
      if (!Number.isFinite(v)) continue;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    if (!(lo <= hi)) [lo, hi] = [0, 1];
    const pad = 0.08 * Math.max(hi - lo, 0.05 * Math.abs(hi) + 1e-6);
    const yC = scaleLinear()
      .domain([Math.max(0, lo - pad), hi + pad])
      .range([HEIGHT - M.bottom, M.top])
      .nice();
    const yCKey = String(yC.domain());
    const yCChanged = yCKey !== this.last.yCrit;
    // η̄ may change mid-run: the line is a step function through its change points.
    const guide: Xy[] = [];
    for (let i = 0; i < n; i++) {
      if (i === 0 || d.etaRatio[i] !== d.etaRatio[i - 1]) guide.push([d.steps[i], d.etaRatio[i]]);
      if (i === n - 1 || d.etaRatio[i + 1] !== d.etaRatio[i]) guide.push([d.steps[i] + 1, d.etaRatio[i]]);
    }
    this.crit.select('.guide').attr('d', pathOf(x, yC, guide));
    if (yCChanged) this.crit.select<SVGGElement>('.y-axis').call(axisLeft(yC).ticks(5));
    // Steps are recorded from 0 without gaps, so step s sits at index s (indexOf is the fallback).
    const etaAt = (step: number): number =>
      d.etaRatio[d.steps[step] === step ? step : d.steps.indexOf(step)] ?? Infinity;
    const dots = this.crit
      .select('.crit-points')
      .selectAll<SVGCircleElement, Xy>('circle')
      .data(pts, (p) => String(p[0]));
    dots.exit().remove();
    const newDots = dots.enter().append('circle').attr('r', 2.2);
    const full = xChanged || yCChanged || stride !== this.last.stride;
    // With thinning, the last bucket's minimum can change without its key changing.
    (full
      ? newDots.merge(dots)
      : newDots.merge(dots.filter((p, i, els) => els[i].getAttribute('data-ratio') !== String(p[1])))
    )
      .attr('class', (p) => (p[1] < etaAt(p[0]) ? 'crit-point below' : 'crit-point'))
      .attr('cx', (p) => x(p[0]))
      .attr('cy', (p) => yC(p[1]))
      .attr('data-step', (p) => p[0])
      .attr('data-ratio', (p) => p[1]);

    for (const svg of [this.loss, this.crit]) {
      const bands = svg
        .select('.spike-bands')
        .selectAll<SVGRectElement, CatapultEvent>('rect')
        .data(completed, (e) => String(e.start));
      bands.exit().remove();
      const newBands = bands
        .enter()
        .append('rect')
        .attr('class', 'spike-band')
        .attr('y', M.top)
        .attr('height', HEIGHT - M.bottom - M.top);
      (xChanged ? newBands.merge(bands) : newBands)
        .attr('x', (e) => x(d.steps[e.start]))
        .attr('width', (e) => Math.max(1.5, x(d.steps[e.end as number]) - x(d.steps[e.start])));
      if (xChanged) svg.select<SVGGElement>('.x-axis').call(stepAxis(x, this.width));
    }
    this.last = { x: xKey, yLoss: yLKey, yCrit: yCKey, stride, overlays: overlayKey };
    this.describe(d, completed, pts);
  }

  /** Alt texts that state what the run shows so far. */
  private describe(d: SgdSpikePlotData, spikes: CatapultEvent[], pts: Xy[]): void {
    const n = d.steps.length;
    if (n === 0) {
      this.loss.attr('aria-label', 'Full-train and batch loss against step, log scale: no run yet.');
      this.crit.attr('aria-label', 'Per-batch critical learning rate against step: no run yet.');
      return;
    }
    const last = d.trainLoss[n - 1];
    const biggest = spikes.reduce<CatapultEvent | null>((b, e) => (b === null || e.ratio > b.ratio ? e : b), null);
    const spikeText = biggest
      ? `${spikes.length} spike${spikes.length === 1 ? '' : 's'} detected, the largest ${short(biggest.ratio)}× at step ${d.steps[biggest.peak]}`
      : 'no spike detected';
    this.loss.attr(
      'aria-label',
      `Full-train loss against step, log scale: from ${short(d.trainLoss[0])} to ${short(last)} after ${n} steps; ${spikeText}.`,
    );
    const eta = d.etaRatio[n - 1];
    let below = 0;
    let valid = 0;
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(d.critRatio[i])) continue;
      valid++;
      if (d.critRatio[i] < d.etaRatio[i]) below++;
    }
    const sorted = pts.map((p) => p[1]).sort((a, b) => a - b);
    this.crit.attr(
      'aria-label',
      valid
        ? `Per-batch critical rate in units of the full-set one against step: between ${short(sorted[0])} and ${short(sorted[sorted.length - 1])}; ` +
            `${below} of ${valid} batches lie below the line η̄ = ${short(eta)}, in their catapult regime.`
        : `Per-batch critical rate: not measured yet; η̄ = ${short(eta)}.`,
    );
  }
}

/**
 * Live pictures of the "Watch the AGOP learn" demo:
 *   1. the full-train mean loss, log scale, each detected catapult shaded from its start to its end
 *      with its peak marked, and a dashed line where the batch size changed;
 *   2. the AGOP alignment cos(G(w_t), G*) at each refresh, on [0, 1], with the same catapult bands;
 *   3. the top-left k×k blocks of the model's AGOP and of the true one as heatmaps, drawn by the
 *      site's figure heatmap (src/site/figureHeatmap.ts) and updated in place at every refresh.
 * Earlier runs' loss and alignment are drawn faintly underneath (overlays). Long runs are thinned to
 * about one point per pixel column (bucket maxima, so spikes survive). The line plots are drawn at
 * their rendered width and redraw when it changes; bands and markers are keyed, so a frame only
 * touches what is new.
 */
import { axisLeft, scaleLinear, select } from 'd3';
import type { ScaleLinear } from 'd3';
import type { CatapultEvent } from '../../lib/catapults';
import { heatmapOpacity, renderHeatmap } from '../../site/figureHeatmap';
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

/** What the line plots draw: aligned per-step series and the AGOP refreshes. */
export interface AgopPlotData {
  steps: number[];
  trainLoss: number[];
  /** The batch size b in force at each step (n for GD). */
  batchSize: number[];
  /** Training points (a batch of n is GD). */
  n: number;
  agopStep: number[];
  align: number[];
  /** Index of the run's last step (its step budget − 1): the step axis never grows past it. */
  lastStep: number;
}

/** An earlier run drawn faintly: its overlay slot (colour) and its loss and alignment. */
export interface AgopPlotOverlay {
  slot: number;
  steps: number[];
  trainLoss: number[];
  agopStep: number[];
  align: number[];
}

/** A step where the batch size changed, and what it changed to. */
interface BatchChange {
  step: number;
  label: string;
}

const sizeLabel = (b: number, n: number): string => (b >= n ? 'GD' : `b = ${b}`);

/** Steps at which the batch size changed. */
function batchChanges(d: AgopPlotData): BatchChange[] {
  const out: BatchChange[] = [];
  for (let i = 1; i < d.batchSize.length; i++) {
    if (d.batchSize[i] === d.batchSize[i - 1]) continue;
    out.push({ step: d.steps[i], label: `${sizeLabel(d.batchSize[i - 1], d.n)} → ${sizeLabel(d.batchSize[i], d.n)}` });
  }
  return out;
}

/**
 * Draws into two SVG elements; `update` takes the full series each time. Between axis changes only
 * new or changed bands, markers and batch-change lines touch the DOM.
 */
export class AgopPlots {
  private loss: Svg;
  private align: Svg;
  private last = { x: '', yLoss: '', overlays: '' };
  /** Coordinate width (= rendered width in CSS px) of both plots. */
  private width: number;
  private lastArgs: Parameters<AgopPlots['update']> | null = null;

  constructor(lossSvg: SVGSVGElement, alignSvg: SVGSVGElement) {
    this.loss = select(lossSvg);
    this.align = select(alignSvg);
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
      'Full-train loss against step, log scale, with detected catapults',
      'mean loss (log)',
      ['series'],
      this.width,
    );
    frame(this.align, 'AGOP alignment with the true AGOP against step', 'cos(G, G^*)', ['series'], this.width);
    for (const svg of [this.loss, this.align]) {
      svg.insert('g', 'path').attr('class', 'spike-bands');
      svg.append('g').attr('class', 'batch-changes');
    }
    this.loss.append('g').attr('class', 'spike-peaks');
    this.last = { x: '', yLoss: '', overlays: '' };
  }

  /** Redraws both plots from the full series, the catapults detected on the loss and the earlier runs. */
  update(d: AgopPlotData, spikes: CatapultEvent[], overlays: AgopPlotOverlay[] = []): void {
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
    const overlayKey = overlays.map((o) => `${o.slot}:${o.steps.length}`).join(',');
    const overlaysChanged = overlayKey !== this.last.overlays;

    // 1. loss (log) with peaks.
    const yL = logScaleFor(d.trainLoss.concat(...overlays.map((o) => o.trainLoss)), { decades: true });
    const yLKey = String(yL.domain());
    const yLChanged = yLKey !== this.last.yLoss;
    if (xChanged || yLChanged || overlaysChanged)
      drawOverlays(
        this.loss,
        x,
        yL,
        overlays.map((o) => ({ slot: o.slot, points: thin(o.steps, o.trainLoss, columns) })),
      );
    this.loss.select('.series').attr('d', pathOf(x, yL, thin(d.steps, d.trainLoss, columns)));
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

    // 2. alignment on a fixed [0, 1]: both AGOPs are positive semi-definite, so the cosine is never negative.
    const yA = scaleLinear()
      .domain([0, 1])
      .range([HEIGHT - M.bottom, M.top]);
    if (xChanged || overlaysChanged)
      drawOverlays(
        this.align,
        x,
        yA,
        overlays.map((o) => ({ slot: o.slot, points: thin(o.agopStep, o.align, columns) })),
      );
    this.align.select('.series').attr('d', pathOf(x, yA, thin(d.agopStep, d.align, columns)));
    if (this.last.x === '') this.align.select<SVGGElement>('.y-axis').call(axisLeft(yA).ticks(5));

    const changes = batchChanges(d);
    for (const svg of [this.loss, this.align]) {
      this.drawBands(svg, x, xChanged, completed, d.steps);
      const lines = svg
        .select('.batch-changes')
        .selectAll<SVGLineElement, BatchChange>('line')
        .data(changes, (c) => String(c.step));
      lines.exit().remove();
      const newLines = lines
        .enter()
        .append('line')
        .attr('class', 'guide batch-change')
        .attr('y1', M.top)
        .attr('y2', HEIGHT - M.bottom);
      newLines.append('title').text((c) => `step ${c.step}: ${c.label}`);
      (xChanged ? newLines.merge(lines) : newLines)
        .attr('x1', (c) => x(c.step))
        .attr('x2', (c) => x(c.step))
        .attr('data-step', (c) => c.step);
      if (xChanged) svg.select<SVGGElement>('.x-axis').call(stepAxis(x, this.width));
    }
    this.last = { x: xKey, yLoss: yLKey, overlays: overlayKey };
    this.describe(d, completed, changes);
  }

  /** The catapult bands of one plot, keyed by their start. */
  private drawBands(
    svg: Svg,
    x: ScaleLinear<number, number>,
    xChanged: boolean,
    completed: CatapultEvent[],
    steps: number[],
  ): void {
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
      .attr('x', (e) => x(steps[e.start]))
      .attr('width', (e) => Math.max(1.5, x(steps[e.end as number]) - x(steps[e.start])));
  }

  /** Alt texts that state what the run shows so far. */
  private describe(d: AgopPlotData, spikes: CatapultEvent[], changes: BatchChange[]): void {
    const n = d.steps.length;
    if (n === 0) {
      this.loss.attr('aria-label', 'Full-train loss against step, log scale: no run yet.');
      this.align.attr('aria-label', 'AGOP alignment with the true AGOP against step: no run yet.');
      return;
    }
    const biggest = spikes.reduce<CatapultEvent | null>((b, e) => (b === null || e.ratio > b.ratio ? e : b), null);
    const spikeText = biggest
      ? `${spikes.length} catapult${spikes.length === 1 ? '' : 's'} detected, the largest ${short(biggest.ratio)}× at step ${d.steps[biggest.peak]}`
      : 'no catapult detected';
    const changeText = changes.length
      ? `; batch size changed at step ${changes.map((c) => `${c.step} (${c.label})`).join(', ')}`
      : '';
    this.loss.attr(
      'aria-label',
      `Full-train loss against step, log scale: from ${short(d.trainLoss[0])} to ${short(d.trainLoss[n - 1])} after ${n} steps; ${spikeText}${changeText}.`,
    );
    const a = d.align;
    this.align.attr(
      'aria-label',
      a.length
        ? `AGOP alignment cos(G, G*) against step: ${a[0].toFixed(2)} at step ${d.agopStep[0]}, ${a[a.length - 1].toFixed(2)} at step ${d.agopStep[a.length - 1]}, highest ${Math.max(...a).toFixed(2)}.`
        : 'AGOP alignment: not measured yet.',
    );
  }
}

/** |v| / max |v|: how the heatmaps scale a block (as the chapter's AGOP figure does). */
export function scaleBlock(values: readonly number[]): number[] {
  const mx = Math.max(...values.map(Math.abs));
  return values.map((v) => (mx > 0 ? Math.abs(v) / mx : 0));
}

/** Width of one heatmap panel in px (two fit side by side in the column, one per row on a phone). */
const PANEL_WIDTH = 226;

/**
 * The two heatmaps (model AGOP, true AGOP) inside one element, rendered by the site's figure
 * heatmap; a new block only rewrites the cells' opacity and tooltip, so a refresh costs ~100
 * attribute writes. `draws` counts the model blocks drawn (the benchmark reads it).
 */
export class AgopHeatmaps {
  draws = 0;
  private k = 0;
  private lastModel: readonly number[] | null = null;
  private lastTruth: readonly number[] | null = null;

  constructor(
    private readonly el: HTMLElement,
    private readonly idBase: string,
  ) {}

  /** Shows the k×k blocks (raw AGOP entries, row-major; null: not measured yet) and the step of the model's. */
  show(k: number, model: readonly number[] | null, modelStep: number | null, truth: readonly number[] | null): void {
    if (k !== this.k) {
      this.k = k;
      this.lastModel = this.lastTruth = null;
      this.el.innerHTML = [this.panel('model AGOP G', 'model'), this.panel('true AGOP G^*', 'true')].join('');
      // The renderer names each panel by its id; data-panel is how updates (and tests) find them.
      for (const which of ['model', 'true'])
        this.el.querySelector(`#${CSS.escape(`${this.idBase}-${which}`)}`)!.setAttribute('data-panel', which);
    }
    if (model !== this.lastModel) {
      this.fill('model', model, 'G');
      this.lastModel = model;
      const svg = this.el.querySelector<SVGSVGElement>('[data-panel="model"]')!;
      if (model) this.draws++;
      svg.dataset.step = modelStep === null ? '' : String(modelStep);
      svg.querySelector('title')!.textContent =
        modelStep === null
          ? `model AGOP G, top-left ${k}×${k} block: not measured yet`
          : `model AGOP G at step ${modelStep}, top-left ${k}×${k} block, scaled by its largest entry`;
    }
    if (truth !== this.lastTruth) {
      this.fill('true', truth, 'G*');
      this.lastTruth = truth;
    }
  }

  /** One empty panel from the figure heatmap, at the current k. */
  private panel(title: string, which: 'model' | 'true'): string {
    const k = this.k;
    return renderHeatmap(
      {
        title: `${title}, ${k}×${k}`,
        values: new Array(k * k).fill(0),
        rows: k,
        cols: k,
        domain: [0, 1],
        colorLabel: '|G| / max |G|',
      },
      `${this.idBase}-${which}`,
      PANEL_WIDTH,
    );
  }

  /** Writes a block's cells in place (opacity by the figure heatmap's ramp, tooltip with the scaled value). */
  private fill(which: 'model' | 'true', values: readonly number[] | null, name: string): void {
    const rects = this.el.querySelectorAll<SVGRectElement>(`[data-panel="${which}"] g.cells rect`);
    const scaled = values ? scaleBlock(values) : null;
    rects.forEach((r, i) => {
      const v = scaled ? scaled[i] : 0;
      r.setAttribute('fill-opacity', heatmapOpacity(v).toFixed(3));
      r.dataset.value = scaled ? v.toFixed(4) : '';
      const t = r.querySelector('title');
      const row = Math.floor(i / this.k) + 1;
      const col = (i % this.k) + 1;
      if (t)
        t.textContent = scaled
          ? `${name}[${row},${col}] = ${v.toFixed(3)} of the largest`
          : `${name}[${row},${col}]: not measured yet`;
    });
  }
}

/**
 * Build-time SVG for figures: D3 scales (no DOM) turn a typed figure spec into SVG strings, so every
 * figure is in the HTML with JavaScript off and in print. The same spec, serialised, feeds the hover
 * read-out and the JSON/CSV downloads. Deterministic: ids come from the figure label, numbers are
 * rounded for the SVG only (downloads carry full values).
 *
 * Layout is computed, not fixed: panels are drawn at the text column's width (one per row) or two
 * per row at half of it, with a narrow layout for phones; text is sized with estimated widths
 * (richText.ts) so nothing is cut off; legends go into a corner of the plot that no data, band or
 * reference line touches, else above the plot in rows that wrap; reference-line labels go where no
 * data is, else beside the plot (horizontal lines) or in a row above it (vertical lines). Labels
 * written with `_`/`^` get real sub- and superscripts.
 */
import { scaleLinear, scaleLog, scaleSymlog } from 'd3';
import { FIGURE_SVG_STYLE } from './figureStyle';
import { axisTicks, formatTick, type ScaleKind, type Tick } from './figureTicks';
import { richExtent, richHtml, richPlain, richSvg, richWidth, wrapRich } from './richText';

export { figureCsv } from './figureCsv';

export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond' | 'triangle-down' | 'cross' | 'plus';
/** Marker shapes in the order series get them. */
export const MARKER_SHAPES: MarkerShape[] = [
  'circle',
  'square',
  'triangle',
  'diamond',
  'triangle-down',
  'cross',
  'plus',
];

/** One line (or band, or set of markers) in a panel. y may contain null/NaN for gaps (e.g. not measured). */
export interface SeriesSpec {
  name: string;
  x: number[];
  y: (number | null)[];
  /** Optional band drawn under the line (e.g. min/max over seeds). */
  yLow?: (number | null)[];
  yHigh?: (number | null)[];
  /** Colour slot 0–7 (CSS variables --c0…--c7); defaults to the series index. Markers that would share a line's colour get another slot. */
  color?: number;
  dashed?: boolean;
  /** Draw markers instead of a line. */
  points?: boolean;
  /** Faint reference drawing (e.g. the NQM under the network). */
  faint?: boolean;
  /**
   * Marker shape. Default: points get the next shape of MARKER_SHAPES; lines get a few markers of
   * their shape when two or more lines share a panel (so they differ by more than colour). 'none'
   * draws none.
   */
  marker?: MarkerShape | 'none';
  /**
   * x values at which runs of this series diverged (e.g. the step a loss blew up, or the η of a
   * run with no finite result): drawn as ✕ in a "diverged" row above the plot, instead of a value.
   * Default: none.
   */
  divergedAt?: number[];
  /** Per point, what the read-out names for it (e.g. the run key of a scatter point). */
  pointLabels?: string[];
  /** Leave out of the legend (default: shown). */
  legend?: boolean;
}

export interface RefLine {
  value: number;
  label: string;
  /** Colour slot of the line and its label (default: grey), e.g. the run a 2/η line belongs to. */
  color?: number;
}

/** A shaded x range [from, to] of a panel, in data units, with a short label. */
export interface XSpan {
  from: number;
  to: number;
  label: string;
}

export interface PanelSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  yScale?: 'linear' | 'log';
  /** 'symlog': a log axis that keeps 0 (log step axes: 0, 1, 10, 100, …). */
  xScale?: 'linear' | 'log' | 'symlog';
  series: SeriesSpec[];
  hlines?: RefLine[];
  vlines?: RefLine[];
  /** Shaded x ranges behind the data (e.g. the catapult regime), clipped to the x domain; the label is the range's tooltip, so say in the caption what is shaded. */
  spans?: XSpan[];
  /** Fix the y domain (else from data). */
  yDomain?: [number, number];
  /** Fix the x domain, e.g. to zoom to where the action is (data outside is clipped). Default: the data's extent. */
  xDomain?: [number, number];
  /** Legend placement: 'auto' (a free corner of the plot, else above it; default), 'above', 'below' or 'none'. */
  legend?: 'auto' | 'above' | 'below' | 'none';
}

export interface FigureSpec {
  panels: PanelSpec[];
  /** Panels per row on a wide screen: 2 (default: pairs in order, an odd last one alone at full width) or 1. */
  columns?: 1 | 2;
  /** Explicit arrangement: panel indices per row (one or two each), e.g. [[0, 3], [1, 4], [2, 5]]. */
  rows?: number[][];
}

/** Design sizes: the desktop text column (wide), half of it (two per row, and phones), plot heights. */
export const FIGURE_WIDTHS = { wide: 696, narrow: 344, gap: 8, plotHeightWide: 220, plotHeightNarrow: 180 };

const F = { tick: 12, label: 12, legend: 12, ref: 12, title: 13 };
const PAD = 4;
const LINE = 16;
const TITLE_LINE = 17;
const MARKER_R = 3.3;
const LINE_MARKS = { wide: 6, narrow: 4 };

/** The two layouts a panel is drawn in: alone on a wide screen, and half-width (in a pair, or alone on a phone). */
export const PANEL_LAYOUTS = {
  wide: { width: FIGURE_WIDTHS.wide, plotHeight: FIGURE_WIDTHS.plotHeightWide, lineMarks: LINE_MARKS.wide },
  narrow: { width: FIGURE_WIDTHS.narrow, plotHeight: FIGURE_WIDTHS.plotHeightNarrow, lineMarks: LINE_MARKS.narrow },
} as const;

type Rect = { x0: number; y0: number; x1: number; y1: number };
type Anchor = 'start' | 'middle' | 'end';

const r2 = (v: number) => Math.round(v * 100) / 100;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const hit = (a: Rect, b: Rect) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
const grow = (a: Rect, d: number): Rect => ({ x0: a.x0 - d, y0: a.y0 - d, x1: a.x1 + d, y1: a.y1 + d });
const inside = (a: Rect, b: Rect) => a.x0 >= b.x0 && a.x1 <= b.x1 && a.y0 >= b.y0 && a.y1 <= b.y1;

function ok(v: number | null | undefined, kind: ScaleKind): v is number {
  return v !== null && v !== undefined && Number.isFinite(v) && (kind !== 'log' || v > 0);
}

/** Box of a text at (x, baseline y) with an anchor. */
function textBox(s: string, size: number, x: number, y: number, anchor: Anchor, bold = false): Rect {
  const w = richWidth(s, size, bold);
  const { ascent, descent } = richExtent(s, size);
  const x0 = anchor === 'start' ? x : anchor === 'middle' ? x - w / 2 : x - w;
  return { x0, x1: x0 + w, y0: y - ascent, y1: y + descent };
}

function textEl(s: string, size: number, x: number, y: number, anchor: Anchor, cls = '', extra = ''): string {
  return `<text x="${r2(x)}" y="${r2(y)}"${anchor !== 'start' ? ` text-anchor="${anchor}"` : ''}${cls ? ` class="${cls}"` : ''}${extra}>${richSvg(s, size)}</text>`;
}

// ------------------------------------------------------------------------------------------ domains

interface Domains {
  xKind: ScaleKind;
  yKind: ScaleKind;
  xd: [number, number];
  yd: [number, number];
  /** Some series draws markers at data points: inset the scales so none is cut at an edge. */
  markers: boolean;
  /** Distinct x values of the data (up to 11), ascending. */
  xValues: number[];
}

function domains(p: PanelSpec): Domains {
  const xKind: ScaleKind = p.xScale ?? 'linear';
  const yKind: ScaleKind = p.yScale ?? 'linear';
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of p.series) {
    s.x.forEach((x, i) => {
      if (!ok(x, xKind)) return;
      for (const v of [s.y[i], s.yLow?.[i], s.yHigh?.[i]])
        if (ok(v, yKind)) {
          xs.push(x);
          ys.push(v);
        }
    });
    for (const x of s.divergedAt ?? []) if (ok(x, xKind)) xs.push(x);
  }
  for (const l of p.vlines ?? []) if (ok(l.value, xKind)) xs.push(l.value);
  for (const l of p.hlines ?? []) if (ok(l.value, yKind)) ys.push(l.value);
  if (!xs.length || !ys.length)
    throw new Error(`figure panel "${p.title}": no finite data to draw (check the trace series)`);
  let x0 = Math.min(...xs);
  let x1 = Math.max(...xs);
  let y0 = Math.min(...ys);
  let y1 = Math.max(...ys);
  if (p.xDomain) [x0, x1] = p.xDomain;
  else {
    if (x0 === x1) {
      x0 = xKind === 'log' ? x0 / 2 : x0 - 1;
      x1 = xKind === 'log' ? x1 * 2 : x1 + 1;
    }
    // The axis starts where the data start; its end rounds up to a tick only when that is close.
    if (xKind === 'linear') {
      const n = scaleLinear().domain([x0, x1]).nice().domain();
      if (n[1] - x1 <= 0.04 * (x1 - x0)) x1 = n[1];
    }
  }
  if (p.yDomain) [y0, y1] = p.yDomain;
  else {
    if (y0 === y1) {
      y0 = yKind === 'log' ? y0 / 2 : y0 - 1;
      y1 = yKind === 'log' ? y1 * 2 : y1 + 1;
    }
    if (yKind === 'linear') [y0, y1] = scaleLinear().domain([y0, y1]).nice().domain() as [number, number];
  }
  const distinct = [...new Set(xs)].sort((a, b) => a - b);
  return {
    xKind,
    yKind,
    xd: [x0, x1],
    yd: [y0, y1],
    markers: p.series.some((s) => s.points || (s.divergedAt?.length ?? 0) > 0),
    xValues: distinct.length <= 10 ? distinct : [],
  };
}

function makeScale(kind: ScaleKind, d: [number, number], r: [number, number]) {
  const s = kind === 'log' ? scaleLog() : kind === 'symlog' ? scaleSymlog().constant(1) : scaleLinear();
  return s.domain(d).range(r) as (v: number) => number;
}

// ------------------------------------------------------------------------------ colours and markers

interface SeriesStyle {
  slot: number;
  /** Marker shape drawn at points (points series) or at a few places along a line; null for none. */
  marker: MarkerShape | null;
  lineMarks: boolean;
}

/** Colour slots and marker shapes of a panel's series (the same in every layout). */
function seriesStyles(p: PanelSpec): SeriesStyle[] {
  const slots = p.series.map((s, i) => (((s.color ?? i) % 8) + 8) % 8);
  const lineSlots = new Set(p.series.flatMap((s, i) => (s.points ? [] : [slots[i]])));
  const used = new Set(slots);
  // Markers never take the colour of a line in the same panel.
  p.series.forEach((s, i) => {
    if (!s.points || !lineSlots.has(slots[i])) return;
    const free = [3, 6, 4, 1, 2, 0, 5, 7].find((c) => !used.has(c));
    if (free !== undefined) {
      slots[i] = free;
      used.add(free);
    }
  });
  // Two or more solid lines in a panel: each gets a few markers of its own shape.
  const autoMarks = p.series.filter((s) => !s.points && !s.faint && s.marker !== 'none').length >= 2;
  let k = 0;
  return p.series.map((s, i) => {
    const wants = s.marker === 'none' ? false : s.points || s.marker !== undefined || (!s.faint && autoMarks);
    const marker = !wants
      ? null
      : s.marker && s.marker !== 'none'
        ? s.marker
        : MARKER_SHAPES[k++ % MARKER_SHAPES.length];
    return { slot: slots[i], marker, lineMarks: wants && !s.points };
  });
}

const STROKED: MarkerShape[] = ['cross', 'plus'];

/** Path data of one marker centred at (x, y). */
function markerPath(shape: MarkerShape, x: number, y: number, r = MARKER_R): string {
  const f = (v: number) => r2(v);
  switch (shape) {
    case 'square': {
      const a = r * 0.88;
      return `M${f(x - a)},${f(y - a)}h${f(2 * a)}v${f(2 * a)}h${f(-2 * a)}Z`;
    }
    case 'triangle':
      return `M${f(x)},${f(y - 1.2 * r)}L${f(x + 1.05 * r)},${f(y + 0.7 * r)}L${f(x - 1.05 * r)},${f(y + 0.7 * r)}Z`;
    case 'triangle-down':
      return `M${f(x)},${f(y + 1.2 * r)}L${f(x + 1.05 * r)},${f(y - 0.7 * r)}L${f(x - 1.05 * r)},${f(y - 0.7 * r)}Z`;
    case 'diamond':
      return `M${f(x)},${f(y - 1.25 * r)}L${f(x + 1.05 * r)},${f(y)}L${f(x)},${f(y + 1.25 * r)}L${f(x - 1.05 * r)},${f(y)}Z`;
    case 'cross': {
      const a = r * 0.95;
      return `M${f(x - a)},${f(y - a)}L${f(x + a)},${f(y + a)}M${f(x - a)},${f(y + a)}L${f(x + a)},${f(y - a)}`;
    }
    case 'plus': {
      const a = r * 1.15;
      return `M${f(x - a)},${f(y)}H${f(x + a)}M${f(x)},${f(y - a)}V${f(y + a)}`;
    }
    default:
      return '';
  }
}

/** Markers of one shape and colour as SVG: <circle>s, or one path for the other shapes. */
function markersSvg(shape: MarkerShape, slot: number, pts: [number, number][], cls: string, attrs = ''): string {
  if (!pts.length) return '';
  if (shape === 'circle')
    return `<g class="${cls} mk f${slot}"${attrs}>${pts.map(([x, y]) => `<circle cx="${r2(x)}" cy="${r2(y)}" r="${MARKER_R}"/>`).join('')}</g>`;
  const stroked = STROKED.includes(shape);
  return `<g class="${cls} ${stroked ? `mkx s${slot}` : `mk f${slot}`}"${attrs}><path d="${pts.map(([x, y]) => markerPath(shape, x, y)).join('')}"/></g>`;
}

// ----------------------------------------------------------------------------------- pixel geometry

/** Clips segment a–b to r (Liang–Barsky). */
function clipSeg(ax: number, ay: number, bx: number, by: number, r: Rect): [number, number, number, number] | null {
  let t0 = 0;
  let t1 = 1;
  const dx = bx - ax;
  const dy = by - ay;
  const tests: [number, number][] = [
    [-dx, ax - r.x0],
    [dx, r.x1 - ax],
    [-dy, ay - r.y0],
    [dy, r.y1 - ay],
  ];
  for (const [pp, q] of tests) {
    if (pp === 0) {
      if (q < 0) return null;
      continue;
    }
    const t = q / pp;
    if (pp < 0) {
      if (t > t1) return null;
      if (t > t0) t0 = t;
    } else {
      if (t < t0) return null;
      if (t < t1) t1 = t;
    }
  }
  return [ax + t0 * dx, ay + t0 * dy, ax + t1 * dx, ay + t1 * dy];
}

/**
 * Pixel polyline of a series: gaps break it; points closer than half a pixel in x are reduced to
 * their first, lowest, highest and last (so spikes survive); segments are clipped to `clip`.
 * Returns path data and the visible segments.
 */
function polyline(px: (number | null)[], py: (number | null)[], clip: Rect): { d: string; segs: number[][] } {
  const runs: [number, number][][] = [];
  let cur: [number, number][] = [];
  let bucket = NaN;
  let bpts: [number, number][] = [];
  const flushBucket = () => {
    if (!bpts.length) return;
    if (bpts.length <= 4) cur.push(...bpts);
    else {
      let lo = bpts[0];
      let hi = bpts[0];
      for (const q of bpts) {
        if (q[1] < lo[1]) lo = q;
        if (q[1] > hi[1]) hi = q;
      }
      const keep = [bpts[0], ...(bpts.indexOf(lo) < bpts.indexOf(hi) ? [lo, hi] : [hi, lo]), bpts[bpts.length - 1]];
      for (const q of keep) if (cur[cur.length - 1] !== q) cur.push(q);
    }
    bpts = [];
  };
  for (let i = 0; i < px.length; i++) {
    const x = px[i];
    const y = py[i];
    if (x === null || y === null || !Number.isFinite(x) || !Number.isFinite(y)) {
      flushBucket();
      if (cur.length) runs.push(cur);
      cur = [];
      bucket = NaN;
      continue;
    }
    const b = Math.floor(x * 2);
    if (b !== bucket) {
      flushBucket();
      bucket = b;
    }
    bpts.push([x, y]);
  }
  flushBucket();
  if (cur.length) runs.push(cur);
  const out: string[] = [];
  const segs: number[][] = [];
  for (const run of runs) {
    if (run.length === 1) {
      const [x, y] = run[0];
      if (x >= clip.x0 && x <= clip.x1 && y >= clip.y0 && y <= clip.y1) out.push(`M${r2(x)},${r2(y)}`);
      continue;
    }
    let pen: [number, number] | null = null;
    for (let i = 1; i < run.length; i++) {
      const c = clipSeg(run[i - 1][0], run[i - 1][1], run[i][0], run[i][1], clip);
      if (!c) {
        pen = null;
        continue;
      }
      const [x0, y0, x1, y1] = c.map(r2);
      if (!pen || pen[0] !== x0 || pen[1] !== y0) out.push(`M${x0},${y0}`);
      out.push(`L${x1},${y1}`);
      pen = [x1, y1];
      segs.push([x0, y0, x1, y1]);
    }
  }
  return { d: out.join(''), segs };
}

/** Occupancy of the plot area on a 2-px grid, with a summed-area table for box queries. */
class Occupancy {
  readonly cols: number;
  readonly rows: number;
  private cells: Uint8Array;
  private sat: Int32Array | null = null;
  constructor(
    readonly area: Rect,
    readonly cell = 2,
  ) {
    this.cols = Math.max(1, Math.ceil((area.x1 - area.x0) / cell));
    this.rows = Math.max(1, Math.ceil((area.y1 - area.y0) / cell));
    this.cells = new Uint8Array(this.cols * this.rows);
  }
  markBox(b: Rect): void {
    const c0 = Math.max(0, Math.floor((b.x0 - this.area.x0) / this.cell));
    const c1 = Math.min(this.cols - 1, Math.floor((b.x1 - this.area.x0) / this.cell));
    const q0 = Math.max(0, Math.floor((b.y0 - this.area.y0) / this.cell));
    const q1 = Math.min(this.rows - 1, Math.floor((b.y1 - this.area.y0) / this.cell));
    for (let q = q0; q <= q1; q++) for (let c = c0; c <= c1; c++) this.cells[q * this.cols + c] = 1;
    this.sat = null;
  }
  markSegment(x0: number, y0: number, x1: number, y1: number, rad: number): void {
    const n = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0) / this.cell));
    for (let k = 0; k <= n; k++) {
      const x = x0 + ((x1 - x0) * k) / n;
      const y = y0 + ((y1 - y0) * k) / n;
      this.markBox({ x0: x - rad, y0: y - rad, x1: x + rad, y1: y + rad });
    }
  }
  /** Whether any cell under the box is occupied (outside the area counts as free). */
  busy(b: Rect): boolean {
    if (!this.sat) {
      const s = new Int32Array((this.cols + 1) * (this.rows + 1));
      for (let q = 0; q < this.rows; q++)
        for (let c = 0; c < this.cols; c++) {
          s[(q + 1) * (this.cols + 1) + c + 1] =
            this.cells[q * this.cols + c] +
            s[q * (this.cols + 1) + c + 1] +
            s[(q + 1) * (this.cols + 1) + c] -
            s[q * (this.cols + 1) + c];
        }
      this.sat = s;
    }
    const c0 = Math.max(0, Math.floor((b.x0 - this.area.x0) / this.cell));
    const c1 = Math.min(this.cols - 1, Math.floor((b.x1 - this.area.x0) / this.cell));
    const q0 = Math.max(0, Math.floor((b.y0 - this.area.y0) / this.cell));
    const q1 = Math.min(this.rows - 1, Math.floor((b.y1 - this.area.y0) / this.cell));
    if (c0 > c1 || q0 > q1) return false;
    const s = this.sat;
    const W = this.cols + 1;
    return s[(q1 + 1) * W + c1 + 1] - s[q0 * W + c1 + 1] - s[(q1 + 1) * W + c0] + s[q0 * W + c0] > 0;
  }
}

// ------------------------------------------------------------------------------------------- layout

export interface LayoutOptions {
  /** Total width of the SVG. */
  width: number;
  /** Height of the plot area. */
  plotHeight: number;
  /** Put the plot's top at least this far down (to align panels side by side). */
  minPlotTop?: number;
  /** Make the SVG at least this tall. */
  minHeight?: number;
  /** Markers along lines: how many per line. */
  lineMarks?: number;
}

interface LegendEntry {
  name: string;
  kind: 'series' | 'href' | 'vref';
  series?: number;
  slot: number;
  width: number;
}

interface RefGeom {
  orient: 'h' | 'v';
  index: number;
  value: number;
  pos: number;
  label: string;
  slot?: number;
  /** Shares its label with another line: labelled once, in the legend. */
  grouped: boolean;
  text?: { x: number; y: number; anchor: Anchor; box: Rect };
}

interface LayoutState {
  legend: 'inside' | 'above' | 'below' | 'none';
  hOut: Set<number>;
  vOut: Set<number>;
  vRows: number;
}

export interface PanelLayout {
  w: number;
  h: number;
  plot: Rect;
  dom: Domains;
  x: (v: number) => number;
  y: (v: number) => number;
  xRange: [number, number];
  yRange: [number, number];
  xTicks: Tick[];
  yTicks: Tick[];
  title: { text: string; y: number }[];
  xLabel: { text: string; y: number }[];
  yLabel: { text: string; x: number }[];
  styles: SeriesStyle[];
  legend: { mode: LayoutState['legend']; items: { entry: LegendEntry; x: number; y: number }[]; box: Rect | null };
  refs: RefGeom[];
  divergedRow: number | null;
  lineMarks: number;
}

function legendEntries(p: PanelSpec, styles: SeriesStyle[], refs: RefGeom[]): LegendEntry[] {
  const out: LegendEntry[] = p.series
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => s.legend !== false)
    .map(({ s, i }) => ({ name: s.name, kind: 'series' as const, series: i, slot: styles[i].slot, width: 0 }));
  const seen = new Set<string>();
  for (const r of refs) {
    if (!r.grouped || seen.has(`${r.orient}${r.label}`)) continue;
    seen.add(`${r.orient}${r.label}`);
    out.push({ name: r.label, kind: r.orient === 'h' ? 'href' : 'vref', slot: r.slot ?? -1, width: 0 });
  }
  for (const e of out) e.width = 22 + 5 + richWidth(e.name, F.legend);
  return out;
}

/** Baselines of legend rows from `top`, at least LINE apart and further when sub/superscripts need it; and their height. */
function rowBaselines(rows: LegendEntry[][], top: number): { base: number[]; height: number } {
  const base: number[] = [];
  let prevDescent = 0;
  let y = top;
  rows.forEach((row, i) => {
    const ascent = Math.max(...row.map((e) => richExtent(e.name, F.legend).ascent), 12);
    const descent = Math.max(...row.map((e) => richExtent(e.name, F.legend).descent), 4);
    y = i === 0 ? top + Math.max(12, ascent) : y + Math.max(LINE, prevDescent + ascent + 1.5);
    base.push(y);
    prevDescent = descent;
  });
  return { base, height: base.length ? base[base.length - 1] + prevDescent - top : 0 };
}

/** Rows of legend entries that fit `width`, entries 14 px apart. */
function legendRows(entries: LegendEntry[], width: number): LegendEntry[][] {
  const rows: LegendEntry[][] = [];
  let cur: LegendEntry[] = [];
  let used = 0;
  for (const e of entries) {
    const need = (cur.length ? 14 : 0) + e.width;
    if (cur.length && used + need > width) {
      rows.push(cur);
      cur = [];
      used = 0;
    }
    used += (cur.length ? 14 : 0) + e.width;
    cur.push(e);
  }
  if (cur.length) rows.push(cur);
  return rows;
}

function tryLayout(
  p: PanelSpec,
  dom: Domains,
  styles: SeriesStyle[],
  o: LayoutOptions,
  st: LayoutState,
): { layout: PanelLayout; done: boolean } {
  const W = o.width;
  const ph = o.plotHeight;
  let done = true;
  // Title.
  const titleLines = wrapRich(p.title, F.title, W - 2 * PAD, true);
  let cursor = PAD;
  const title = titleLines.map((t, i) => ({ text: t, y: cursor + 12.5 + i * TITLE_LINE }));
  cursor += titleLines.length * TITLE_LINE + 3;
  // y axis: ticks depend on the plot height only.
  const yCount = Math.max(3, Math.floor(ph / 34));
  const yTicks = axisTicks(dom.yKind, dom.yd[0], dom.yd[1], yCount);
  const yTickW = Math.max(0, ...yTicks.filter((t) => t.label).map((t) => richWidth(t.label, F.tick)));
  const yLabelLines = wrapRich(p.yLabel, F.label, ph);
  const diverged = p.series.some((s) => (s.divergedAt ?? []).some((v) => ok(v, dom.xKind)));
  // Room for the y label, the tick labels and (if there is a diverged row) its name.
  let left = Math.max(
    PAD + yLabelLines.length * 15 + 5 + yTickW + 7,
    diverged ? PAD + richWidth('diverged', F.tick) + 8 : 0,
  );
  // Reference lines (pixel positions later); labels shared by several lines go to the legend.
  const refs: RefGeom[] = [];
  const count = (orient: 'h' | 'v', label: string) =>
    (orient === 'h' ? p.hlines : p.vlines)?.filter((l) => l.label === label).length ?? 0;
  (p.hlines ?? []).forEach(
    (l, i) =>
      ok(l.value, dom.yKind) &&
      refs.push({
        orient: 'h',
        index: i,
        value: l.value,
        pos: 0,
        label: l.label,
        slot: l.color,
        grouped: count('h', l.label) > 1,
      }),
  );
  (p.vlines ?? []).forEach(
    (l, i) =>
      ok(l.value, dom.xKind) &&
      refs.push({
        orient: 'v',
        index: i,
        value: l.value,
        pos: 0,
        label: l.label,
        slot: l.color,
        grouped: count('v', l.label) > 1,
      }),
  );
  const outH = refs.filter((r) => r.orient === 'h' && st.hOut.has(r.index));
  let right = Math.max(12, ...outH.map((r) => 10 + richWidth(r.label, F.ref)));
  // x axis: as many ticks as fit without their labels touching.
  let xTicks: Tick[] = [];
  let xr: [number, number] = [0, 0];
  let x = (v: number) => v;
  const inset = dom.markers ? MARKER_R + 4 : 0;
  for (let attempt = 0; attempt < 4; attempt++) {
    xr = [left + inset, W - right - inset];
    x = makeScale(dom.xKind, dom.xd, xr);
    const pw = W - right - left;
    const fits = (ts: Tick[]) => {
      const lab = ts
        .filter((t) => t.label)
        .map((t) => ({ c: x(t.value), w: richWidth(t.label, F.tick) }))
        .sort((a, b) => a.c - b.c);
      return lab.every((l, i) => i === 0 || l.c - lab[i - 1].c >= (l.w + lab[i - 1].w) / 2 + 10);
    };
    // A log x axis over a few distinct values (widths, batch sizes) is labelled at those values.
    const dataTicks =
      dom.xValues.length >= 3 && dom.xValues.length <= 10 && dom.xKind === 'log'
        ? dom.xValues.map((v) => ({ value: v, label: formatTick(v, v) }))
        : null;
    if (dataTicks && fits(dataTicks)) xTicks = dataTicks;
    else {
      for (let c = Math.max(2, Math.floor(pw / 55)); c >= 2; c--) {
        xTicks = axisTicks(dom.xKind, dom.xd[0], dom.xd[1], c).filter((t) => {
          const v = x(t.value);
          return v >= left - 0.5 && v <= W - right + 0.5;
        });
        if (fits(xTicks)) break;
      }
    }
    const lab = xTicks.filter((t) => t.label).map((t) => ({ c: x(t.value), w: richWidth(t.label, F.tick) }));
    const overR = Math.max(0, ...lab.map((l) => l.c + l.w / 2 - (W - PAD)));
    const overL = Math.max(0, ...lab.map((l) => PAD - (l.c - l.w / 2)));
    if (overR <= 0 && overL <= 0) break;
    right += overR;
    left += overL;
  }
  // Rows above the plot: legend (if above), reference labels moved out, diverged runs.
  const entries = legendEntries(p, styles, refs);
  const mode = entries.length === 0 ? 'none' : st.legend;
  const legendItems: { entry: LegendEntry; x: number; y: number }[] = [];
  const placeRows = (rows: LegendEntry[][], top: number, x0: number): number => {
    const ys = rowBaselines(rows, top);
    rows.forEach((row, ri) => {
      let lx = x0;
      for (const e of row) {
        legendItems.push({ entry: e, x: lx, y: ys.base[ri] });
        lx += e.width + 14;
      }
    });
    return ys.height;
  };
  if (mode === 'above') {
    const avail = W - left - PAD;
    const fits = entries.every((e) => e.width <= avail);
    const rows = legendRows(entries, fits ? avail : W - 2 * PAD);
    cursor += placeRows(rows, cursor, fits ? left : PAD) + 2;
  }
  const stripTop = cursor;
  cursor += st.vRows * LINE;
  const divergedRow = diverged ? cursor + 8 : null;
  if (diverged) cursor += LINE;
  const plotTop = Math.max(cursor + 9, o.minPlotTop ?? 0);
  const plot: Rect = { x0: left, y0: plotTop, x1: W - right, y1: plotTop + ph };
  const yr: [number, number] = [plot.y1 - inset, plot.y0 + inset];
  const y = makeScale(dom.yKind, dom.yd, yr);
  // Bottom: x tick labels, x label, legend below.
  const xLabelLines = wrapRich(p.xLabel, F.label, W - left - PAD);
  let bottom = plot.y1 + 4 + 2 + 11.5;
  const xLabel = xLabelLines.map((t, i) => ({ text: t, y: bottom + 4 + 12.5 + i * 15 }));
  bottom = xLabel[xLabel.length - 1].y + 3.5;
  if (mode === 'below') {
    const rows = legendRows(entries, W - left - PAD);
    bottom += 4 + placeRows(rows, bottom + 4, left);
  }
  const h = Math.max(Math.ceil(bottom + PAD), o.minHeight ?? 0);
  const yLabel = yLabelLines.map((t, i) => ({ text: t, x: PAD + 11 + i * 15 }));

  // Occupancy of the plot area: data, bands, markers, reference lines.
  const occ = new Occupancy(plot);
  const clip = grow(plot, 3);
  const lineMarks = o.lineMarks ?? LINE_MARKS.narrow;
  p.series.forEach((s, i) => {
    const sx = s.x.map((v) => (ok(v, dom.xKind) ? x(v) : null));
    if (s.yLow && s.yHigh) {
      for (let k = 1; k < s.x.length; k++) {
        const a = [sx[k - 1], s.yLow[k - 1], s.yHigh[k - 1]];
        const b = [sx[k], s.yLow[k], s.yHigh[k]];
        if (
          a[0] === null ||
          b[0] === null ||
          !ok(a[1], dom.yKind) ||
          !ok(a[2], dom.yKind) ||
          !ok(b[1], dom.yKind) ||
          !ok(b[2], dom.yKind)
        )
          continue;
        const n = Math.max(1, Math.ceil(Math.abs((b[0] as number) - (a[0] as number)) / 2));
        for (let q = 0; q <= n; q++) {
          const t = q / n;
          const xx = (a[0] as number) + ((b[0] as number) - (a[0] as number)) * t;
          const lo = y((a[1] as number) + ((b[1] as number) - (a[1] as number)) * t);
          const hi = y((a[2] as number) + ((b[2] as number) - (a[2] as number)) * t);
          occ.markBox({ x0: xx - 1, x1: xx + 1, y0: Math.min(lo, hi) - 1, y1: Math.max(lo, hi) + 1 });
        }
      }
    }
    const sy = s.y.map((v) => (ok(v, dom.yKind) ? y(v) : null));
    if (s.points) {
      sx.forEach(
        (vx, k) =>
          vx !== null &&
          sy[k] !== null &&
          occ.markBox(grow({ x0: vx, x1: vx, y0: sy[k]!, y1: sy[k]! }, MARKER_R + 2.5)),
      );
    } else {
      for (const [x0, y0, x1, y1] of polyline(sx, sy, clip).segs) occ.markSegment(x0, y0, x1, y1, 2.5);
      for (const [mx, my] of lineMarkPoints(sx, sy, styles, i, lineMarks))
        occ.markBox(grow({ x0: mx, x1: mx, y0: my, y1: my }, MARKER_R + 2.5));
    }
  });
  for (const r of refs) {
    r.pos = r.orient === 'h' ? y(r.value) : x(r.value);
    if (r.orient === 'h' && (r.pos < plot.y0 - 1 || r.pos > plot.y1 + 1)) r.pos = NaN;
    if (r.orient === 'v' && (r.pos < plot.x0 - 1 || r.pos > plot.x1 + 1)) r.pos = NaN;
    if (Number.isNaN(r.pos)) continue;
    if (r.orient === 'h') occ.markSegment(plot.x0, r.pos, plot.x1, r.pos, 1);
    else occ.markSegment(r.pos, plot.y0, r.pos, plot.y1, 1);
  }
  const placed: Rect[] = [];
  // Data is marked with its padding already; labels keep 4 px from their own line, so the 2-px cells never touch it.
  const free = (b: Rect, area = grow(plot, -2)) =>
    inside(b, area) && !occ.busy(b) && !placed.some((q) => hit(q, grow(b, 2)));

  // Legend inside: the first corner no data touches.
  let legendBox: Rect | null = null;
  if (mode === 'inside') {
    const bw = Math.max(...entries.map((e) => e.width)) + 10;
    const list = rowBaselines(
      entries.map((e) => [e]),
      2,
    );
    const bh = list.height + 4;
    const cands: [number, number][] = [
      [plot.x1 - 3 - bw, plot.y0 + 3],
      [plot.x0 + 3, plot.y0 + 3],
      [plot.x1 - 3 - bw, plot.y1 - 3 - bh],
      [plot.x0 + 3, plot.y1 - 3 - bh],
    ];
    const spot =
      bh <= ph * 0.6
        ? cands.map(([cx, cy]) => ({ x0: cx, y0: cy, x1: cx + bw, y1: cy + bh })).find((b) => free(b, plot))
        : undefined;
    if (!spot) {
      st.legend = 'above';
      return { layout: null as unknown as PanelLayout, done: false };
    }
    legendBox = spot;
    placed.push(spot);
    entries.forEach((e, i) => legendItems.push({ entry: e, x: spot.x0 + 5, y: spot.y0 + list.base[i] }));
  }

  // Reference-line labels.
  const stripRows: Rect[][] = [];
  const hMargin: RefGeom[] = [];
  for (const r of refs) {
    if (Number.isNaN(r.pos) || r.grouped) continue;
    const { ascent, descent } = richExtent(r.label, F.ref);
    if (r.orient === 'h') {
      if (st.hOut.has(r.index)) {
        hMargin.push(r);
        continue;
      }
      const above = r.pos - 4 - descent;
      const below = r.pos + 4 + ascent;
      const xsC: [number, Anchor][] = [
        [plot.x1 - 4, 'end'],
        [plot.x0 + 4, 'start'],
        ...[0.75, 0.5, 0.25].map((f) => [plot.x0 + f * (plot.x1 - plot.x0), 'middle'] as [number, Anchor]),
      ];
      let got: RefGeom['text'] | undefined;
      for (const [cx, anchor] of xsC) {
        for (const cy of [above, below]) {
          const box = textBox(r.label, F.ref, cx, cy, anchor);
          if (free(box)) {
            got = { x: cx, y: cy, anchor, box };
            break;
          }
        }
        if (got) break;
      }
      if (!got) {
        st.hOut.add(r.index);
        done = false;
        continue;
      }
      r.text = got;
      placed.push(got.box);
    } else {
      if (st.vOut.has(r.index)) continue;
      const ys = [plot.y0 + 3 + ascent, plot.y1 - 3 - descent, ...[0.25, 0.5, 0.75].map((f) => plot.y0 + f * ph)];
      let got: RefGeom['text'] | undefined;
      for (const cy of ys) {
        for (const [cx, anchor] of [
          [r.pos + 5, 'start'],
          [r.pos - 5, 'end'],
        ] as [number, Anchor][]) {
          const box = textBox(r.label, F.ref, cx, cy, anchor);
          if (free(box)) {
            got = { x: cx, y: cy, anchor, box };
            break;
          }
        }
        if (got) break;
      }
      if (!got) {
        st.vOut.add(r.index);
        done = false;
        continue;
      }
      r.text = got;
      placed.push(got.box);
    }
  }
  // Vertical-line labels moved out: rows above the plot, centred on their line.
  const vOut = refs
    .filter((r) => r.orient === 'v' && !r.grouped && !Number.isNaN(r.pos) && st.vOut.has(r.index))
    .sort((a, b) => a.pos - b.pos);
  for (const r of vOut) {
    const lw = richWidth(r.label, F.ref);
    const cx = Math.min(W - PAD - lw / 2, Math.max(PAD + lw / 2, r.pos));
    let row = stripRows.findIndex((rw) => !rw.some((b) => b.x1 + 8 > cx - lw / 2 && b.x0 - 8 < cx + lw / 2));
    if (row < 0) {
      row = stripRows.length;
      stripRows.push([]);
    }
    const cy = stripTop + 12 + row * LINE;
    const box = textBox(r.label, F.ref, cx, cy, 'middle');
    stripRows[row].push(box);
    r.text = { x: cx, y: cy, anchor: 'middle', box };
  }
  if (stripRows.length > st.vRows) {
    st.vRows = stripRows.length;
    done = false;
  }
  // Horizontal-line labels moved out: in the right margin at their line, stacked without overlap,
  // and kept above the x tick labels (the stack shifts up if it runs past the plot's foot).
  hMargin.sort((a, b) => a.pos - b.pos);
  const mx = plot.x1 + 5;
  let last = -Infinity;
  const items = hMargin.map((r) => {
    const e = richExtent(r.label, F.ref);
    const cy = Math.max(r.pos + 4.2, last + e.ascent + 1);
    last = cy + e.descent;
    return { r, cy, e };
  });
  let floor = plot.y1 + 4;
  for (let k = items.length - 1; k >= 0; k--) {
    items[k].cy = Math.min(items[k].cy, floor - items[k].e.descent);
    floor = items[k].cy - items[k].e.ascent - 1;
  }
  for (const { r, cy } of items)
    r.text = { x: mx, y: cy, anchor: 'start', box: textBox(r.label, F.ref, mx, cy, 'start') };

  const layout: PanelLayout = {
    w: W,
    h,
    plot,
    dom,
    x,
    y,
    xRange: xr,
    yRange: yr,
    xTicks,
    yTicks,
    title,
    xLabel,
    yLabel,
    styles,
    legend: { mode, items: legendItems, box: legendBox },
    refs,
    divergedRow,
    lineMarks,
  };
  return { layout, done };
}

/** Where a line's markers go: `count` points spread over its x-range, staggered between lines. */
function lineMarkPoints(
  sx: (number | null)[],
  sy: (number | null)[],
  styles: SeriesStyle[],
  i: number,
  count: number,
): [number, number][] {
  if (!styles[i].lineMarks || !styles[i].marker) return [];
  const idx = sx.map((_, k) => k).filter((k) => sx[k] !== null && sy[k] !== null);
  if (!idx.length) return [];
  const marked = styles.map((s, k) => (s.lineMarks ? k : -1)).filter((k) => k >= 0);
  const j = marked.indexOf(i);
  const n = marked.length;
  const a = sx[idx[0]]!;
  const b = sx[idx[idx.length - 1]]!;
  const out: [number, number][] = [];
  let p = 0;
  for (let k = 0; k < count; k++) {
    const target = a + ((b - a) * (k + (j + 1) / (n + 1))) / count;
    while (p + 1 < idx.length && Math.abs(sx[idx[p + 1]]! - target) <= Math.abs(sx[idx[p]]! - target)) p++;
    out.push([sx[idx[p]]!, sy[idx[p]]!]);
  }
  return out;
}

/** Lays out a panel: margins, ticks, legend and label positions, at the given size. */
export function layoutPanel(p: PanelSpec, o: LayoutOptions): PanelLayout {
  const dom = domains(p);
  const styles = seriesStyles(p);
  const wanted = p.legend ?? 'auto';
  const st: LayoutState = { legend: wanted === 'auto' ? 'inside' : wanted, hOut: new Set(), vOut: new Set(), vRows: 0 };
  let last: PanelLayout | null = null;
  for (let pass = 0; pass < 8; pass++) {
    const { layout, done } = tryLayout(p, dom, styles, o, st);
    if (layout) last = layout;
    if (done && layout) return layout;
  }
  return last!;
}

// ------------------------------------------------------------------------------------------ drawing

/** SVG of one laid-out panel. */
function drawPanel(p: PanelSpec, L: PanelLayout, id: string, cls: string, panelIndex: number): string {
  const { plot, x, y, dom, styles, w, h } = L;
  const out: string[] = [];
  const geom = {
    x: { kind: dom.xKind, domain: dom.xd, range: L.xRange },
    y: { kind: dom.yKind, domain: dom.yd, range: L.yRange },
    plot: [plot.x0, plot.y0, plot.x1, plot.y1].map(r2),
  };
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" class="${cls}" id="${id}" role="img" aria-labelledby="${id}-t" tabindex="0" data-panel="${panelIndex}" data-w="${w}" data-h="${h}" data-geom="${esc(JSON.stringify(geom))}">`,
  );
  out.push(`<title id="${id}-t">${esc(richPlain(p.title))}</title>`);
  out.push(FIGURE_SVG_STYLE);
  out.push(
    `<clipPath id="${id}-clip"><rect x="${r2(plot.x0 - 3)}" y="${r2(plot.y0 - 3)}" width="${r2(plot.x1 - plot.x0 + 6)}" height="${r2(plot.y1 - plot.y0 + 6)}"/></clipPath>`,
  );
  for (const t of L.title) out.push(textEl(t.text, F.title, PAD, t.y, 'start', 'title'));
  // Grid, axes, ticks.
  const grid = L.yTicks
    .filter((t) => t.label)
    .map((t) => `<line x1="${plot.x0}" x2="${plot.x1}" y1="${r2(y(t.value))}" y2="${r2(y(t.value))}"/>`);
  out.push(`<g class="grid" aria-hidden="true">${grid.join('')}</g>`);
  // Shaded x ranges, under everything drawn in the plot.
  for (const sp of p.spans ?? []) {
    if (!(sp.to > sp.from))
      throw new Error(`figure panel "${p.title}": span "${sp.label}" needs to > from, got [${sp.from}, ${sp.to}]`);
    const [a, b] = [x(sp.from), x(sp.to)].map((v) => Math.min(plot.x1, Math.max(plot.x0, v)));
    if (!(b > a)) continue;
    out.push(
      `<g class="span" data-label="${esc(sp.label)}"><rect class="span-fill" x="${r2(a)}" y="${r2(plot.y0)}" width="${r2(b - a)}" height="${r2(plot.y1 - plot.y0)}"/><title>${esc(richPlain(sp.label))}</title></g>`,
    );
  }
  const yAxis = L.yTicks.map((t) => {
    const py = r2(y(t.value));
    const len = t.label ? 4 : 2.5;
    return `<line class="tk${t.label ? '' : ' minor'}" x1="${r2(plot.x0 - len)}" x2="${plot.x0}" y1="${py}" y2="${py}"/>${t.label ? textEl(t.label, F.tick, plot.x0 - 6, py + 4.2, 'end', 'tick') : ''}`;
  });
  out.push(`<g class="axis" data-axis="y" data-scale="${dom.yKind}">${yAxis.join('')}</g>`);
  const xAxis = L.xTicks.map((t) => {
    const px = r2(x(t.value));
    const len = t.label ? 4 : 2.5;
    return `<line class="tk${t.label ? '' : ' minor'}" x1="${px}" x2="${px}" y1="${plot.y1}" y2="${r2(plot.y1 + len)}"/>${t.label ? textEl(t.label, F.tick, px, plot.y1 + 6 + 11.5, 'middle', 'tick') : ''}`;
  });
  out.push(`<g class="axis" data-axis="x" data-scale="${dom.xKind}">${xAxis.join('')}</g>`);
  out.push(`<path class="ax" d="M${plot.x0},${plot.y0}V${plot.y1}H${plot.x1}"/>`);
  L.xLabel.forEach((t, i) =>
    out.push(textEl(t.text, F.label, (plot.x0 + plot.x1) / 2, t.y, 'middle', i === 0 ? 'xlabel' : 'xlabel-cont')),
  );
  L.yLabel.forEach((t, i) =>
    out.push(
      `<text transform="translate(${r2(t.x)},${r2((plot.y0 + plot.y1) / 2)}) rotate(-90)" text-anchor="middle" class="${i === 0 ? 'ylabel' : 'ylabel-cont'}">${richSvg(t.text, F.label)}</text>`,
    ),
  );
  // Reference lines and their labels.
  for (const r of L.refs) {
    if (Number.isNaN(r.pos)) continue;
    const pos = r2(r.pos);
    const c = r.slot !== undefined ? ` r${r.slot}` : '';
    const ln =
      r.orient === 'h'
        ? `<line class="ref${c}" x1="${plot.x0}" x2="${plot.x1}" y1="${pos}" y2="${pos}"/>`
        : `<line class="ref${c}" x1="${pos}" x2="${pos}" y1="${plot.y1}" y2="${plot.y0}"/>`;
    const label = r.text
      ? textEl(r.label, F.ref, r.text.x, r.text.y, r.text.anchor, r.slot !== undefined ? `t${r.slot}` : 'muted')
      : '';
    out.push(`<g class="refline" data-label="${esc(r.label)}">${ln}${label}</g>`);
  }
  // Series, clipped to the plot.
  const clip = grow(plot, 3);
  const body: string[] = [];
  p.series.forEach((s, i) => {
    const { slot, marker } = styles[i];
    const sx = s.x.map((v) => (ok(v, dom.xKind) ? x(v) : null));
    const sy = s.y.map((v) => (ok(v, dom.yKind) ? y(v) : null));
    const name = esc(richPlain(s.name));
    if (s.yLow && s.yHigh) {
      const runs: number[][] = [];
      let cur: number[] = [];
      s.x.forEach((_, k) => {
        if (sx[k] !== null && ok(s.yLow![k], dom.yKind) && ok(s.yHigh![k], dom.yKind)) cur.push(k);
        else if (cur.length) {
          runs.push(cur);
          cur = [];
        }
      });
      if (cur.length) runs.push(cur);
      const cl = (v: number) => r2(Math.max(clip.y0 - 20, Math.min(clip.y1 + 20, v)));
      const d = runs
        .filter((run) => run.length > 1)
        .map(
          (run) =>
            `M${run.map((k) => `${r2(sx[k]!)},${cl(y(s.yHigh![k] as number))}`).join('L')}L${[...run]
              .reverse()
              .map((k) => `${r2(sx[k]!)},${cl(y(s.yLow![k] as number))}`)
              .join('L')}Z`,
        )
        .join('');
      if (d) body.push(`<path class="band f${slot}" d="${d}"/>`);
    }
    if (s.points) {
      const pts = sx
        .map((vx, k) => [vx, sy[k]] as const)
        .filter(
          (q): q is [number, number] =>
            q[0] !== null && q[1] !== null && q[0] >= clip.x0 && q[0] <= clip.x1 && q[1] >= clip.y0 && q[1] <= clip.y1,
        );
      body.push(
        markersSvg(marker ?? 'circle', slot, pts, 'series', ` data-series="${name}"`) ||
          `<g class="series" data-series="${name}"></g>`,
      );
    } else {
      const { d } = polyline(sx, sy, clip);
      body.push(
        `<path class="series ln s${slot}${s.dashed ? ' dash' : ''}${s.faint ? ' faint' : ''}" data-series="${name}" d="${d}"/>`,
      );
      const marks = lineMarkPoints(sx, sy, styles, i, L.lineMarks).filter(
        ([mx, my]) => my >= clip.y0 && my <= clip.y1 && mx >= clip.x0 && mx <= clip.x1,
      );
      if (marker && marks.length) body.push(markersSvg(marker, slot, marks, 'series-marks'));
    }
  });
  out.push(`<g clip-path="url(#${id}-clip)">${body.join('')}</g>`);
  // Diverged runs: ✕ in their own row above the plot.
  if (L.divergedRow !== null) {
    const row: string[] = [textEl('diverged', F.tick, plot.x0 - 6, L.divergedRow + 4.2, 'end', 'muted')];
    // Series that diverged at the same x sit side by side, so no ✕ hides another's.
    const at = p.series.map((s) => (s.divergedAt ?? []).filter((v) => ok(v, dom.xKind)).map((v) => x(v)));
    const key = (px: number) => Math.round(px / (2 * MARKER_R));
    const sharing = new Map<number, number[]>();
    at.forEach((xs, i) => xs.forEach((px) => sharing.set(key(px), [...(sharing.get(key(px)) ?? []), i])));
    at.forEach((xs, i) => {
      const pts = xs.map((px) => {
        const who = [...new Set(sharing.get(key(px)))];
        const k = who.indexOf(i);
        return [px + (k - (who.length - 1) / 2) * (2 * MARKER_R + 2), L.divergedRow!] as [number, number];
      });
      if (pts.length) row.push(markersSvg('cross', styles[i].slot, pts, 'series-marks diverged-marks'));
    });
    out.push(`<g class="diverged">${row.join('')}</g>`);
  }
  // Legend.
  if (L.legend.items.length) {
    const items = L.legend.items.map(({ entry: e, x: lx, y: ly }) => {
      const my = ly - 4;
      let sym = '';
      if (e.kind === 'series') {
        const s = p.series[e.series!];
        const st = styles[e.series!];
        if (s.yLow && s.yHigh)
          sym += `<rect class="band f${st.slot}" x="${r2(lx)}" y="${r2(my - 5)}" width="22" height="10"/>`;
        if (!s.points)
          sym += `<line class="ln s${st.slot}${s.dashed ? ' dash' : ''}${s.faint ? ' faint' : ''}" x1="${r2(lx)}" x2="${r2(lx + 22)}" y1="${r2(my)}" y2="${r2(my)}"/>`;
        if (st.marker) sym += markersSvg(st.marker, st.slot, [[lx + 11, my]], 'legend-mark');
      } else {
        const c = e.slot >= 0 ? ` r${e.slot}` : '';
        sym =
          e.kind === 'href'
            ? `<line class="ref-sym${c}" x1="${r2(lx)}" x2="${r2(lx + 22)}" y1="${r2(my)}" y2="${r2(my)}"/>`
            : `<line class="ref-sym${c}" x1="${r2(lx + 11)}" x2="${r2(lx + 11)}" y1="${r2(my - 6)}" y2="${r2(my + 6)}"/>`;
      }
      return `<g class="legend-item">${sym}${textEl(e.name, F.legend, lx + 27, ly, 'start')}</g>`;
    });
    out.push(`<g class="legend" data-placement="${L.legend.mode}">${items.join('')}</g>`);
  }
  out.push(`<g class="readout" aria-hidden="true"></g></svg>`);
  return out.join('');
}

/** Rows of panel indices: the spec's, or pairs in order (an odd last panel alone); one per row for columns: 1. */
export function figureRows(spec: FigureSpec): number[][] {
  if (spec.rows) return spec.rows.flatMap((r) => (r.length <= 2 ? [r] : r.map((i) => [i])));
  const n = spec.panels.length;
  if (spec.columns === 1 || n === 1) return spec.panels.map((_, i) => [i]);
  const rows: number[][] = [];
  for (let i = 0; i < n; i += 2) rows.push(i + 1 < n ? [i, i + 1] : [i]);
  return rows;
}

/**
 * A whole figure as HTML rows of SVG panels. A row of two gets two half-width panels with their plots
 * aligned; a panel alone gets a full-width layout for wide screens (class fig-wide) and a half-width
 * one for phones (fig-narrow, class fig-panel-alt); global.css shows one or the other.
 */
export function renderFigure(spec: FigureSpec, label: string): string {
  const rows = figureRows(spec).map((row) => {
    if (row.length === 2) {
      const o = PANEL_LAYOUTS.narrow;
      const first = row.map((i) => layoutPanel(spec.panels[i], o));
      const minPlotTop = Math.max(...first.map((l) => l.plot.y0));
      const minHeight = Math.ceil(Math.max(...first.map((l) => l.h - l.plot.y0)) + minPlotTop);
      const svgs = row.map((i) =>
        drawPanel(
          spec.panels[i],
          layoutPanel(spec.panels[i], { ...o, minPlotTop, minHeight }),
          `${label}-p${i}`,
          'fig-panel',
          i,
        ),
      );
      return `<div class="fig-row fig-row-2">${svgs.join('')}</div>`;
    }
    const i = row[0];
    const p = spec.panels[i];
    const wide = drawPanel(p, layoutPanel(p, PANEL_LAYOUTS.wide), `${label}-p${i}`, 'fig-panel fig-wide', i);
    const narrow = drawPanel(
      p,
      layoutPanel(p, PANEL_LAYOUTS.narrow),
      `${label}-p${i}-n`,
      'fig-panel-alt fig-narrow',
      i,
    );
    return `<div class="fig-row fig-row-1">${wide}${narrow}</div>`;
  });
  return rows.join('');
}

/** What the browser read-out needs per panel beside the spec: HTML names and axis labels, scales, colour slots. */
export function figureClientPanels(spec: FigureSpec) {
  return spec.panels.map((p) => {
    const styles = seriesStyles(p);
    // The values (x, y, point labels) are not repeated here: the client takes them from the spec.
    return {
      xLabel: richHtml(p.xLabel),
      yLabel: richHtml(p.yLabel),
      xScale: p.xScale ?? 'linear',
      yScale: p.yScale ?? 'linear',
      series: p.series.map((s, i) => ({ name: richHtml(s.name), points: !!s.points, slot: styles[i].slot })),
    };
  });
}

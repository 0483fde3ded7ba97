/**
 * Heatmaps for the figure engine: a colour bar with its scale (usable on its own inside any SVG) and
 * a whole heatmap panel (cells, title, colour bar, per-cell tooltips). Colour is one palette slot
 * (CSS variable, so dark mode and print follow the page) at an opacity that grows with the value,
 * the same ramp for cells and bar, so the bar reads the cells exactly.
 */
import { FIGURE_SVG_STYLE } from './figureStyle';
import { linearTicks } from './figureTicks';
import { richPlain, richSvg, richWidth, wrapRich } from './richText';

const r2 = (v: number) => Math.round(v * 100) / 100;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Opacity of a cell whose value sits at fraction t ∈ [0, 1] of the colour scale (never fully transparent). */
export const heatmapOpacity = (t: number) => 0.06 + 0.94 * Math.max(0, Math.min(1, t));

export interface ColorBarOptions {
  /** Top-left corner and size of the bar itself (ticks and label go to its right). */
  x: number;
  y: number;
  width?: number;
  height: number;
  /** Values at the bottom and the top of the bar. */
  domain: [number, number];
  /** Labelled values (default: about three "nice" ones). */
  ticks?: number[];
  /** Written vertically beside the tick labels. */
  label?: string;
  /** Palette slot 0–7 (default 0). */
  slot?: number;
  /** Steps of the ramp (default 24). */
  steps?: number;
}

/** Horizontal room a colour bar takes: bar, ticks, tick labels and label. */
export function colorBarWidth(o: Pick<ColorBarOptions, 'width' | 'domain' | 'ticks' | 'label'>): number {
  const ticks = o.ticks ?? linearTicks(o.domain[0], o.domain[1], 3).map((t) => t.value);
  const labels = ticks.map((v) => String(+v.toPrecision(3)));
  return (o.width ?? 12) + 4 + 3 + Math.max(...labels.map((l) => richWidth(l, 12))) + (o.label ? 6 + 14 : 0);
}

/** A vertical colour bar as an SVG <g>: the ramp, a frame, ticks with labels, and an optional label. */
export function colorBar(o: ColorBarOptions): string {
  const w = o.width ?? 12;
  const n = o.steps ?? 24;
  const slot = o.slot ?? 0;
  const [d0, d1] = o.domain;
  const at = (v: number) => o.y + o.height * (1 - (v - d0) / (d1 - d0 || 1));
  const cells: string[] = [];
  for (let k = 0; k < n; k++) {
    const y0 = o.y + (o.height * (n - 1 - k)) / n;
    cells.push(
      `<rect x="${r2(o.x)}" y="${r2(y0)}" width="${w}" height="${r2(o.height / n + 0.3)}" fill-opacity="${heatmapOpacity((k + 0.5) / n).toFixed(3)}"/>`,
    );
  }
  const ticks = (o.ticks ?? linearTicks(d0, d1, 3).map((t) => t.value)).filter(
    (v) => v >= Math.min(d0, d1) - 1e-12 && v <= Math.max(d0, d1) + 1e-12,
  );
  const tk = ticks.map((v) => {
    const y = r2(at(v));
    return `<line class="tk" x1="${r2(o.x + w)}" x2="${r2(o.x + w + 4)}" y1="${y}" y2="${y}"/><text class="tick" x="${r2(o.x + w + 7)}" y="${r2(y + 4.2)}">${esc(String(+v.toPrecision(3)).replace(/^-/, '−'))}</text>`;
  });
  let label = '';
  if (o.label) {
    const lx = o.x + w + 7 + Math.max(...ticks.map((v) => richWidth(String(+v.toPrecision(3)), 12))) + 6 + 10;
    label = `<text class="cbar-label" transform="translate(${r2(lx)},${r2(o.y + o.height / 2)}) rotate(-90)" text-anchor="middle">${richSvg(o.label, 12)}</text>`;
  }
  return `<g class="colorbar" data-domain="${d0},${d1}"><g class="f${slot}">${cells.join('')}</g><rect class="cbar-frame" x="${r2(o.x)}" y="${r2(o.y)}" width="${w}" height="${r2(o.height)}"/>${tk.join('')}${label}</g>`;
}

export interface HeatmapSpec {
  title: string;
  /** Row-major values, rows × cols. */
  values: number[];
  rows: number;
  cols: number;
  /** Colour scale (default: the values' min and max). */
  domain?: [number, number];
  /** Colour bar label (e.g. "|G| / max |G|"). */
  colorLabel?: string;
  /** Palette slot (default 0). */
  slot?: number;
  /** Tooltip of a cell (default "[r, c] = v", 1-based). */
  cellTitle?: (row: number, col: number, v: number) => string;
  /** Cell size in px (default: fills `width`). */
  cell?: number;
}

/** A heatmap panel as a standalone SVG: title, cells (one <rect> each, with a <title>), colour bar. */
export function renderHeatmap(h: HeatmapSpec, id: string, width = 344): string {
  const PAD = 4;
  const domain = h.domain ?? [Math.min(...h.values), Math.max(...h.values)];
  const barW = colorBarWidth({ domain, label: h.colorLabel });
  const titleLines = wrapRich(h.title, 13, width - 2 * PAD, true);
  const top = PAD + titleLines.length * 17 + 6;
  const cell = h.cell ?? Math.floor(Math.min((width - 2 * PAD - 12 - barW) / h.cols, 28));
  const gw = cell * h.cols;
  const gh = cell * h.rows;
  const total = { w: Math.max(width, PAD + gw + 12 + barW + PAD), h: top + gh + PAD + 4 };
  const t = (v: number) => (v - domain[0]) / (domain[1] - domain[0] || 1);
  const title = titleLines
    .map((l, i) => `<text class="title" x="${PAD}" y="${r2(PAD + 12.5 + i * 17)}">${richSvg(l, 13)}</text>`)
    .join('');
  const cells = h.values.map((v, i) => {
    const r = Math.floor(i / h.cols);
    const c = i % h.cols;
    const tip = h.cellTitle ? h.cellTitle(r, c, v) : `[${r + 1}, ${c + 1}] = ${+v.toPrecision(4)}`;
    return `<rect x="${PAD + c * cell}" y="${top + r * cell}" width="${cell - 1}" height="${cell - 1}" fill-opacity="${heatmapOpacity(t(v)).toFixed(3)}"><title>${esc(tip)}</title></rect>`;
  });
  const bar = colorBar({ x: PAD + gw + 12, y: top, height: gh, domain, label: h.colorLabel, slot: h.slot });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${total.w} ${total.h}" width="${total.w}" height="${total.h}" class="fig-panel heatmap" id="${id}" role="img" aria-labelledby="${id}-t" data-w="${total.w}" data-h="${total.h}"><title id="${id}-t">${esc(richPlain(h.title))}</title>${FIGURE_SVG_STYLE}${title}<g class="cells f${h.slot ?? 0}">${cells.join('')}</g>${bar}</svg>`;
}

/**
 * Build-time SVG for figures: D3 scales and path generators (no DOM) turn a typed figure spec into
 * an SVG string, so every figure is in the HTML with JavaScript off and in print. The same spec,
 * serialised, feeds the hover read-out and the JSON/CSV downloads. Deterministic: ids come from
 * the figure label, numbers are rounded for the SVG only (downloads carry full values).
 */
import { area, extent, line, scaleLinear, scaleLog } from 'd3';
import { FIGURE_SVG_STYLE } from './figureStyle';

/** One line (or band) in a panel. y may contain null/NaN for gaps (e.g. not measured). */
export interface SeriesSpec {
  name: string;
  x: number[];
  y: (number | null)[];
  /** Optional band drawn under the line (e.g. min/max over seeds). */
  yLow?: (number | null)[];
  yHigh?: (number | null)[];
  /** Colour slot 0–7 (CSS variables --c0…--c7); defaults to the series index. */
  color?: number;
  dashed?: boolean;
  /** Draw markers instead of a line. */
  points?: boolean;
  /** Faint reference drawing (e.g. the NQM under the network). */
  faint?: boolean;
}

export interface RefLine {
  value: number;
  label: string;
}

export interface PanelSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  yScale?: 'linear' | 'log';
  xScale?: 'linear' | 'log';
  series: SeriesSpec[];
  hlines?: RefLine[];
  vlines?: RefLine[];
  /** Fix the y domain (else from data). */
  yDomain?: [number, number];
}

export interface FigureSpec {
  panels: PanelSpec[];
  /** Panel width and height in px (SVG units). */
  width?: number;
  height?: number;
}

const M = { top: 28, right: 14, bottom: 42, left: 62 };
const r4 = (v: number) => Math.round(v * 100) / 100;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function ok(v: number | null | undefined, log: boolean): v is number {
  return v !== null && v !== undefined && Number.isFinite(v) && (!log || v > 0);
}

/** Scales of a panel, shared by the SVG renderer and (via serialised domains) the client read-out. */
export function panelScales(p: PanelSpec, w: number, h: number) {
  const ylog = p.yScale === 'log';
  const xlog = p.xScale === 'log';
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of p.series) {
    s.x.forEach((x, i) => {
      if (!ok(x, xlog)) return;
      for (const v of [s.y[i], s.yLow?.[i], s.yHigh?.[i]])
        if (ok(v, ylog)) {
          xs.push(x);
          ys.push(v);
        }
    });
  }
  for (const l of p.vlines ?? []) if (ok(l.value, xlog)) xs.push(l.value);
  for (const l of p.hlines ?? []) if (ok(l.value, ylog)) ys.push(l.value);
  if (!xs.length || !ys.length)
    throw new Error(`figure panel "${p.title}": no finite data to draw (check the trace series)`);
  let [x0, x1] = extent(xs) as [number, number];
  let [y0, y1] = p.yDomain ?? (extent(ys) as [number, number]);
  if (x0 === x1) {
    x0 -= 1;
    x1 += 1;
  }
  // Dots on the domain edge would be cut in half: pad point-only panels by 8 % (in log space for log x).
  if (p.series.some((s) => s.points)) {
    if (xlog) {
      const f = Math.pow(x1 / x0, 0.08);
      x0 /= f;
      x1 *= f;
    } else {
      const d = (x1 - x0) * 0.08;
      x0 -= d;
      x1 += d;
    }
  }
  if (y0 === y1) {
    y0 = ylog ? y0 / 2 : y0 - 1;
    y1 = ylog ? y1 * 2 : y1 + 1;
  }
  const x = (xlog ? scaleLog() : scaleLinear()).domain([x0, x1]).range([M.left, w - M.right]);
  const y = (ylog ? scaleLog() : scaleLinear()).domain([y0, y1]).range([h - M.bottom, M.top]);
  if (!ylog) (y as ReturnType<typeof scaleLinear<number>>).nice();
  if (!xlog) (x as ReturnType<typeof scaleLinear<number>>).nice();
  return { x, y, ylog, xlog };
}

function fmtTick(v: number, log: boolean): string {
  if (log) {
    const e = Math.log10(v);
    if (Math.abs(e - Math.round(e)) > 1e-9) return '';
    return Math.abs(e) <= 3 ? String(+v.toPrecision(3)) : `1e${Math.round(e)}`;
  }
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(0) : String(+v.toPrecision(4));
}

/** Renders one panel as an SVG string with a deterministic id prefix. */
export function renderPanel(p: PanelSpec, id: string, w = 420, h = 280): string {
  const { x, y, ylog, xlog } = panelScales(p, w, h);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" class="fig-panel" id="${id}" role="img" aria-labelledby="${id}-t" tabindex="0" data-w="${w}" data-h="${h}">`,
  );
  parts.push(`<title id="${id}-t">${esc(p.title)}</title>`);
  parts.push(FIGURE_SVG_STYLE);
  parts.push(`<text x="${M.left}" y="16" font-weight="600">${esc(p.title)}</text>`);
  // Grid and ticks.
  const yt = ylog ? (y.ticks(6) as number[]).filter((t) => fmtTick(t, true) !== '') : (y.ticks(5) as number[]);
  const xt = xlog ? (x.ticks(6) as number[]).filter((t) => fmtTick(t, true) !== '') : (x.ticks(6) as number[]);
  for (const t of yt) {
    const py = r4(y(t) as number);
    parts.push(
      `<line class="grid" x1="${M.left}" x2="${w - M.right}" y1="${py}" y2="${py}"/><text x="${M.left - 6}" y="${py + 4}" text-anchor="end">${fmtTick(t, ylog)}</text>`,
    );
  }
  for (const t of xt) {
    const px = r4(x(t) as number);
    parts.push(
      `<line class="ax" x1="${px}" x2="${px}" y1="${h - M.bottom}" y2="${h - M.bottom + 4}"/><text x="${px}" y="${h - M.bottom + 16}" text-anchor="middle">${fmtTick(t, xlog)}</text>`,
    );
  }
  parts.push(`<path class="ax" d="M${M.left},${M.top}V${h - M.bottom}H${w - M.right}"/>`);
  parts.push(
    `<text x="${(M.left + w - M.right) / 2}" y="${h - 6}" text-anchor="middle" class="xlabel">${esc(p.xLabel)}</text>`,
  );
  parts.push(
    `<text transform="translate(14,${(M.top + h - M.bottom) / 2}) rotate(-90)" text-anchor="middle" class="ylabel">${esc(p.yLabel)}</text>`,
  );
  // Reference lines.
  const [xa, xb] = x.range();
  const [ya, yb] = y.range();
  for (const l of p.hlines ?? []) {
    if (!ok(l.value, ylog)) continue;
    const py = r4(y(l.value) as number);
    if (py < yb - 1 || py > ya + 1) continue;
    parts.push(
      `<g class="refline" data-label="${esc(l.label)}"><line class="ref" x1="${xa}" x2="${xb}" y1="${py}" y2="${py}"/><text x="${xb - 2}" y="${py - 3}" text-anchor="end">${esc(l.label)}</text></g>`,
    );
  }
  for (const l of p.vlines ?? []) {
    if (!ok(l.value, xlog)) continue;
    const px = r4(x(l.value) as number);
    // Labels sit at the foot of the line, away from the legend in the top-right corner.
    parts.push(
      `<g class="refline" data-label="${esc(l.label)}"><line class="ref" x1="${px}" x2="${px}" y1="${ya}" y2="${yb}"/><text x="${px + 3}" y="${ya - 5}">${esc(l.label)}</text></g>`,
    );
  }
  // Series.
  p.series.forEach((s, i) => {
    const c = (s.color ?? i) % 8;
    const cls = `${s.faint ? ' faint' : ''}`;
    const idx = s.x.map((_, k) => k).filter((k) => ok(s.x[k], xlog));
    if (s.yLow && s.yHigh) {
      const band = area<number>()
        .defined((k) => ok(s.yLow![k], ylog) && ok(s.yHigh![k], ylog))
        .x((k) => r4(x(s.x[k]) as number))
        .y0((k) => r4(y(s.yLow![k] as number) as number))
        .y1((k) => r4(y(s.yHigh![k] as number) as number))(idx);
      if (band) parts.push(`<path class="band f${c}" d="${band}"/>`);
    }
    if (s.points) {
      const dots = idx
        .filter((k) => ok(s.y[k], ylog))
        .map((k) => `<circle cx="${r4(x(s.x[k]) as number)}" cy="${r4(y(s.y[k] as number) as number)}" r="3"/>`);
      parts.push(`<g class="series f${c}${cls}" data-series="${esc(s.name)}">${dots.join('')}</g>`);
    } else {
      const d = line<number>()
        .defined((k) => ok(s.y[k], ylog))
        .x((k) => r4(x(s.x[k]) as number))
        .y((k) => r4(y(s.y[k] as number) as number))(idx);
      parts.push(
        `<path class="series ln s${c}${s.dashed ? ' dash' : ''}${cls}" data-series="${esc(s.name)}" d="${d ?? ''}"/>`,
      );
    }
  });
  // Legend.
  p.series.forEach((s, i) => {
    const c = (s.color ?? i) % 8;
    const ly = M.top + 4 + i * 14;
    parts.push(
      `<g class="legend"><line class="ln s${c}${s.dashed ? ' dash' : ''}${s.faint ? ' faint' : ''}" x1="${w - M.right - 118}" x2="${w - M.right - 100}" y1="${ly}" y2="${ly}"/><text x="${w - M.right - 96}" y="${ly + 4}">${esc(s.name)}</text></g>`,
    );
  });
  parts.push(`<g class="readout" aria-hidden="true"></g></svg>`);
  return parts.join('');
}

/** Serialisable scale domains and ranges so the client can invert pointer positions. */
export function panelGeometry(p: PanelSpec, w = 420, h = 280) {
  const { x, y, ylog, xlog } = panelScales(p, w, h);
  return { xDomain: x.domain(), xRange: x.range(), yDomain: y.domain(), yRange: y.range(), ylog, xlog };
}

/** Long-format CSV (panel, series, x, y[, yLow, yHigh]) of everything a figure draws. */
export function figureCsv(spec: FigureSpec): string {
  const rows = ['panel,series,x,y,yLow,yHigh'];
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const v = (n: number | null | undefined) => (n === null || n === undefined || !Number.isFinite(n) ? '' : String(n));
  for (const p of spec.panels) {
    for (const s of p.series) {
      s.x.forEach((x, i) =>
        rows.push([q(p.title), q(s.name), v(x), v(s.y[i]), v(s.yLow?.[i]), v(s.yHigh?.[i])].join(',')),
      );
    }
  }
  return rows.join('\n') + '\n';
}

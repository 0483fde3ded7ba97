/**
 * Browser side of <Figure>: hover and keyboard read-outs, and downloads of the figure as SVG/PNG
 * and of its data as JSON/CSV. Plain DOM, no D3 and no tfjs.
 *
 * The read-out lists only the series that have a point near the hovered x (so a series of markers
 * shows up only at its markers); in a panel of markers alone (a scatter) it names the one point
 * nearest the pointer, with its label (the run) when the spec gives one. Each SVG carries its own
 * scales (data-geom), so the wide and the narrow layout of a panel both work.
 *
 * The page holds each figure's data once (the JSON download's object, gzipped; figurePayload.ts):
 * it is decoded (synchronously, a few milliseconds) on the first read-out or download the figure
 * is asked for, and the read-out, the JSON and the CSV download all come from it.
 */
import type { FigureSpec } from './figure';
import { figureCsv } from './figureCsv';
import { decodeFigurePayload } from './figurePayloadDecode';
import { saveBlob as save } from './download';

type Kind = 'linear' | 'log' | 'symlog';
interface AxisGeom {
  kind: Kind;
  domain: number[];
  range: number[];
}
interface Geom {
  x: AxisGeom;
  y: AxisGeom;
  plot: number[];
}
interface SeriesData {
  name: string;
  x: number[];
  y: (number | null)[];
  points: boolean;
  slot: number;
  labels?: string[];
}
interface PanelData {
  xLabel: string;
  yLabel: string;
  series: SeriesData[];
}
/** What the page embeds per figure (Figure.astro): names and styles, and the data once, encoded. */
interface Embedded {
  label: string;
  panels: (Omit<PanelData, 'series'> & { series: Omit<SeriesData, 'x' | 'y' | 'labels'>[] })[];
  payload: string;
}
/** The JSON download's object (Figure.astro's `payload`), as far as the client reads it. */
interface Payload {
  spec: FigureSpec;
}
interface ClientData {
  label: string;
  panels: PanelData[];
  json: Payload;
}

/** The embedded names and styles joined with the values of the decoded spec. */
function clientData(e: Embedded, json: Payload): ClientData {
  const panels = e.panels.map((p, k) => ({
    ...p,
    series: p.series.map((s, i) => {
      const src = json.spec.panels[k].series[i];
      return { ...s, x: src.x, y: src.y, ...(src.pointLabels ? { labels: src.pointLabels } : {}) };
    }),
  }));
  return { label: e.label, panels, json };
}

const NS = 'http://www.w3.org/2000/svg';
/** How close (px) a series' point must be to the hovered x to be reported; a scatter point to the pointer. */
const NEAR_X = 8;
const NEAR_POINT = 16;

const T = (k: Kind, v: number) =>
  k === 'log' ? Math.log(v) : k === 'symlog' ? Math.sign(v) * Math.log1p(Math.abs(v)) : v;
const Tinv = (k: Kind, t: number) =>
  k === 'log' ? Math.exp(t) : k === 'symlog' ? Math.sign(t) * Math.expm1(Math.abs(t)) : t;
function forward(a: AxisGeom, v: number): number {
  const t0 = T(a.kind, a.domain[0]);
  const t = (T(a.kind, v) - t0) / (T(a.kind, a.domain[1]) - t0);
  return a.range[0] + t * (a.range[1] - a.range[0]);
}
function invert(a: AxisGeom, px: number): number {
  const t = (px - a.range[0]) / (a.range[1] - a.range[0]);
  const t0 = T(a.kind, a.domain[0]);
  return Tinv(a.kind, t0 + t * (T(a.kind, a.domain[1]) - t0));
}
const finite = (v: number | null | undefined): v is number => v !== null && v !== undefined && Number.isFinite(v);
function nearest(xs: number[], x: number): number {
  let best = -1;
  for (let i = 0; i < xs.length; i++)
    if (finite(xs[i]) && (best < 0 || Math.abs(xs[i] - x) < Math.abs(xs[best] - x))) best = i;
  return best;
}
const fmt = (v: number | null) =>
  v === null || !Number.isFinite(v)
    ? '—'
    : Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0)
      ? v.toExponential(3)
      : String(+v.toPrecision(4));

/** The panels as laid out on screen (the visible layout), in one standalone SVG at design size. */
function combinedSvg(fig: HTMLElement): { text: string; width: number; height: number } {
  const box = fig.querySelector('.panels')!.getBoundingClientRect();
  const panels = [...fig.querySelectorAll<SVGSVGElement>('.panels svg')].filter(
    (p) => p.getBoundingClientRect().width > 0,
  );
  let width = 0;
  let height = 0;
  const inner = panels.map((p) => {
    const r = p.getBoundingClientRect();
    const f = Number(p.dataset.w) / r.width || 1;
    const clone = p.cloneNode(true) as SVGSVGElement;
    const x = Math.round((r.left - box.left) * f);
    const y = Math.round((r.top - box.top) * f);
    clone.setAttribute('x', String(x));
    clone.setAttribute('y', String(y));
    clone.querySelector('.readout')?.replaceChildren();
    width = Math.max(width, x + Number(p.dataset.w));
    height = Math.max(height, y + Number(p.dataset.h));
    return new XMLSerializer().serializeToString(clone);
  });
  const text = `<svg xmlns="${NS}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><rect width="100%" height="100%" fill="#ffffff"/>${inner.join('')}</svg>`;
  return { text, width, height };
}

function download(fig: HTMLElement, data: ClientData, kind: string): void {
  const name = data.label;
  if (kind === 'json')
    return save(`${name}.json`, new Blob([JSON.stringify(data.json, null, 1)], { type: 'application/json' }));
  if (kind === 'csv') return save(`${name}.csv`, new Blob([figureCsv(data.json.spec)], { type: 'text/csv' }));
  const svg = combinedSvg(fig);
  if (kind === 'svg') return save(`${name}.svg`, new Blob([svg.text], { type: 'image/svg+xml' }));
  const img = new Image();
  img.onload = () => {
    const canvas = document.createElement('canvas');
    canvas.width = svg.width * 2;
    canvas.height = svg.height * 2;
    const ctx = canvas.getContext('2d')!;
    ctx.scale(2, 2);
    ctx.drawImage(img, 0, 0);
    canvas.toBlob((b) => b && save(`${name}.png`, b), 'image/png');
  };
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg.text)}`;
}

function mark(layer: Element, x: number, y: number): void {
  const c = document.createElementNS(NS, 'circle');
  c.setAttribute('cx', String(x));
  c.setAttribute('cy', String(y));
  c.setAttribute('r', '4.5');
  layer.append(c);
}

/** Shows the read-out at pixel x (and y, for scatters) of one SVG panel; returns the x reported. */
function showReadout(
  fig: HTMLElement,
  P: PanelData,
  g: Geom,
  svg: SVGSVGElement,
  px: number,
  py: number | null,
): number | null {
  const out = fig.querySelector<HTMLElement>('.readout-text');
  const layer = svg.querySelector('.readout');
  layer?.replaceChildren();
  const [x0, y0, x1, y1] = g.plot;
  const inPlot = (x: number, y: number) => x >= x0 - 4 && x <= x1 + 4 && y >= y0 - 4 && y <= y1 + 4;
  if (P.series.every((s) => s.points) && py !== null) {
    let best: { s: SeriesData; i: number; d: number } | null = null;
    for (const s of P.series) {
      s.x.forEach((xv, i) => {
        const yv = s.y[i];
        if (!finite(xv) || !finite(yv)) return;
        const d = Math.hypot(forward(g.x, xv) - px, forward(g.y, yv) - py);
        if (!best || d < best.d) best = { s, i, d };
      });
    }
    const b = best as { s: SeriesData; i: number; d: number } | null;
    if (!b || b.d > NEAR_POINT) {
      if (out) out.textContent = '';
      return null;
    }
    const xv = b.s.x[b.i];
    const yv = b.s.y[b.i] as number;
    const label = b.s.labels?.[b.i];
    if (out)
      out.innerHTML = `${b.s.name}${label ? ` (run ${escapeHtml(label)})` : ''}: ${P.xLabel} = ${fmt(xv)}, ${P.yLabel} = ${fmt(yv)}`;
    if (layer) mark(layer, forward(g.x, xv), forward(g.y, yv));
    return xv;
  }
  const xHover = invert(g.x, px);
  let xShown: number | null = null;
  const parts: string[] = [];
  for (const s of P.series) {
    const i = nearest(s.x, xHover);
    if (i < 0 || !finite(s.y[i])) continue;
    const sx = forward(g.x, s.x[i]);
    if (Math.abs(sx - px) > NEAR_X) continue;
    if (xShown === null) xShown = s.x[i];
    const label = s.labels?.[i];
    parts.push(`${s.name}${label ? ` (${escapeHtml(label)})` : ''} ${fmt(s.y[i])}`);
    const sy = forward(g.y, s.y[i] as number);
    if (layer && inPlot(sx, sy)) mark(layer, sx, sy);
  }
  const xv = xShown ?? xHover;
  if (out) out.innerHTML = parts.length ? `${P.xLabel} = ${fmt(xv)}: ${parts.join(' · ')}` : `${P.xLabel} = ${fmt(xv)}`;
  if (layer) {
    const line = document.createElementNS(NS, 'line');
    const lx = String(forward(g.x, xv));
    line.setAttribute('x1', lx);
    line.setAttribute('x2', lx);
    line.setAttribute('y1', String(y0));
    line.setAttribute('y2', String(y1));
    layer.prepend(line);
  }
  return xv;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The x positions the keyboard steps through: every x any series has, in order. */
function keyXs(P: PanelData): number[] {
  const all = new Set<number>();
  for (const s of P.series) s.x.forEach((x, i) => finite(x) && finite(s.y[i]) && all.add(x));
  return [...all].sort((a, b) => a - b);
}

/** Wires every <Figure> on the page once. */
export function initFigures(): void {
  for (const fig of document.querySelectorAll<HTMLElement>('figure.fig[data-figure]')) {
    if (fig.dataset.ready) continue;
    fig.dataset.ready = '1';
    const embedded = JSON.parse(fig.querySelector('script.fig-data')!.textContent!) as Embedded;
    let decoded: ClientData | null = null;
    const data = (): ClientData => (decoded ??= clientData(embedded, decodeFigurePayload(embedded.payload) as Payload));
    fig
      .querySelectorAll<HTMLButtonElement>('button[data-download]')
      .forEach((b) => b.addEventListener('click', () => download(fig, data(), b.dataset.download!)));
    fig.querySelectorAll<SVGSVGElement>('svg[data-geom]').forEach((svg) => {
      const k = Number(svg.dataset.panel);
      const g = JSON.parse(svg.dataset.geom!) as Geom;
      if (!embedded.panels[k]) return;
      let idx = 0;
      const scatter = embedded.panels[k].series.every((s) => s.points);
      const pointAt = (P: PanelData, x: number): number | null => {
        // For a scatter, the keyboard goes point by point: the first point at this x.
        for (const s of P.series) {
          const i = s.x.indexOf(x);
          if (i >= 0 && finite(s.y[i])) return forward(g.y, s.y[i] as number);
        }
        return null;
      };
      const showKey = (P: PanelData) => {
        const xs = keyXs(P);
        if (xs.length) showReadout(fig, P, g, svg, forward(g.x, xs[idx]), scatter ? pointAt(P, xs[idx]) : null);
      };
      svg.addEventListener('pointermove', (ev) => {
        const r = svg.getBoundingClientRect();
        const f = Number(svg.dataset.w) / r.width;
        const px = (ev.clientX - r.left) * f;
        const py = (ev.clientY - r.top) * f;
        showReadout(fig, data().panels[k], g, svg, px, py);
      });
      svg.addEventListener('keydown', (ev) => {
        if (ev.key !== 'ArrowLeft' && ev.key !== 'ArrowRight' && ev.key !== 'Home' && ev.key !== 'End') return;
        ev.preventDefault();
        const P = data().panels[k];
        const n = keyXs(P).length;
        idx =
          ev.key === 'Home'
            ? 0
            : ev.key === 'End'
              ? n - 1
              : Math.max(0, Math.min(n - 1, idx + (ev.key === 'ArrowRight' ? 1 : -1)));
        showKey(P);
      });
      svg.addEventListener('focus', () => showKey(data().panels[k]));
    });
  }
}

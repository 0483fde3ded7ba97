/**
 * Browser side of <Figure>: hover and keyboard read-outs (nearest recorded x), and downloads of
 * the figure as SVG/PNG and of its data as JSON/CSV. Plain DOM, no D3 and no tfjs.
 */
interface Geometry {
  xDomain: number[];
  xRange: number[];
  yDomain: number[];
  yRange: number[];
  ylog: boolean;
  xlog: boolean;
}
interface ClientData {
  label: string;
  geometry: Geometry[];
  series: { name: string; x: number[]; y: (number | null)[] }[][];
  xLabels: string[];
  csv: string;
  json: unknown;
}

const NS = 'http://www.w3.org/2000/svg';

function invert(g: Geometry, px: number): number {
  const t = (px - g.xRange[0]) / (g.xRange[1] - g.xRange[0]);
  if (g.xlog) return Math.exp(Math.log(g.xDomain[0]) + t * (Math.log(g.xDomain[1]) - Math.log(g.xDomain[0])));
  return g.xDomain[0] + t * (g.xDomain[1] - g.xDomain[0]);
}
function forward(g: Geometry, x: number): number {
  const t = g.xlog
    ? (Math.log(x) - Math.log(g.xDomain[0])) / (Math.log(g.xDomain[1]) - Math.log(g.xDomain[0]))
    : (x - g.xDomain[0]) / (g.xDomain[1] - g.xDomain[0]);
  return g.xRange[0] + t * (g.xRange[1] - g.xRange[0]);
}
function nearest(xs: number[], x: number): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (Math.abs(xs[i] - x) < Math.abs(xs[best] - x)) best = i;
  return best;
}
const fmt = (v: number | null) =>
  v === null || !Number.isFinite(v)
    ? '—'
    : Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0)
      ? v.toExponential(3)
      : String(+v.toPrecision(4));

function save(name: string, blob: Blob): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** All panels side by side in one standalone SVG (styles inside each panel carry fallback colours). */
function combinedSvg(fig: HTMLElement): { text: string; width: number; height: number } {
  const panels = [...fig.querySelectorAll<SVGSVGElement>('svg.fig-panel')];
  let x = 0;
  let height = 0;
  const inner = panels.map((p) => {
    const w = Number(p.dataset.w);
    const h = Number(p.dataset.h);
    const clone = p.cloneNode(true) as SVGSVGElement;
    clone.setAttribute('x', String(x));
    clone.querySelector('.readout')?.replaceChildren();
    x += w;
    height = Math.max(height, h);
    return new XMLSerializer().serializeToString(clone);
  });
  const text = `<svg xmlns="${NS}" width="${x}" height="${height}" viewBox="0 0 ${x} ${height}"><rect width="100%" height="100%" fill="#ffffff"/>${inner.join('')}</svg>`;
  return { text, width: x, height };
}

function download(fig: HTMLElement, data: ClientData, kind: string): void {
  const name = data.label;
  if (kind === 'json')
    return save(`${name}.json`, new Blob([JSON.stringify(data.json, null, 1)], { type: 'application/json' }));
  if (kind === 'csv') return save(`${name}.csv`, new Blob([data.csv], { type: 'text/csv' }));
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

function showReadout(fig: HTMLElement, data: ClientData, panel: number, svg: SVGSVGElement, x: number): number {
  const series = data.series[panel];
  const g = data.geometry[panel];
  const lead = series[0];
  const i = nearest(lead.x, x);
  const xv = lead.x[i];
  const parts = series.map((s) => `${s.name} ${fmt(s.y[nearest(s.x, xv)])}`);
  const out = fig.querySelector<HTMLElement>('.readout-text');
  if (out) out.textContent = `${data.xLabels[panel]} = ${fmt(xv)}: ${parts.join(' · ')}`;
  const layer = svg.querySelector('.readout');
  if (layer) {
    const px = forward(g, xv);
    const line = document.createElementNS(NS, 'line');
    line.setAttribute('x1', String(px));
    line.setAttribute('x2', String(px));
    line.setAttribute('y1', String(g.yRange[1]));
    line.setAttribute('y2', String(g.yRange[0]));
    line.setAttribute('class', 'ref');
    layer.replaceChildren(line);
  }
  return i;
}

/** Wires every <Figure> on the page once. */
export function initFigures(): void {
  for (const fig of document.querySelectorAll<HTMLElement>('figure.fig[data-figure]')) {
    if (fig.dataset.ready) continue;
    fig.dataset.ready = '1';
    const data = JSON.parse(fig.querySelector('script.fig-data')!.textContent!) as ClientData;
    fig
      .querySelectorAll<HTMLButtonElement>('button[data-download]')
      .forEach((b) => b.addEventListener('click', () => download(fig, data, b.dataset.download!)));
    fig.querySelectorAll<SVGSVGElement>('svg.fig-panel').forEach((svg, panel) => {
      let idx = 0;
      svg.addEventListener('pointermove', (ev) => {
        const r = svg.getBoundingClientRect();
        const px = ((ev.clientX - r.left) / r.width) * Number(svg.dataset.w);
        idx = showReadout(fig, data, panel, svg, invert(data.geometry[panel], px));
      });
      svg.addEventListener('keydown', (ev) => {
        const xs = data.series[panel][0].x;
        if (ev.key !== 'ArrowLeft' && ev.key !== 'ArrowRight' && ev.key !== 'Home' && ev.key !== 'End') return;
        ev.preventDefault();
        idx =
          ev.key === 'Home'
            ? 0
            : ev.key === 'End'
              ? xs.length - 1
              : Math.max(0, Math.min(xs.length - 1, idx + (ev.key === 'ArrowRight' ? 1 : -1)));
        showReadout(fig, data, panel, svg, xs[idx]);
      });
      svg.addEventListener('focus', () => showReadout(fig, data, panel, svg, data.series[panel][0].x[idx]));
    });
  }
}

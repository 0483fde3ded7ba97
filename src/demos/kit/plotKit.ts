/**
 * Pieces shared by the demos' live D3 plots: the frame (viewBox, axes, labels, path layers), drawn
 * at the plot's rendered width so that text sizes set in CSS are screen pixels (tick labels stay
 * ≥ 11 px on a phone), the thinning that keeps about one point per pixel column while keeping
 * spikes, a path generator that skips gaps, and a log-scale y domain over the finite positive values.
 */
import { axisBottom, line, max, min, scaleLog } from 'd3';
import type { Axis, NumberValue } from 'd3';
import type { ScaleLinear, ScaleLogarithmic, Selection } from 'd3';
import { richSvg } from '../../site/richText';

/** Width of the coordinate system when the plot has no layout yet (e.g. hidden). */
export const WIDTH = 480;
export const HEIGHT = 220;
export const M = { top: 12, right: 14, bottom: 34, left: 62 };
/**
 * The thinning budget of a plot drawn at `width`: its pixel columns, and never fewer than at the
 * default WIDTH (a narrow plot keeps as many points as a wide one).
 */
export const columnsFor = (width: number): number => Math.max(width, WIDTH) - M.left - M.right;

/** The coordinate width for an SVG: its rendered width in CSS pixels (WIDTH while it has none). */
export function plotWidthOf(el: SVGSVGElement): number {
  const w = el.getBoundingClientRect().width;
  return w > 0 ? Math.max(160, Math.round(w)) : WIDTH;
}

/**
 * Calls `onResize(width)` whenever the rendered width of `el` changes by 2 px or more (the plot
 * then re-frames itself at the new width and redraws).
 */
export function watchWidth(el: SVGSVGElement, current: () => number, onResize: (width: number) => void): void {
  if (typeof ResizeObserver === 'undefined') return;
  new ResizeObserver(() => {
    const w = plotWidthOf(el);
    if (Math.abs(w - current()) >= 2) onResize(w);
  }).observe(el);
}

export type Svg = Selection<SVGSVGElement, unknown, null, undefined>;
export type Point = [number, number | null];

/**
 * Keeps at most ~maxPoints points: every point when there are few, else one per bucket of
 * consecutive steps, the bucket's extreme (largest by default, smallest with `keep: 'min'`), so
 * spikes (or the lowest critical rates) survive thinning.
 */
export function thin(
  steps: number[],
  values: (number | null)[],
  maxPoints: number,
  keep: 'max' | 'min' = 'max',
): Point[] {
  const n = steps.length;
  const stride = Math.max(1, Math.ceil(n / maxPoints));
  const out: Point[] = [];
  for (let i = 0; i < n; i += stride) {
    if (stride === 1) {
      out.push([steps[i], values[i]]);
      continue;
    }
    let best: number | null = null;
    let at = i;
    for (let j = i; j < Math.min(n, i + stride); j++) {
      const v = values[j];
      if (v !== null && Number.isFinite(v) && (best === null || (keep === 'max' ? v > best : v < best))) {
        best = v;
        at = j;
      }
    }
    out.push([keep === 'max' ? steps[i] : steps[at], best]);
  }
  if (n > 0 && out[out.length - 1][0] !== steps[n - 1]) out.push([steps[n - 1], values[n - 1]]);
  return out;
}

/**
 * Clears `svg` and draws the frame at coordinate width `width`: axes groups, axis labels, an empty
 * group for overlays (earlier runs) and one empty path per layer class (in paint order).
 */
export function frame(svg: Svg, title: string, yLabel: string, layers: string[], width = WIDTH): void {
  svg.attr('viewBox', `0 0 ${width} ${HEIGHT}`).attr('role', 'img').attr('aria-label', title);
  svg.selectAll('*').remove();
  svg
    .append('g')
    .attr('class', 'x-axis')
    .attr('transform', `translate(0,${HEIGHT - M.bottom})`);
  svg.append('g').attr('class', 'y-axis').attr('transform', `translate(${M.left},0)`);
  svg.append('g').attr('class', 'overlays');
  for (const cls of layers) svg.append('path').attr('class', cls).attr('fill', 'none');
  svg
    .append('text')
    .attr('class', 'axis-label')
    .attr('x', (width + M.left - M.right) / 2)
    .attr('y', HEIGHT - 4)
    .attr('text-anchor', 'middle')
    .text('step');
  svg
    .append('text')
    .attr('class', 'axis-label')
    .attr('transform', `translate(14,${(HEIGHT - M.bottom + M.top) / 2}) rotate(-90)`)
    .attr('text-anchor', 'middle')
    // 12 px: the axis-label size in DemoShell.astro; richSvg escapes and draws λ_max's subscript.
    .html(richSvg(yLabel, 12));
}

/** One earlier run's line: its overlay slot (colour class `overlay-<slot>`) and its points. */
export interface OverlayLine {
  slot: number;
  points: Point[];
}

/** Draws the overlay lines into the frame's `.overlays` group (one path per slot). */
export function drawOverlays(
  svg: Svg,
  x: ScaleLinear<number, number>,
  y: (v: number) => number,
  lines: OverlayLine[],
): void {
  svg
    .select('.overlays')
    .selectAll<SVGPathElement, OverlayLine>('path')
    .data(lines, (l) => String(l.slot))
    .join('path')
    .attr('class', (l) => `overlay overlay-${l.slot}`)
    .attr('fill', 'none')
    .attr('data-slot', (l) => l.slot)
    .attr('d', (l) => pathOf(x, y, l.points));
}

/** SVG path through the points, with gaps where a value is null or not finite. */
export function pathOf(x: ScaleLinear<number, number>, y: (v: number) => number, pts: Point[]): string {
  const path = line<Point>()
    .defined((d) => d[1] !== null && Number.isFinite(d[1]))
    .x((d) => x(d[0]))
    .y((d) => y(d[1] as number));
  return path(pts) ?? '';
}

/**
 * Log-scale y over the finite positive values (padded ×2 each way, at least one decade), clamped.
 * With `decades`, the domain is widened to whole powers of ten, so it changes only when the data
 * leave a decade (live plots then redraw their markers rarely).
 */
export function logScaleFor(values: number[], opts: { decades?: boolean } = {}): ScaleLogarithmic<number, number> {
  const pos = values.filter((v) => v > 0 && Number.isFinite(v));
  const lo = pos.length ? (min(pos) as number) : 1e-3;
  const hi = Math.max(pos.length ? (max(pos) as number) : 1, lo * 10);
  let domain = [Math.max(lo / 2, 1e-12), hi * 2];
  if (opts.decades) domain = [10 ** Math.floor(Math.log10(domain[0])), 10 ** Math.ceil(Math.log10(domain[1]))];
  return scaleLog()
    .domain(domain)
    .range([HEIGHT - M.bottom, M.top])
    .clamp(true);
}

/**
 * Upper end of a live plot's step axis: the first of 10, 20, 50, 100, 200, 500, … that holds
 * `lastStep`, capped at `cap` (the run's last step). The axis grows in a few jumps instead of
 * every frame, so drawn points only move when it does.
 */
export function growingStepDomain(lastStep: number, cap = Infinity): number {
  let v = 10;
  for (let e = 10; v < lastStep; e *= 10) {
    for (const k of [2, 5, 10]) {
      v = k * e;
      if (v >= lastStep) break;
    }
  }
  return Math.max(lastStep, Math.min(v, cap));
}

/** Short number format for alt texts. */
export const short = (v: number): string =>
  Math.abs(v) >= 1e4 || Math.abs(v) < 1e-2 ? v.toExponential(1) : v.toPrecision(3);

/** Pixels per step-axis tick: wide enough for a label like "12,000" at 12 px with room between. */
export const STEP_TICK_PX = 80;

/** The step axis of a plot `width` wide: at most one tick per STEP_TICK_PX, so tick labels never touch. */
export function stepAxis(x: ScaleLinear<number, number>, width: number): Axis<NumberValue> {
  return axisBottom(x).ticks(Math.max(2, Math.floor((width - M.left - M.right) / STEP_TICK_PX)));
}

/**
 * Live D3 plots for the catapult demo: training loss (log scale) over steps, and λ_max(K) over
 * steps with the stability line 2/η. Redraws are cheap (one path per series, thinned to about one
 * point per pixel column) and the caller throttles them to animation frames.
 */
import { axisBottom, axisLeft, line, max, min, scaleLinear, scaleLog, select } from 'd3';
import type { ScaleLinear, Selection } from 'd3';

/** A series as aligned arrays; null entries are gaps (e.g. λ_max not measured at that step). */
export interface StepSeries {
  steps: number[];
  values: (number | null)[];
}

/** The reference run drawn lightly underneath (precomputed trace for the default settings). */
export interface ReferenceSeries {
  steps: number[];
  loss: number[];
  lambdaMax?: (number | null)[];
}

const WIDTH = 480;
const HEIGHT = 220;
const M = { top: 12, right: 14, bottom: 34, left: 58 };

type Svg = Selection<SVGSVGElement, unknown, null, undefined>;

/** Keeps at most ~2 points per pixel column (first, min/max kept implicitly by dense stride). */
function thin(steps: number[], values: (number | null)[], maxPoints: number): [number, number | null][] {
  const n = steps.length;
  const stride = Math.max(1, Math.ceil(n / maxPoints));
  const out: [number, number | null][] = [];
  for (let i = 0; i < n; i += stride) {
    if (stride === 1) {
      out.push([steps[i], values[i]]);
      continue;
    }
    // Keep the extreme of each bucket so spikes survive thinning.
    let best: number | null = null;
    for (let j = i; j < Math.min(n, i + stride); j++) {
      const v = values[j];
      if (v !== null && Number.isFinite(v) && (best === null || v > best)) best = v;
    }
    out.push([steps[i], best]);
  }
  if (n > 0 && out[out.length - 1][0] !== steps[n - 1]) out.push([steps[n - 1], values[n - 1]]);
  return out;
}

function frame(svg: Svg, title: string, yLabel: string): void {
  svg.attr('viewBox', `0 0 ${WIDTH} ${HEIGHT}`).attr('role', 'img').attr('aria-label', title);
  svg.selectAll('*').remove();
  svg.append('g').attr('class', 'x-axis').attr('transform', `translate(0,${HEIGHT - M.bottom})`);
  svg.append('g').attr('class', 'y-axis').attr('transform', `translate(${M.left},0)`);
  svg.append('path').attr('class', 'reference').attr('fill', 'none');
  svg.append('path').attr('class', 'guide').attr('fill', 'none');
  svg.append('path').attr('class', 'series').attr('fill', 'none');
  svg
    .append('text')
    .attr('class', 'axis-label')
    .attr('x', (WIDTH + M.left - M.right) / 2)
    .attr('y', HEIGHT - 4)
    .attr('text-anchor', 'middle')
    .text('step');
  svg
    .append('text')
    .attr('class', 'axis-label')
    .attr('transform', `translate(14,${(HEIGHT - M.bottom + M.top) / 2}) rotate(-90)`)
    .attr('text-anchor', 'middle')
    .text(yLabel);
}

/** Draws into two SVG elements; `update` takes the full series each time (idempotent). */
export class CatapultPlots {
  private loss: Svg;
  private lambda: Svg;

  constructor(lossSvg: SVGSVGElement, lambdaSvg: SVGSVGElement) {
    this.loss = select(lossSvg);
    this.lambda = select(lambdaSvg);
    frame(this.loss, 'Training loss ½Σ(f−y)² against step, log scale', 'loss (log)');
    frame(this.lambda, 'Top tangent-kernel eigenvalue λ_max(K) against step, with the line 2/η', 'λ_max(K)');
  }

  /**
   * Redraws both plots. `eta` is the learning rate per recorded step (for the 2/η line);
   * `reference` is drawn underneath when given.
   */
  update(run: { steps: number[]; loss: number[]; lambdaMax: (number | null)[]; eta: number[] }, reference?: ReferenceSeries): void {
    const cols = WIDTH - M.left - M.right;
    const lastStep = Math.max(10, run.steps.length ? run.steps[run.steps.length - 1] : 0, reference?.steps.at(-1) ?? 0);
    const x = scaleLinear().domain([0, lastStep]).range([M.left, WIDTH - M.right]);

    // Loss: log scale over the finite positive values of both series.
    const lossVals = run.loss.filter((v) => v > 0 && Number.isFinite(v));
    const refLoss = reference ? reference.loss.filter((v) => v > 0 && Number.isFinite(v)) : [];
    const both = lossVals.concat(refLoss);
    const lo = both.length ? (min(both) as number) : 1e-3;
    const hi = Math.max(both.length ? (max(both) as number) : 1, lo * 10);
    const yL = scaleLog()
      .domain([Math.max(lo / 2, 1e-12), hi * 2])
      .range([HEIGHT - M.bottom, M.top])
      .clamp(true);
    this.draw(this.loss, x, yL, thin(run.steps, run.loss, cols), reference ? thin(reference.steps, reference.loss, cols) : [], []);
    this.loss.select<SVGGElement>('.y-axis').call(axisLeft(yL).ticks(5, '.0e'));

    // λ_max with the stability line 2/η (η may change mid-run, so the line is a step function).
    const lam = run.lambdaMax.filter((v): v is number => v !== null && Number.isFinite(v));
    const refLam = reference?.lambdaMax?.filter((v): v is number => v !== null && Number.isFinite(v)) ?? [];
    const guide: [number, number | null][] = run.steps.map((s, i) => [s, 2 / run.eta[i]]);
    const all = [...lam, ...refLam, ...guide.map((g) => g[1] as number)].filter((v) => Number.isFinite(v));
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
      thin(run.steps, guide.map((g) => g[1]), cols),
    );
    this.lambda.select<SVGGElement>('.y-axis').call(axisLeft(yK).ticks(5));
    this.describe(run, lam);
  }

  /** Alt text that states what the run shows so far (updated with the plots). */
  private describe(run: { steps: number[]; loss: number[]; eta: number[] }, lam: number[]): void {
    const n = run.loss.length;
    const f = (v: number) => (Math.abs(v) >= 1e4 || Math.abs(v) < 1e-2 ? v.toExponential(1) : v.toPrecision(3));
    if (n === 0) {
      this.loss.attr('aria-label', 'Training loss against step, log scale: no run yet.');
      this.lambda.attr('aria-label', 'Top tangent-kernel eigenvalue λ_max(K) against step: no run yet.');
      return;
    }
    let peak = 0;
    for (let i = 1; i < n; i++) if (run.loss[i] > run.loss[peak]) peak = i;
    const l0 = run.loss[0];
    const spike = peak > 0 ? ` peaked at ${f(run.loss[peak])} (${f(run.loss[peak] / l0)}× its start) at step ${run.steps[peak]},` : '';
    this.loss.attr('aria-label', `Training loss against step, log scale: started at ${f(l0)},${spike} now ${f(run.loss[n - 1])} after ${n} steps.`);
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
    pts: [number, number | null][],
    ref: [number, number | null][],
    guide: [number, number | null][],
  ): void {
    const path = line<[number, number | null]>()
      .defined((d) => d[1] !== null && Number.isFinite(d[1]) && (d[1] as number) > -Infinity)
      .x((d) => x(d[0]))
      .y((d) => y(d[1] as number));
    svg.select('.series').attr('d', path(pts) ?? '');
    svg.select('.reference').attr('d', path(ref) ?? '');
    svg.select('.guide').attr('d', path(guide) ?? '');
    svg.select<SVGGElement>('.x-axis').call(axisBottom(x).ticks(6));
  }
}

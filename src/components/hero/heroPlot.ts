/**
 * The hero's two small plots as SVG markup (the same string at build time and in the browser, so the
 * page shows the starting setting without script): the loss ½f² on a log axis with its peak marked,
 * and λ with the line 2/η it must fall below. Steps on a symlog axis, as chapter 1's uv figure, since
 * a catapult happens in the first few of them.
 */
import { line, scaleLinear, scaleLog, scaleSymlog } from 'd3';
import { axisTicks } from '../../site/figureTicks';
import { HERO_SLIDER, type HeroInit, type HeroRun } from './heroModel';

/** Size of one panel in SVG units (it scales to the column: viewBox). */
export const HERO_PANEL = { width: 360, height: 210, left: 46, right: 12, top: 24, bottom: 34 } as const;

/** The panels' viewBox attribute. */
export const HERO_VIEWBOX = [0, 0, HERO_PANEL.width, HERO_PANEL.height].join(' ');

/** Display floor of the loss axis: a lazy run's loss falls geometrically towards 0 and leaves the plot here. */
const LOSS_FLOOR = 1e-6;

const f = (v: number) => +v.toFixed(1);

/** Frame, ticks and labels of one panel. */
function axes(
  x: (v: number) => number,
  y: (v: number) => number,
  xTicks: { value: number; label: string }[],
  yTicks: { value: number; label: string }[],
  title: string,
): string {
  const { width: W, height: H, left: L, right: R, top: T, bottom: B } = HERO_PANEL;
  const out: string[] = [`<text class="hero-title" x="${L}" y="15">${title}</text>`];
  out.push(`<path class="hero-ax" d="M${L},${T}V${H - B}H${W - R}"/>`);
  for (const t of xTicks) {
    const px = f(x(t.value));
    out.push(`<line class="hero-grid" x1="${px}" x2="${px}" y1="${T}" y2="${H - B}"/>`);
    if (t.label) out.push(`<text class="hero-tick" x="${px}" y="${H - B + 14}" text-anchor="middle">${t.label}</text>`);
  }
  for (const t of yTicks) {
    const py = f(y(t.value));
    out.push(`<line class="hero-grid" x1="${L}" x2="${W - R}" y1="${py}" y2="${py}"/>`);
    if (t.label) out.push(`<text class="hero-tick" x="${L - 5}" y="${py + 4}" text-anchor="end">${t.label}</text>`);
  }
  out.push(`<text class="hero-tick" x="${(L + W - R) / 2}" y="${H - 3}" text-anchor="middle">step</text>`);
  return out.join('');
}

/** The x scale shared by both panels: steps 0 … the run's budget. */
function stepScale(init: HeroInit) {
  const { width: W, left: L, right: R } = HERO_PANEL;
  return scaleSymlog()
    .domain([0, init.steps])
    .range([L, W - R]);
}

/** The loss panel's inner markup: ½f² per step on a log axis, the peak marked (data-peak-step). */
export function lossPanel(run: HeroRun, init: HeroInit): string {
  const { height: H, top: T, bottom: B } = HERO_PANEL;
  const x = stepScale(init);
  // the top leaves a decade above the divergence threshold, so a blow-up visibly leaves the plot
  const y = scaleLog()
    .domain([LOSS_FLOOR, init.divergeAbove * 10])
    .range([H - B, T])
    .clamp(true);
  const { step, loss } = run.trace;
  const path = line<number>()
    .defined((v) => v >= LOSS_FLOOR)
    .x((_, i) => x(step[i]))
    .y((v) => y(v))
    .digits(1)(loss);
  const px = f(x(step[run.peakStep]));
  const py = f(y(loss[run.peakStep]));
  return [
    axes(
      x,
      y,
      axisTicks('symlog', 0, init.steps, 4),
      axisTicks('log', LOSS_FLOOR, init.divergeAbove * 10, 5),
      'loss ½f²',
    ),
    `<path class="hero-line hero-loss" d="${path ?? ''}"/>`,
    `<circle class="hero-peak" cx="${px}" cy="${py}" r="4" data-peak-step="${run.peakStep}"/>`,
  ].join('');
}

/** The λ panel's inner markup: λ per step, and the dashed line 2/η it must end below for the loss to fall. */
export function lambdaPanel(run: HeroRun, init: HeroInit): string {
  const { width: W, height: H, left: L, right: R, top: T, bottom: B } = HERO_PANEL;
  const x = stepScale(init);
  // fixed over the slider's range, so the line 2/η moves as η does: the top holds 2/η at the smallest η
  const top = (1.05 * 2 * init.lambda0) / HERO_SLIDER.min;
  const y = scaleLinear()
    .domain([0, top])
    .range([H - B, T])
    .clamp(true);
  const { step, lambda } = run.trace;
  const path = line<number>()
    .x((_, i) => x(step[i]))
    .y((v) => y(v))
    .digits(1)(lambda);
  const edge = f(y(2 / run.eta));
  return [
    axes(x, y, axisTicks('symlog', 0, init.steps, 4), axisTicks('linear', 0, top, 4), 'tangent kernel λ'),
    `<line class="hero-edge" x1="${L}" x2="${W - R}" y1="${edge}" y2="${edge}"/>`,
    `<text class="hero-edge-label" x="${W - R - 2}" y="${edge - 5}" text-anchor="end">2/η</text>`,
    `<path class="hero-line hero-lambda" d="${path ?? ''}"/>`,
  ].join('');
}

/**
 * The landing page's hero: the uv model's exact GD recursions (src/lib/uvModel.ts) at the η·λ₀ the
 * reader picks, judged by the site's one regime rule (classifyRegime, src/lib/regime.ts), and the one
 * sentence that says what is going on. Pure and DOM-free: the page renders it at build time and the
 * browser reruns it on every move of the slider (two scalars per step, no worker, no tfjs).
 */
import { runUvModel, type UvTrace } from '../../lib/uvModel';
import { classifyRegime, type Regime } from '../../lib/regime';
import { pow10Label } from '../../site/figureTicks';

/** The committed uv-catapult run the hero starts from: its initialisation, width, step budget and rate. */
export interface HeroInit {
  f0: number;
  lambda0: number;
  m: number;
  steps: number;
  divergeAbove: number;
  /** η·λ₀ of that run: the slider's starting value. */
  etaLambda0: number;
}

/** The slider in units of 1/λ₀: 2 is the critical rate 2/λ₀, 4 the divergence edge 4/λ₀ (docs/conventions.md, uv model). */
export const HERO_SLIDER = { min: 0.5, max: 4.5, step: 0.1 } as const;

/** One run of the hero at one η·λ₀, with what its sentence and plots read off it. */
export interface HeroRun {
  etaLambda0: number;
  eta: number;
  trace: UvTrace;
  regime: Regime;
  /** Largest loss over the initial loss, and the step it happens at. */
  peakRatio: number;
  peakStep: number;
  /** λ at the last step over λ₀, and η·λ/2 at the last step (below 1: λ is below 2/η). */
  lambdaEndRatio: number;
  edgeEnd: number;
}

/** Runs the uv recursions at η = etaLambda0/λ₀ from the committed run's start and classifies the loss. */
export function heroRun(init: HeroInit, etaLambda0: number): HeroRun {
  const eta = etaLambda0 / init.lambda0;
  const trace = runUvModel({
    f0: init.f0,
    lambda0: init.lambda0,
    eta,
    m: init.m,
    steps: init.steps,
    divergeAbove: init.divergeAbove,
  });
  // the recursion keeps the overflowing step; the detector and the plots read finite losses only
  const finite = trace.loss.findIndex((v) => !Number.isFinite(v));
  const n = finite < 0 ? trace.loss.length : finite;
  const loss = trace.loss.slice(0, n);
  const lambda = trace.lambda.slice(0, n);
  const clipped: UvTrace = { step: trace.step.slice(0, n), loss, lambda, divergedAt: trace.divergedAt };
  const peakStep = loss.indexOf(Math.max(...loss));
  const lambdaEnd = lambda[lambda.length - 1];
  return {
    etaLambda0,
    eta,
    trace: clipped,
    regime: classifyRegime(loss, trace.divergedAt),
    peakRatio: loss[peakStep] / loss[0],
    peakStep,
    lambdaEndRatio: lambdaEnd / init.lambda0,
    edgeEnd: (eta * lambdaEnd) / 2,
  };
}

/** A positive number as a reader reads it: three significant digits, powers of ten beyond 10⁵. */
export function heroNumber(v: number): string {
  if (!Number.isFinite(v)) return '∞';
  if (v >= 1e5) {
    const k = Math.floor(Math.log10(v));
    const m = +(v / 10 ** k).toPrecision(3);
    return m === 1 ? pow10Label(k) : `${m}×${pow10Label(k)}`;
  }
  return String(+v.toPrecision(3));
}

const pct = (r: number) => `${heroNumber(100 * r)} %`;

/** Where η sits against an edge c/λ₀ of the uv theory: "above", "at" or "below". */
const side = (etaLambda0: number, c: number) => (etaLambda0 > c ? 'above' : etaLambda0 === c ? 'at' : 'below');

/** The regime's name as the page shows it (the words of classifyRegime). */
export const REGIME_NAMES: Record<Regime, string> = { linear: 'Linear', catapult: 'Catapult', diverged: 'Diverged' };

/** The hero's one sentence on what is going on at this setting: the regime by the site's rule, then what the run did. */
export function heroSentence(run: HeroRun, init: HeroInit): string {
  const v = run.etaLambda0;
  const end = `λ ends at ${pct(run.lambdaEndRatio)} of λ₀, ${run.edgeEnd < 1 ? 'below' : 'not below'} 2/η`;
  if (run.regime === 'linear')
    return `${REGIME_NAMES.linear}: η is ${side(v, 2)} 2/λ₀ and the loss falls with no spike; ${end}.`;
  if (run.regime === 'catapult')
    return `${REGIME_NAMES.catapult}: η is ${side(v, 2)} 2/λ₀, so the loss first rises, to ${heroNumber(run.peakRatio)}× its start by step ${run.peakStep}, while λ drops; then the loss falls (${end}).`;
  const blowUp =
    run.trace.divergedAt !== null
      ? `passes ${heroNumber(init.divergeAbove)} at step ${run.trace.divergedAt}`
      : `is still ${heroNumber(run.trace.loss.at(-1)! / run.trace.loss[0])}× its start after ${run.trace.loss.length - 1} steps`;
  // λ can only fall while η·λ < 4 (the recursion for λ), so from 4/λ₀ on nothing brings it below 2/η
  const why = v >= 4 ? ', so λ cannot fall below 2/η' : '';
  return `${REGIME_NAMES.diverged}: η is ${side(v, 4)} 4/λ₀${why}, and the loss does not come back down: it ${blowUp}.`;
}

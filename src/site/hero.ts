/**
 * The landing hero's starting point, read at build time from the committed uv-catapult run that
 * catapults (seed 0): its initialisation (f₀, λ₀), width, step budget, divergence threshold and η·λ₀.
 * At that η·λ₀ the hero redraws exactly that run.
 */
import { findRun } from './traces';
import { uvTrajectories } from './chapters/catapults-in-gd/readouts';
import type { HeroInit } from '../components/hero/heroModel';

/** The hero's settings with the run they come from (experiment and run key, for the page to name). */
export function heroInit(): HeroInit & { experiment: string; runKey: string } {
  const run = findRun(uvTrajectories(0), 'of seed 0 with a catapult', (t) => t.summary.observedOutcome === 'catapult');
  return {
    f0: run.summary.f0,
    lambda0: run.summary.lambda0,
    m: run.config.m,
    steps: run.config.steps,
    divergeAbove: run.config.divergeAbove,
    etaLambda0: run.summary.etaLambda0,
    experiment: run.experiment,
    runKey: run.runKey,
  };
}

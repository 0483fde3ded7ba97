/**
 * Messages between the catapult demo island (main thread) and its Web Worker. Types only, plus a
 * tiny guard, so the page can import this without pulling tfjs.
 */
import type { DemoState } from './demoState';

/** Training regime shown in the badge: no spike yet, a detected catapult, or a blow-up. */
export type Regime = 'linear' | 'catapult' | 'diverged';

/** Main thread → worker. */
export type DemoRequest =
  /** Builds data and model from `state`, measures λ_max(K(w0)) and answers `ready`. */
  | { type: 'init'; state: DemoState }
  /** Starts frame-budgeted stepping until pause, divergence or `maxSteps`. */
  | { type: 'play' }
  | { type: 'pause' }
  /** Runs `count` steps (default 1) and reports them, then stays paused. */
  | { type: 'step'; count?: number }
  /** Rebuilds from the same state and seed (same data, same w0). */
  | { type: 'reset' }
  /** Rebuilds with a new seed (the main thread picks it so the URL can record it). */
  | { type: 'reseed'; seed: number }
  /** Changes η mid-run: η = ratio × η_crit, with η_crit = 2/λ_max(K(w0)) fixed at initialisation. */
  | { type: 'setEtaRatio'; etaRatio: number }
  /** Replaces the whole state and rebuilds (task, n, width, … changed). */
  | { type: 'setState'; state: DemoState };

/** Reported once the model is built. Units: η in the loss convention L = ½Σ(f−y)². */
export interface ReadyMessage {
  type: 'ready';
  backend: string;
  /** tfjs-core version and the demo's own version, for the downloaded run. */
  versions: Record<string, string>;
  state: DemoState;
  /** η_crit = 2/λ_max(K(w0)). */
  etaCrit: number;
  /** λ_max(K(w0)). */
  lambda0: number;
  /** ½Σ(f(w0) − y)². */
  loss0: number;
  numParams: number;
}

/**
 * A batch of steps. Arrays are aligned: `steps[i]` is the step index after which `loss[i]` was
 * measured (loss before that step's update, i.e. at w_t), `lambdaMax[i]` is null when the kernel
 * was not measured at that step (kernelEvery > 1).
 */
export interface ProgressMessage {
  type: 'progress';
  steps: number[];
  loss: number[];
  lambdaMax: (number | null)[];
  eta: number[];
  regime: Regime;
  /** Steps per second over the last batch (wall time in the worker). */
  stepsPerSecond: number;
  playing: boolean;
  /** True when the run reached `maxSteps` and stopped. */
  finished: boolean;
}

/** The run stopped because the loss became non-finite or exceeded 1e6 × its initial value. */
export interface DivergedMessage {
  type: 'diverged';
  step: number;
  loss: number;
  reason: string;
}

export interface ErrorMessage {
  type: 'error';
  message: string;
}

/** Worker → main thread. */
export type DemoResponse = ReadyMessage | ProgressMessage | DivergedMessage | ErrorMessage;

/** Loss above this multiple of the initial loss counts as divergence (the run stops). */
export const DIVERGENCE_FACTOR = 1e6;

/** Wall-clock budget per batch of steps in the worker, in milliseconds (one to two frames). */
export const FRAME_BUDGET_MS = 24;

/** Narrowing helper for `onmessage` handlers. */
export function isDemoResponse(x: unknown): x is DemoResponse {
  return typeof x === 'object' && x !== null && typeof (x as { type?: unknown }).type === 'string';
}

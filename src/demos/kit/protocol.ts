/**
 * Messages between a demo island (main thread) and its Web Worker. Types only, plus a few
 * constants and helpers, so the page can import this without pulling tfjs. The request set and
 * the ready/progress/diverged/error envelope are shared by every demo (`…Of<State>` and `…Base`
 * types); each demo adds its own fields to `ready` and `progress` (catapults-in-gd/catapultDemoProtocol.ts,
 * sgd-spikes/sgdSpikeDemoProtocol.ts, agop/agopDemoProtocol.ts).
 */

/** Main thread → worker, for a demo whose state is S. */
export type DemoRequestOf<S> =
  /** Builds data and model from `state`, measures the critical rate and answers `ready`. */
  | { type: 'init'; state: S }
  /** Starts frame-budgeted stepping until pause, divergence or `maxSteps`. */
  | { type: 'play' }
  | { type: 'pause' }
  /** Runs `count` steps (default 1) and reports them, then stays paused. */
  | { type: 'step'; count?: number }
  /** Rebuilds from the same state and seed (same data, same w0). */
  | { type: 'reset' }
  /** Rebuilds with a new seed (the main thread picks it so the URL can record it). */
  | { type: 'reseed'; seed: number }
  /** Changes η mid-run: η = ratio × the critical rate measured at initialisation. */
  | { type: 'setEtaRatio'; etaRatio: number }
  /**
   * Changes settings the session can take mid-run (the island's `liveKeys`, e.g. the batch size),
   * keeping the weights and the recorded steps; reset and reseed rebuild with them.
   */
  | { type: 'setLive'; patch: Partial<S> }
  /** Lets a finished run take `steps` more steps (kit/session.ts MAX_RUN_STEPS in all), then plays. */
  | { type: 'extend'; steps: number }
  /** Replaces the whole state and rebuilds (task, n, width, … changed). */
  | { type: 'setState'; state: S };

/** What every demo reports once its model is built. */
export interface ReadyBase<S> {
  type: 'ready';
  backend: string;
  /** tfjs-core version and the demo's own protocol version, for the downloaded run. */
  versions: Record<string, string>;
  state: S;
  /** The unit of the η control, in absolute units of the demo's loss convention. */
  etaCrit: number;
  numParams: number;
}

/**
 * A batch of steps, common part. Arrays are aligned: `steps[i]` is the index of the step whose
 * measures (taken at w_t, before its update) sit at position i of every series.
 */
export interface ProgressBase {
  type: 'progress';
  steps: number[];
  /** Absolute learning rate used for each step. */
  eta: number[];
  /** Steps per second over the last second (wall time in the worker). */
  stepsPerSecond: number;
  playing: boolean;
  /** True when the run used up its step budget (maxSteps, plus extensions) and stopped. */
  finished: boolean;
}

/** Where and why a run blew up. */
export interface DivergedInfo {
  step: number;
  loss: number;
  reason: string;
}

/** The run stopped because the loss became non-finite or exceeded DIVERGENCE_FACTOR (src/lib/train.ts) × its initial value. */
export interface DivergedMessage extends DivergedInfo {
  type: 'diverged';
}

interface ErrorMessage {
  type: 'error';
  message: string;
}

/** Worker → main thread, for a demo with ready message R and progress message P. */
export type DemoResponseOf<R extends ReadyBase<unknown>, P extends ProgressBase> =
  R | P | DivergedMessage | ErrorMessage;

/** Wall-clock budget per batch of steps in the worker, in milliseconds (one to two frames). */
export const FRAME_BUDGET_MS = 24;

/** The `name` each island gives the shared demo worker (src/demos/demos.worker.ts), which picks the demo by it. */
export const DEMO_WORKER_NAMES = { catapult: 'catapult', sgdSpike: 'sgd-spike', agop: 'agop' } as const;

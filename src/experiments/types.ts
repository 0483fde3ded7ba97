/**
 * What an experiment is: a typed config schema, two profiles, an expansion into runs and a
 * function that performs one run with src/lib and returns its trace body.
 */
import type { z } from 'zod';
import type { Prng } from '../lib/prng';
import type { SeriesAxes, TraceBody } from './trace';
import type { ModelInput } from './modelFile';
import type { OutputsDeclaration } from './outputs';

/** Profiles every experiment provides: `paper` is what the site shows, `quick` runs in seconds for tests. */
export type ProfileName = 'paper' | 'quick';
/** All profile names, in the order the CLI lists them. */
export const PROFILES: readonly ProfileName[] = ['paper', 'quick'];

/** One grid point of an experiment (before seeds): a stable key and the config that run sees. */
export interface GridPoint<R> {
  /** Stable, file-name-safe key, e.g. "traj-eta3" (the seed suffix "-s0" is added by the pipeline). */
  key: string;
  /** The complete input of this run; stored in the trace and hashed, so include everything that matters. */
  config: R;
}

/** Passed to `run`: the seed, a Prng seeded with it, and a progress callback. */
export interface RunContext {
  seed: number;
  /** new Prng(seed): the only randomness a run may use. */
  prng: Prng;
  /** Reports `done` of `total` steps (any unit the experiment likes); cheap to call often. */
  progress(done: number, total: number): void;
}

/** What a run returns: series and summary, plus optionally a trained model to export next to the trace. */
export interface RunResult extends TraceBody {
  /** Written as <runKey>.model.json (weights may be Float32Arrays; U as m rows or row-major m·d). */
  model?: ModelInput;
}

/** Every experiment config carries the number of seeds and the first seed. */
export interface SeededConfig {
  seeds: number;
  baseSeed: number;
}

export interface Experiment<
  C extends SeededConfig = SeededConfig,
  R extends object = Record<string, unknown>,
  Out extends OutputsDeclaration = OutputsDeclaration,
> {
  /** Kebab-case id; also the folder name under content/traces. */
  id: string;
  title: string;
  /** One or two sentences for `experiments list` and the site. */
  description: string;
  /** Bump when `run` changes its numbers without a config change: every trace becomes stale. */
  version: number;
  /** Whether `run` needs a tfjs backend (the worker then calls initBackend before running). */
  usesTfjs: boolean;
  /** False for tooling experiments (e.g. the pipeline self-test) that a bare `npm run experiments` skips. */
  runByDefault?: boolean;
  schema: z.ZodType<C, unknown>;
  profiles: Record<ProfileName, z.input<z.ZodType<C, unknown>> | C>;
  /** Summary schema and series names of its runs (src/experiments/outputs.ts); every trace is checked against them. */
  outputs: Out;
  /** Expands a validated config into grid points (seeds are expanded by the pipeline). */
  expand(config: C): GridPoint<R>[];
  /**
   * Which series share a length with which (e.g. `{ loss: 'step' }`), checked by every trace
   * reader (see SeriesAxis in trace.ts); a function of the run's config when that decides the series.
   */
  seriesAxes?: SeriesAxes | ((config: R) => SeriesAxes);
  /** Performs one run deterministically from (config, ctx.seed). */
  run(config: R, ctx: RunContext): RunResult | Promise<RunResult>;
}

/** Identity helper that checks an experiment definition's types at the definition site. */
export function defineExperiment<
  C extends SeededConfig,
  R extends object,
  Out extends OutputsDeclaration = OutputsDeclaration,
>(exp: Experiment<C, R, Out>): Experiment<C, R, Out> {
  return exp;
}

// Registry-level handle: the type parameters are erased because runs move between threads as JSON.
// `any` rather than Experiment<SeededConfig, object>: the pipeline hands configs it parsed at run time
// to expand() and run(), and each experiment's own schema, not the type checker, vouches for them.
export type AnyExperiment = Experiment<any, any, any>;

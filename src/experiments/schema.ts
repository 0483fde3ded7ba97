/**
 * Shared zod fields for experiment configs, so every experiment rejects the same bad input with
 * the same message: the error names the field and says how to fix it.
 */
import { z } from 'zod';

/** A positive integer field (e.g. steps, n, d); `what` explains the unit in the error. */
export function positiveInt(what: string) {
  return z
    .number({ error: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .positive(`${what} must be ≥ 1; use a positive integer`);
}

/** Hidden-layer width m (number of neurons), a positive integer. */
export const width = () => positiveInt('width (number of hidden neurons)');

/** Number of independent seeds per grid point (each seed is its own run and trace file). */
export const seeds = () => positiveInt('number of seeds').max(1000, 'at most 1000 seeds per grid point');

/** First seed; run s of a grid point uses seed = baseSeed + s. */
export const baseSeed = () => z.number().int('baseSeed must be an integer').nonnegative('baseSeed must be ≥ 0');

/** A positive finite real (e.g. a learning rate in units of η_crit). */
export function positiveReal(what: string) {
  return z.number({ error: `${what} must be a number` }).positive(`${what} must be > 0`);
}

/** Optimizers understood by the training loop in src/lib. */
const OPTIMIZERS = ['gd', 'sgd', 'momentum', 'adam'] as const;

/** Optimizer name; the message lists the accepted names. */
export const optimizer = () =>
  z.enum(OPTIMIZERS, {
    error: (issue) => `unknown optimizer ${JSON.stringify(issue.input)}; use one of ${OPTIMIZERS.join(', ')}`,
  });

/** Mini-batch size b (b = n means full-batch GD). Pair with `batchSizeAtMostN`. */
export const batchSize = () => positiveInt('batch size');

/**
 * Cross-field rule b ≤ n for a config object with fields `nKey` and `bKey`; the issue is
 * reported on `bKey` so the message names the batch size field.
 */
export function batchSizeAtMostN<T extends Record<string, unknown>>(nKey: keyof T & string, bKey: keyof T & string) {
  return (cfg: T, ctx: z.RefinementCtx) => {
    const n = cfg[nKey] as number;
    const b = cfg[bKey] as number;
    if (typeof n === 'number' && typeof b === 'number' && b > n) {
      ctx.addIssue({
        code: 'custom',
        path: [bKey],
        message: `batch size ${b} is larger than the number of training points ${nKey} = ${n}; use ${bKey} ≤ ${n}`,
      });
    }
  };
}

/** A non-empty list of grid values, each positive (e.g. η·λ0 or η/η_crit grid points). */
export function positiveGrid(what: string) {
  return z.array(positiveReal(what)).nonempty(`${what} grid must have at least one value`);
}

/**
 * Validates `raw` against an experiment's schema; on failure throws an Error naming the
 * experiment, the field path, what is wrong and the received value.
 */
export function parseConfig<T>(experimentId: string, schema: z.ZodType<T>, raw: unknown): T {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const lines = r.error.issues.map((issue) => {
    const field = issue.path.length ? issue.path.join('.') : '(config)';
    let got = '';
    let v: unknown = raw;
    for (const p of issue.path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined;
    if (v !== undefined && (typeof v !== 'object' || v === null)) got = ` (got ${JSON.stringify(v)})`;
    if (issue.code === 'unrecognized_keys')
      return `field "${issue.keys.join('", "')}": unknown field; remove it or check its spelling`;
    return `field "${field}": ${issue.message}${got}`;
  });
  throw new Error(`${experimentId} config is invalid: ${lines.join('; ')}`);
}

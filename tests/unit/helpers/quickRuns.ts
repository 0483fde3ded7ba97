/** Runs one grid point of an experiment's quick profile in-process, for the experiment tests. */
import assert from 'node:assert/strict';
import { Prng } from '../../../src/lib/prng';
import { planExperiment } from '../../../src/experiments/plan';
import type { AnyExperiment, RunResult } from '../../../src/experiments/types';
import { checkOutputs, formatOutputIssues } from '../../../src/experiments/outputs';

export const quickOf = (e: AnyExperiment) => e.profiles.quick as Record<string, unknown>;

export const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);

export async function runQuick(
  e: AnyExperiment,
  key: string,
): Promise<{ out: RunResult; config: Record<string, unknown>; seed: number }> {
  const r = planExperiment(e, 'quick').find((p) => p.runKey === key);
  assert.ok(r, `no quick run ${key}`);
  const out = await e.run(r.config as never, { seed: r.seed, prng: new Prng(r.seed), progress() {} });
  // What the run returns must be what the experiment declares (the site checks every trace against it).
  const bad = checkOutputs(e.outputs, out);
  assert.equal(bad, null, `${e.id}/${key}: ${bad ? formatOutputIssues(bad.issues) : ''}`);
  return { out, config: r.config as Record<string, unknown>, seed: r.seed };
}

/**
 * What an experiment's traces record about how they ran, for a table's settings disclosure (the
 * config objects of the runs it reads, not the code's profile): the profile, the number of runs, the
 * seeds, every config field with one value in all runs, and under "varies by run" the values of each
 * field that differs between them.
 */
import { getTraces } from '../traces';

export function recordedSettings(id: string): Record<string, unknown> {
  const traces = getTraces(id);
  if (traces.length === 0)
    throw new Error(`${id}: no traces in content/traces; run npm run experiments -- --only ${id}`);
  const same: Record<string, unknown> = {};
  const varies: Record<string, unknown[]> = {};
  for (const k of [...new Set(traces.flatMap((t) => Object.keys(t.config)))]) {
    const seen = new Map(
      traces.map((t) => [
        JSON.stringify((t.config as Record<string, unknown>)[k]) ?? 'null',
        (t.config as Record<string, unknown>)[k],
      ]),
    );
    if (seen.size === 1) same[k] = [...seen.values()][0];
    else varies[k] = [...seen.values()];
  }
  const seeds = [...new Set(traces.map((t) => t.seed))].sort((a, b) => a - b);
  return {
    profile: traces[0].profile,
    runs: traces.length,
    seeds,
    ...same,
    ...(Object.keys(varies).length ? { 'varies by run': varies } : {}),
  };
}

/**
 * For tests that read the committed paper-profile traces in content/traces: a skip reason while
 * any of them is not up to date (e.g. right after a change to the code they ran, until the full
 * regeneration), false otherwise. The site build still fails on such traces; the skip only keeps
 * the unit tests about other things runnable in between.
 */
import { join, resolve } from 'node:path';
import { planExperiment } from '../../src/experiments/plan';
import { getExperiment } from '../../src/experiments/registry';
import { cacheState } from '../../scripts/pipeline/traceStore';

const DIR = join(resolve(import.meta.dirname, '../..'), 'content/traces');

export function committedTracesStale(experiments: string[]): string | false {
  const bad = experiments.filter((id) => planExperiment(getExperiment(id), 'paper').some((run) => cacheState(DIR, run).state !== 'fresh'));
  return bad.length ? `committed traces of ${bad.join(', ')} are not up to date; regenerate with \`npm run experiments -- --only ${bad.join(',')}\`` : false;
}

/**
 * All experiments, by id. Adding one = a new file in src/experiments/ plus one line here.
 */
import type { AnyExperiment } from './types';
import { uvCatapult } from './uvCatapult';
import { pipelineSelftest } from './pipelineSelftest';
import { shallowGdRegimes } from './shallowGdRegimes';
import { shallowEtaMax } from './shallowEtaMax';
import { nqmVsNetwork } from './nqmVsNetwork';
import { agopGdCatapults } from './agopGdCatapults';
import { agopGdConverged } from './agopGdConverged';
import { agopBatchSweep } from './agopBatchSweep';
import { sgdSpikeAnatomy } from './sgdSpikeAnatomy';
import { deepFcnGd } from './sgdDeepFcnGd';
import { multiCatapult } from './multiCatapult';
import { kernelDrops } from './kernelDrops';

/** Every registered experiment, in the order `experiments list` shows them. */
export const EXPERIMENTS: readonly AnyExperiment[] = [
  uvCatapult,
  shallowGdRegimes,
  shallowEtaMax,
  nqmVsNetwork,
  sgdSpikeAnatomy,
  deepFcnGd,
  multiCatapult,
  kernelDrops,
  agopBatchSweep,
  agopGdCatapults,
  agopGdConverged,
  pipelineSelftest,
];

/** The experiment with this id; throws listing the known ids otherwise. */
export function getExperiment(id: string): AnyExperiment {
  const exp = EXPERIMENTS.find((e) => e.id === id);
  if (!exp) {
    throw new Error(`unknown experiment "${id}"; known experiments: ${EXPERIMENTS.map((e) => e.id).join(', ')} (see \`npm run experiments -- list\`)`);
  }
  return exp;
}

/** Experiments selected by `--only a,b` (validated), or all with runByDefault !== false. */
export function selectExperiments(only?: string[]): AnyExperiment[] {
  if (only && only.length) return only.map((id) => getExperiment(id.trim()));
  return EXPERIMENTS.filter((e) => e.runByDefault !== false);
}

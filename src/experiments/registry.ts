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
import { agopGdCatapultsRank4 } from './agopGdCatapultsRank4';
import { testLossVsEta } from './testLossVsEta';
import { deepEtaMax } from './deepEtaMax';
import { sgdSpikeSweep } from './sgdSpikeSweep';
import { sgdSpikeKernel } from './sgdSpikeKernel';
import { agopBatchSweep } from './agopBatchSweep';
import { agopNoiseControl } from './agopNoiseControl';
import { sgdSpikeAnatomy } from './sgdSpikeAnatomy';
import { deepFcnGd } from './sgdDeepFcnGd';
import { multiCatapult } from './multiCatapult';
import { cnnLadderFactors } from './cnnLadderFactors';
import { kernelDrops } from './kernelDrops';
import { optimizerAlignment } from './optimizerAlignment';
import { mnistBatchSweep } from './mnistBatchSweep';
import { optimizerAlignmentSweep } from './optimizerAlignmentSweep';
import { catapultRemoval } from './catapultRemoval';
import { catapultRemovalCap07 } from './catapultRemovalCap07';

/**
 * Every registered experiment by id, each with its own config, run and output types (so the site
 * reads typed traces: getTraces('uv-catapult')). Key order is the order `experiments list` shows.
 */
export const EXPERIMENTS_BY_ID = {
  'uv-catapult': uvCatapult,
  'shallow-gd-regimes': shallowGdRegimes,
  'shallow-eta-max': shallowEtaMax,
  'deep-eta-max': deepEtaMax,
  'nqm-vs-network': nqmVsNetwork,
  'sgd-spike-anatomy': sgdSpikeAnatomy,
  'sgd-spike-sweep': sgdSpikeSweep,
  'sgd-spike-kernel': sgdSpikeKernel,
  'deep-fcn-gd': deepFcnGd,
  'multi-catapult': multiCatapult,
  'cnn-ladder-factors': cnnLadderFactors,
  'kernel-drops': kernelDrops,
  'agop-batch-sweep': agopBatchSweep,
  'agop-noise-control': agopNoiseControl,
  'catapult-removal': catapultRemoval,
  'catapult-removal-cap07': catapultRemovalCap07,
  'agop-gd-catapults': agopGdCatapults,
  'agop-gd-catapults-rank4': agopGdCatapultsRank4,
  'test-loss-vs-eta': testLossVsEta,
  'optimizer-alignment': optimizerAlignment,
  'mnist-batch-sweep': mnistBatchSweep,
  'optimizer-alignment-sweep': optimizerAlignmentSweep,
  'pipeline-selftest': pipelineSelftest,
} as const;
/** Id of a registered experiment. */
export type ExperimentId = keyof typeof EXPERIMENTS_BY_ID;

for (const [key, exp] of Object.entries(EXPERIMENTS_BY_ID)) {
  if (exp.id !== key)
    throw new Error(`registry: experiment "${exp.id}" is listed under "${key}"; use its id as the key`);
}

/** Every registered experiment, in the order `experiments list` shows them. */
export const EXPERIMENTS: readonly AnyExperiment[] = Object.values(EXPERIMENTS_BY_ID);

/** The experiment with this id; throws listing the known ids otherwise. */
export function getExperiment(id: string): AnyExperiment {
  const exp = EXPERIMENTS.find((e) => e.id === id);
  if (!exp) {
    throw new Error(
      `unknown experiment "${id}"; known experiments: ${EXPERIMENTS.map((e) => e.id).join(', ')} (see \`npm run experiments -- list\`)`,
    );
  }
  return exp;
}

/** Experiments selected by `--only a,b` (validated), or all with runByDefault !== false. */
export function selectExperiments(only?: string[]): AnyExperiment[] {
  if (only && only.length) return only.map((id) => getExperiment(id.trim()));
  return EXPERIMENTS.filter((e) => e.runByDefault !== false);
}

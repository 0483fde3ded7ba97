/**
 * agop-gd-catapults-rank4 (chapter 3): agop-gd-catapults' three GD schedules (below η_crit, above it,
 * and the ladder) on the rank-4 task, same network, sizes and rates. It reuses that experiment's
 * schema, outputs and run function; only the id and the task of its profiles differ, so the rank-2
 * traces stay as they are.
 */
import { agopGdCatapults } from './agopGdCatapults';
import { defineExperiment } from './types';

// typed copies of agop-gd-catapults' profiles (the registry stores them as plain data)
const profile = (name: 'paper' | 'quick') => agopGdCatapults.schema.parse(agopGdCatapults.profiles[name]);

export const agopGdCatapultsRank4 = defineExperiment({
  ...agopGdCatapults,
  id: 'agop-gd-catapults-rank4',
  title: 'GD with catapults on rank-4: AGOP alignment below η_crit, above it, and with a learning-rate ladder',
  description:
    'The schedules of agop-gd-catapults (η below η_crit, above it, and raised above each new η_crit) on rank-4 regression (n = 2000, d = 100), shallow ReLU net (m = 1024); AGOP alignment and test loss over training.',
  profiles: { paper: { ...profile('paper'), task: 'rank4' }, quick: { ...profile('quick'), task: 'rank4' } },
});

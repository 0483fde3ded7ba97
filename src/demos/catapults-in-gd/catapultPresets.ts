/**
 * The catapult demo's presets (kit/presets.ts): one per regime of Chapter 1, each a state over the
 * island's defaults. The rates sit well inside each regime for the default network: the site measured
 * η_max between 2.0 and 2.3 η_crit (shallow-eta-max), so 3 η_crit diverges; tests/e2e/catapultDemo.spec.ts
 * runs each and checks the regime it names.
 */
import type { DemoPreset } from '../kit/presets';
import type { CatapultDemoState } from './catapultDemoState';

export const CATAPULT_PRESETS: readonly DemoPreset<CatapultDemoState>[] = [
  {
    id: 'lazy',
    label: 'Lazy (0.5 η_crit)',
    describe: 'η below η_crit: the loss falls smoothly and λ_max barely moves.',
    state: { etaRatio: 0.5, maxSteps: 200 },
  },
  {
    id: 'catapult',
    label: 'Catapult (1.5 η_crit)',
    describe: 'η between η_crit and η_max: the loss shoots up, λ_max falls below 2/η, then the loss comes down.',
    state: { etaRatio: 1.5, maxSteps: 200 },
  },
  {
    id: 'diverge',
    label: 'Diverge (3 η_crit)',
    describe: 'η above η_max: the loss grows without bound and the run stops.',
    state: { etaRatio: 3, maxSteps: 200 },
  },
];

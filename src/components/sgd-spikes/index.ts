/** The components chapter “sgd-spikes” places on its page (its tables, figures, schematic and demo). */
export { default as BatchCriticalRate } from '../schematic/BatchCriticalRate.astro';
export { default as SgdSpikeDemo } from '../../demos/sgd-spikes/SgdSpikeDemo.astro';
export { default as KernelDropTable } from './KernelDropTable.astro';
export { default as LadderFactorTable } from './LadderFactorTable.astro';

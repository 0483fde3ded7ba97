/** The components chapter “catapults-in-gd” places on its page (its tables, figures, schematic and demo). */
export { default as CatapultValley } from '../schematic/CatapultValley.astro';
export { default as EtaMaxTable } from './EtaMaxTable.astro';
export { default as NqmThresholdsTable } from './NqmThresholdsTable.astro';
export { default as CatapultDemo } from '../../demos/catapults-in-gd/CatapultDemo.astro';

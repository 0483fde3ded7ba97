/** The components chapter “agop” places on its page (its tables, figures, schematic and demo). */
export { default as AgopAlignment } from '../schematic/AgopAlignment.astro';
export { default as BatchTable } from './BatchTable.astro';
export { default as AgopHeatmapFigure } from './AgopHeatmapFigure.astro';
export { default as AgopDemo } from '../../demos/agop/AgopDemo.astro';
export { default as MnistSweepTable } from './MnistSweepTable.astro';

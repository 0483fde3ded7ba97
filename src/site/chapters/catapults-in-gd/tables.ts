/**
 * Chapter 1 (catapults in GD): table specs for <Table> (src/site/table.ts), built from the same
 * readouts the chapter's prose and figures use; every cell's text is what the page showed before the
 * tables were specs, and its raw value the number behind it.
 */
import { PAPER_ETA_MAX_RATIO, PAPER_NQM_THRESHOLDS } from '../../paperNumbers';
import { blank, cell, meanStdCell, type TableSpec } from '../../table';
import { recordedSettings, sig } from '../common';
import { deepEtaMaxTable, etaMaxOverall, etaMaxTable, nqmVsNetworkData } from './readouts';

/** Whether the deep nets' mean η_max/η_crit per width is close to Lewkowycz et al.'s (within this much). */
export const DEEP_CLOSE = 1.5;
/** Whether the two-layer nets' η_max/η_crit is near the theory's (within this share of it). */
const NEAR_THEORY = 0.1;

/** η_max/η_crit per network and width (ours) beside the theory's value and Lewkowycz et al.'s. */
export function etaMaxTableSpec(): TableSpec {
  const rows = etaMaxTable();
  const all = etaMaxOverall();
  const deep = deepEtaMaxTable();
  const theory = PAPER_ETA_MAX_RATIO.theory;
  const paper = PAPER_ETA_MAX_RATIO.lewkowyczReluEmpirical;
  const deepClose = deep.every((r) => Math.abs(r.mean - paper) < DEEP_CLOSE);
  const deepMeans = deep.map((r) => r.mean.toFixed(1));
  const near = Math.abs(all.mean - theory) <= NEAR_THEORY * theory ? 'near' : 'away from';
  const lewk = cell(`≈ ${paper}`, paper);
  return {
    finding: `Two-layer networks stop converging at η_max/η_crit = ${all.text}, ${near} the theory's ${theory}; the ReLU FCN with ${deep[0].hiddenLayers} hidden layers reaches ${deepMeans.join(' and ')} per width, ${deepClose ? 'close to' : 'below'} the ≈ ${paper} of Lewkowycz et al.`,
    caption: 'η_max/η_crit per network and width, ours (mean ± std over seeds) beside the published values.',
    columns: [
      { key: 'network', header: 'network', role: 'label' },
      { key: 'ours', header: 'η_max / η_crit,\nours', role: 'ours' },
      { key: 'theory', header: 'theory\n(uv, NQM)', role: 'paper' },
      { key: 'lewkowycz', header: 'Lewkowycz et al.\n(ReLU nets)', role: 'paper' },
      { key: 'width', header: 'width', role: 'setting' },
      { key: 'seeds', header: 'seeds', role: 'setting' },
    ],
    rows: [
      ...rows.map((r) => ({
        network: cell('2-layer, rank-2 data'),
        ours: meanStdCell(r),
        theory: cell(String(theory), theory),
        lewkowycz: lewk,
        width: cell(String(r.m), r.m),
        seeds: cell(String(r.seeds), r.seeds),
      })),
      {
        network: cell('2-layer, all widths'),
        ours: meanStdCell(all),
        theory: cell(String(theory), theory),
        lewkowycz: lewk,
        width: blank(),
        seeds: cell(String(all.runs), all.runs),
      },
      ...deep.map((r) => ({
        network: cell(`FCN, ${r.hiddenLayers} hidden, MNIST`),
        ours: meanStdCell(r),
        theory: blank(),
        lewkowycz: lewk,
        width: cell(String(r.width), r.width),
        seeds: cell(String(r.seeds), r.seeds),
      })),
    ],
    settings: {
      'shallow-eta-max (as its traces record)': recordedSettings('shallow-eta-max'),
      'deep-eta-max (as its traces record)': recordedSettings('deep-eta-max'),
    },
    experiment: ['shallow-eta-max', 'deep-eta-max'],
  };
}

/** Our 2/λ_1(0) and 2/λ_2(0) as the page writes them (3 significant digits). */
export const threshold = (x: number): string => x.toPrecision(3);

/** How far our mean-squared thresholds are from the paper's, in words: "8.5 % and 2.6 % below". */
export function nqmGapText(): string {
  const d = nqmVsNetworkData();
  const size = (g: number) => `${sig(100 * Math.abs(g), 2)}\u00a0%`;
  const side = (g: number) => (g < 0 ? 'below' : 'above');
  return side(d.paperGap1) === side(d.paperGap2)
    ? `${size(d.paperGap1)} and ${size(d.paperGap2)} ${side(d.paperGap1)}`
    : `${size(d.paperGap1)} ${side(d.paperGap1)} and ${size(d.paperGap2)} ${side(d.paperGap2)}`;
}

/** The two critical rates of the two-Gaussian task under each loss normalisation (ours) beside the paper's. */
export function nqmThresholdsTableSpec(): TableSpec {
  const d = nqmVsNetworkData();
  const t = (x: number) => cell(threshold(x), x);
  const p = PAPER_NQM_THRESHOLDS;
  return {
    finding: `In the mean squared error without ½ our thresholds are ${nqmGapText()} the paper's; the ½Σ ones are n/2 = ${d.n / 2} times smaller.`,
    caption: `Critical learning rates of the two-Gaussian task (n = ${d.n}, width ${d.m}) under each loss normalisation, ours beside the paper (width ${p.width}).`,
    columns: [
      { key: 'rate', header: 'critical rate', role: 'label' },
      { key: 'half', header: 'ours,\n½Σ(f−y)²', role: 'ours' },
      { key: 'halfMean', header: 'ours,\n(1/2n)Σ(f−y)²', role: 'ours' },
      { key: 'mean', header: 'ours,\n(1/n)Σ(f−y)²', role: 'ours' },
      { key: 'paper', header: 'paper', role: 'paper' },
    ],
    rows: [
      {
        rate: cell('2/λ_1(0)'),
        half: t(d.threshold1),
        halfMean: t(d.threshold1HalfMean),
        mean: t(d.threshold1MeanSquared),
        paper: cell(String(p.twoOverLambda1), p.twoOverLambda1),
      },
      {
        rate: cell('2/λ_2(0)'),
        half: t(d.threshold2),
        halfMean: t(d.threshold2HalfMean),
        mean: t(d.threshold2MeanSquared),
        paper: cell(String(p.twoOverLambda2), p.twoOverLambda2),
      },
    ],
    settings: { 'nqm-vs-network (as its traces record)': recordedSettings('nqm-vs-network') },
    experiment: 'nqm-vs-network',
  };
}

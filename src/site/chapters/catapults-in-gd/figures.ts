/**
 * Chapter 1 (catapults in GD): figure props for <Figure> (spec, caption, alt, settings, data),
 * built from traces at build time. Captions and alt texts quote measured numbers from the same
 * traces (via ./readouts.ts).
 */
import { asVariant, findRun, getTrace, need } from '../../traces';
import { UV_PHASE_OUTPUTS } from '../../../experiments/uvCatapult';
import type { FigureSpec, SeriesSpec } from '../../figure';
import { PAPER_ETA_MAX_RATIO } from '../../paperNumbers';
import { paperProfile, sig } from '../common';
import {
  etaMaxOverall,
  etaMaxTable,
  nqmVsNetworkData,
  phaseDiagram,
  plShareAtPeak,
  projectedLossRun,
  regimeTrajectories,
  uvTrajectories,
  type RegimeTrajectory,
} from './readouts';

/** Props of the uv-model figure: loss and λ for η·λ0 = 1, 3, 4.5, and the phase diagram. */
export function uvFigure() {
  const runs = uvTrajectories();
  const phase = asVariant(getTrace('uv-catapult', 'phase-s0'), UV_PHASE_OUTPUTS);
  const name = (t: (typeof runs)[number]) => `η·λ0 = ${t.summary.etaLambda0} (${t.summary.observedOutcome})`;
  const cat = findRun(runs, 'of seed 0 with a catapult', (t) => t.summary.observedOutcome === 'catapult');
  const spec: FigureSpec = {
    width: 340,
    height: 260,
    panels: [
      {
        title: 'Loss ½f²',
        xLabel: 'step',
        yLabel: 'loss',
        yScale: 'log',
        series: runs.map((t) => ({ name: name(t), x: t.series.step, y: t.series.loss })),
      },
      {
        title: 'Tangent kernel λ',
        xLabel: 'step',
        yLabel: 'λ',
        series: runs.map((t) => ({ name: name(t), x: t.series.step, y: t.series.lambda })),
        hlines: runs.map((t) => ({ value: 2 / t.summary.eta, label: `2/η (η·λ0 = ${t.summary.etaLambda0})` })),
        yDomain: [0, (2 / runs[0].summary.eta) * 1.1],
      },
      {
        title: 'Phase diagram (3000 steps)',
        xLabel: 'η·λ0',
        yLabel: 'max loss / initial loss',
        yScale: 'log',
        series: [{ name: 'max loss ratio', x: phase.series.etaLambda0, y: phase.series.maxLossRatio, points: true }],
        vlines: [
          { value: 2, label: '2/λ0' },
          { value: 4, label: '4/λ0' },
        ],
      },
    ],
  };
  return {
    spec,
    caption: `The uv model of Lewkowycz et al. under GD, exact recursions, width m = ${cat.config.m}, seed 0 (λ0 = ${sig(cat.summary.lambda0)}).`,
    alt: `At η·λ0 = 1 the loss falls and λ stays put; at η·λ0 = 3 the loss climbs to ${sig(cat.summary.peakLoss)} at step ${cat.summary.peakStep}, λ falls to ${sig(cat.summary.finalLambda)}, below 2/η = ${sig(2 / cat.summary.eta)}, and the loss then converges; at η·λ0 = 4.5 it diverges. Over η·λ0 the first catapult appears at ${need(phase, 'firstCatapultEtaLambda0')} and the first divergence at ${need(phase, 'firstDivergentEtaLambda0')}.`,
    settings: {
      'uv-catapult (paper profile)': paperProfile('uv-catapult'),
      convention: 'L = ½f², one sample x = 1, y = 0; λ = (‖u‖²+‖v‖²)/m',
    },
    experiment: 'uv-catapult',
    data: { runs: runs.map((t) => ({ runKey: t.runKey, summary: t.summary })), phase: phase.summary },
  };
}

/** Props of the NQM-vs-network figure: loss, λ1, λ2 in the three η regimes. */
export function nqmFigure() {
  const d = nqmVsNetworkData();
  const regimes = ['below', 'between', 'above'] as const;
  const titles = { below: 'η < 2/λ1(0)', between: '2/λ1(0) < η < 2/λ2(0)', above: 'η > 2/λ2(0)' };
  const lossPanels = regimes.map((r) => {
    const net = d.get('network', r);
    const nqm = d.get('nqm', r);
    return {
      title: `Loss, ${titles[r]}`,
      xLabel: 'step',
      yLabel: 'loss ½Σ(f−y)²',
      yScale: 'log' as const,
      series: [
        { name: 'network', x: net.series.step, y: net.series.loss, color: 0 },
        { name: 'NQM', x: nqm.series.step, y: nqm.series.loss, color: 1, dashed: true },
      ],
    };
  });
  const lambdaPanels = regimes.map((r) => {
    const net = d.get('network', r);
    const nqm = d.get('nqm', r);
    const eta = net.summary.eta;
    return {
      title: `λ1, λ2, ${titles[r]}`,
      xLabel: 'step',
      yLabel: 'eigenvalue of K',
      series: [
        { name: 'λ1 network', x: net.series.step, y: net.series.lambda1, color: 0 },
        { name: 'λ2 network', x: net.series.step, y: net.series.lambda2, color: 2 },
        { name: 'λ1 NQM', x: nqm.series.step, y: nqm.series.lambda1, color: 1, dashed: true },
        { name: 'λ2 NQM', x: nqm.series.step, y: nqm.series.lambda2, color: 4, dashed: true },
      ] as SeriesSpec[],
      hlines: [{ value: 2 / eta, label: '2/η' }],
    };
  });
  const b = d.get('network', 'between').summary;
  const a = d.get('network', 'above').summary;
  return {
    spec: { width: 300, height: 240, panels: [...lossPanels, ...lambdaPanels] } as FigureSpec,
    caption: `A shallow ReLU net (width ${d.m}, no bias) and its quadratic model (NQM) trained by GD on ${d.n} one-dimensional two-Gaussian points, at η = ${sig(d.get('network', 'below').summary.eta)}, ${sig(d.get('network', 'between').summary.eta)} and ${sig(d.get('network', 'above').summary.eta)} (our ½Σ loss; 2/λ1(0) = ${sig(d.threshold1)}, 2/λ2(0) = ${sig(d.threshold2)}).`,
    alt: `Below 2/λ1(0) the loss decreases and both eigenvalues stay put. Between the two thresholds only λ1 catapults (it ends at ${sig(b.lambda1Ratio)} of its start while λ2 ends at ${sig(b.lambda2Ratio)}). Above 2/λ2(0) both drop (to ${sig(a.lambda1Ratio)} and ${sig(a.lambda2Ratio)} of their starts). The NQM follows the network closely.`,
    settings: { 'nqm-vs-network (paper profile)': paperProfile('nqm-vs-network') },
    experiment: 'nqm-vs-network',
    data: { summaries: d.traces.map((t) => ({ runKey: t.runKey, summary: t.summary })) },
  };
}

/** Props of the shallow-net trajectories figure (m = 1024, seed 0): loss and λ_max over steps. */
export function regimesFigure() {
  const runs = regimeTrajectories();
  const name = (t: RegimeTrajectory) => `η = ${t.summary.etaRatio} η_crit (${t.summary.regime})`;
  const spec: FigureSpec = {
    width: 420,
    height: 280,
    panels: [
      {
        title: 'Training loss ½Σ(f−y)²',
        xLabel: 'step',
        yLabel: 'loss',
        yScale: 'log',
        series: runs.map((t) => ({ name: name(t), x: t.series.step, y: t.series.loss })),
      },
      {
        title: 'λ_max(K) and 2/η',
        xLabel: 'step',
        yLabel: 'λ_max',
        series: runs.map((t) => ({ name: name(t), x: t.series.step, y: t.series.lambdaMax })),
        hlines: runs
          .filter((t) => t.summary.regime !== 'diverged')
          .map((t) => ({ value: 2 / t.summary.eta, label: `2/η at ${t.summary.etaRatio} η_crit` })),
      },
    ],
  };
  const cat = findRun(runs, 'trajectory of seed 0 in the catapult regime', (t) => t.summary.regime === 'catapult');
  return {
    spec,
    caption: `GD on the shallow ReLU net (n = ${cat.config.n}, d = ${cat.config.d}, m = ${cat.config.m}, rank-2 target x1·x2, seed 0) at several learning rates in units of η_crit = 2/λ_max(K(w0)) = ${sig(cat.summary.etaCrit)}.`,
    alt: `Below η_crit the loss falls monotonically and λ_max stays within ${sig(Math.abs(need(runs[0], 'finalLambdaRatio') - 1) * 100, 2)} %; at ${cat.summary.etaRatio} η_crit the loss rises ${sig(cat.summary.peakLossRatio)}× by step ${cat.summary.peakStep}, λ_max falls to ${sig(need(cat, 'finalLambdaRatio'))} of its start (below 2/η), and the loss then converges; past about 2.2 η_crit the run diverges.`,
    settings: { 'shallow-gd-regimes (paper profile)': paperProfile('shallow-gd-regimes') },
    experiment: 'shallow-gd-regimes',
    data: { runs: runs.map((t) => ({ runKey: t.runKey, summary: t.summary })) },
  };
}

/** Props of the phase diagram: peak loss ratio and final λ_max/λ0 vs η/η_crit, per width, band = min–max over seeds. */
export function phaseFigure() {
  const rows = phaseDiagram();
  const widths = [...new Set(rows.map((r) => r.m))];
  const em = etaMaxOverall();
  const per = (m: number) => rows.filter((r) => r.m === m);
  const spec: FigureSpec = {
    width: 420,
    height: 280,
    panels: [
      {
        title: 'Peak loss / initial loss',
        xLabel: 'η / η_crit',
        yLabel: 'log10 peak ratio',
        series: widths.map((m, i) => ({
          name: `m = ${m}`,
          x: per(m).map((r) => r.etaRatio),
          y: per(m).map((r) => r.logPeak.mean),
          yLow: per(m).map((r) => r.logPeak.min),
          yHigh: per(m).map((r) => r.logPeak.max),
          color: i,
        })),
        vlines: [
          { value: 1, label: 'η_crit' },
          { value: em.mean, label: 'mean η_max' },
        ],
      },
      {
        title: 'Final λ_max / λ0 (converged runs)',
        xLabel: 'η / η_crit',
        yLabel: 'λ_max(end) / λ0',
        series: widths.map((m, i) => ({
          name: `m = ${m}`,
          x: per(m).map((r) => r.etaRatio),
          y: per(m).map((r) => r.lambdaRatio?.mean ?? null),
          yLow: per(m).map((r) => r.lambdaRatio?.min ?? null),
          yHigh: per(m).map((r) => r.lambdaRatio?.max ?? null),
          color: i,
        })),
        vlines: [{ value: 1, label: 'η_crit' }],
      },
    ],
  };
  const seeds = rows[0].seeds;
  return {
    spec,
    caption: `Phase diagram of GD on the shallow ReLU net, rank-2 data, n = 128, d = 100; mean over ${seeds} seeds per point, band = min–max. Diverged runs count in the left panel with the loss at which they were stopped (10⁶ × initial).`,
    alt: `Up to 0.95 η_crit nothing happens (peak ratio 1, λ_max unchanged). From 1.05 η_crit on every run catapults: the peak grows with η and with width, and λ_max ends lower the larger η is. Runs diverge from about ${em.mean.toFixed(1)} η_crit on.`,
    settings: { 'shallow-gd-regimes (paper profile)': paperProfile('shallow-gd-regimes') },
    experiment: 'shallow-gd-regimes',
    data: { rows },
  };
}

/** Props of the η_max figure: per-seed bisection results for each width, with the two reference values. */
export function etaMaxFigure() {
  const table = etaMaxTable();
  const em = etaMaxOverall();
  const spec: FigureSpec = {
    width: 460,
    height: 260,
    panels: [
      {
        title: 'η_max / η_crit by width (each dot a seed)',
        xLabel: 'width m',
        xScale: 'log',
        yLabel: 'η_max / η_crit',
        yDomain: [1, 7],
        series: [
          {
            name: 'ours (bisection)',
            x: table.flatMap((r) => r.values.map(() => r.m)),
            y: table.flatMap((r) => r.values),
            points: true,
          },
        ],
        hlines: [
          { value: PAPER_ETA_MAX_RATIO.theory, label: 'theory: 2' },
          { value: PAPER_ETA_MAX_RATIO.lewkowyczReluEmpirical, label: 'Lewkowycz et al.: ≈ 6' },
        ],
      },
    ],
  };
  return {
    spec,
    caption: `The largest learning rate at which GD still converges, found by bisection (resolution ${sig(table[0].resolution, 2)} η_crit) per width and seed; shallow ReLU net, rank-2 data, n = 128, d = 100.`,
    alt: `Our η_max/η_crit is ${em.text} over ${em.runs} runs (range ${em.min.toFixed(2)}–${em.max.toFixed(2)}), independent of width: close to the theory's 2, far below the ≈ 6 reported for deeper ReLU networks.`,
    settings: { 'shallow-eta-max (paper profile)': paperProfile('shallow-eta-max') },
    experiment: 'shallow-eta-max',
    data: { table },
  };
}

/** Props of the projected-loss figure: PL_5, PL_5^⊥ and their sum over a catapult run. */
export function projectedLossFigure() {
  const t = projectedLossRun();
  const share = plShareAtPeak(t);
  const spec: FigureSpec = {
    width: 460,
    height: 280,
    panels: [
      {
        title: 'Loss split by eigendirections of K(w_t)',
        xLabel: 'step',
        yLabel: 'MSE (1/n)‖R‖²',
        yScale: 'log',
        series: [
          { name: 'total', x: t.series.step, y: t.series.plTotal, color: 7 },
          { name: 'PL_5 (top 5)', x: t.series.step, y: t.series.pl, color: 3 },
          { name: 'PL_5^⊥ (rest)', x: t.series.step, y: t.series.plPerp, color: 0, dashed: true },
        ],
      },
    ],
  };
  return {
    spec,
    caption: `Where the catapult lives: the residual of the run at ${t.summary.etaRatio} η_crit (m = ${t.summary.m}, seed 0) projected on the top-5 eigenvectors of the current tangent kernel (PL_5) and on the rest (PL_5^⊥).`,
    alt: `During the spike PL_5 carries the loss: ${(100 * share.share).toFixed(1)} % of it at the peak (step ${share.step}); PL_5^⊥ keeps decreasing as in the linear regime.`,
    settings: {
      'shallow-gd-regimes (paper profile)': paperProfile('shallow-gd-regimes'),
      run: t.runKey,
      s: t.config.s,
    },
    experiment: 'shallow-gd-regimes',
    data: { runKey: t.runKey, summary: t.summary },
  };
}

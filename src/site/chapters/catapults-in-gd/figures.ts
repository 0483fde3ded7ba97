/**
 * Chapter 1 (catapults in GD): figure props for <Figure> (spec, caption, alt, settings, data),
 * built from traces at build time. Captions and alt texts quote measured numbers from the same
 * traces (via ./readouts.ts).
 */
import { asVariant, findRun, getTrace, getTraces, need, nonEmpty } from '../../traces';
import { UV_PHASE_OUTPUTS } from '../../../experiments/uvCatapult';
import type { FigureSpec, SeriesSpec } from '../../figure';

/** Lower end of the uv figure's loss axis (the lazy run's loss underflows to 0 below it). */
const UV_LOSS_FLOOR = 1e-6; // the caption writes it as 10⁻⁶
import { PAPER_ETA_MAX_RATIO } from '../../paperNumbers';
import { countWord, recordedSettings, sig } from '../common';
import {
  etaMaxOverall,
  etaMaxTable,
  nqmVsNetworkData,
  phaseDiagram,
  phaseSummary,
  plShareAtPeak,
  projectedLossRun,
  regimeTrajectories,
  shallowEtaMaxOf,
  uvTrajectories,
  type RegimeTrajectory,
} from './readouts';

/** Props of the uv-model figure: loss and λ for the lazy, catapult and divergent runs, and the phase diagram. */
export function uvFigure() {
  const runs = uvTrajectories();
  const phase = asVariant(getTrace('uv-catapult', 'phase-s0'), UV_PHASE_OUTPUTS);
  const name = (t: (typeof runs)[number]) => `η·λ_0 = ${t.summary.etaLambda0} (${t.summary.observedOutcome})`;
  const cat = findRun(runs, 'of seed 0 with a catapult', (t) => t.summary.observedOutcome === 'catapult');
  const lazy = findRun(runs, 'of seed 0 that stays lazy', (t) => t.summary.observedOutcome === 'lazy');
  const div = findRun(runs, 'of seed 0 that diverges', (t) => t.summary.observedOutcome === 'divergent');
  // The lazy run's loss falls towards 0 geometrically; a floor keeps the catapult's rise in view.
  const floor = UV_LOSS_FLOOR;
  const lazyBelow = lazy.series.loss.findIndex((v) => v < floor);
  const lazyZero = lazy.series.loss.findIndex((v) => v === 0);
  const peak = Math.max(
    ...runs.filter((t) => t.summary.observedOutcome !== 'divergent').map((t) => t.summary.peakLoss),
  );
  const diverged = phase.series.outcome.map((o, i) => (o === 2 ? phase.series.etaLambda0[i] : null));
  const spec: FigureSpec = {
    panels: [
      {
        title: 'Loss ½f²',
        xLabel: 'step',
        // The catapult happens in the first few steps of 300: a log step axis shows it and the rest.
        xScale: 'symlog',
        yLabel: 'loss',
        yScale: 'log',
        yDomain: [floor, peak * 10],
        series: runs.map((t) => ({ name: name(t), x: t.series.step, y: t.series.loss })),
      },
      {
        title: 'Tangent kernel λ',
        xLabel: 'step',
        xScale: 'symlog',
        yLabel: 'λ',
        series: runs.map((t) => ({ name: name(t), x: t.series.step, y: t.series.lambda })),
        hlines: runs.map((t, i) => ({
          value: 2 / t.summary.eta,
          label: `2/η (η·λ_0 = ${t.summary.etaLambda0})`,
          color: i,
        })),
        yDomain: [0, (2 / runs[0].summary.eta) * 1.1],
      },
      {
        title: `Phase diagram (${phase.config.steps} steps)`,
        xLabel: 'η·λ_0',
        yLabel: 'max loss / initial loss',
        yScale: 'log',
        series: [
          {
            name: 'max loss ratio',
            x: phase.series.etaLambda0,
            // A diverged run has no finite ratio: a ✕ in the diverged row instead.
            y: phase.series.maxLossRatio.map((v, i) => (diverged[i] === null ? v : null)),
            points: true,
            divergedAt: diverged.filter((v): v is number => v !== null),
          },
        ],
        vlines: [
          { value: 2, label: '2/λ_0' },
          { value: 4, label: '4/λ_0' },
        ],
      },
    ],
  };
  return {
    spec,
    caption: `The uv model's exact GD recursions at ${countWord(runs.length)} rates; right, the phase diagram over η·λ_0 (✕: diverged).`,
    finding: `At η·λ_0 = ${lazy.summary.etaLambda0} the loss falls and λ stays put; at ${cat.summary.etaLambda0} the loss climbs to ${sig(cat.summary.peakLoss)}, λ falls below 2/η and the loss converges; at ${div.summary.etaLambda0} it diverges.`,
    alt: `At η·λ_0 = ${lazy.summary.etaLambda0} the loss falls and λ stays put; at η·λ_0 = ${cat.summary.etaLambda0} the loss climbs to ${sig(cat.summary.peakLoss)} at step ${cat.summary.peakStep}, λ falls to ${sig(cat.summary.finalLambda)}, below 2/η = ${sig(2 / cat.summary.eta)}, and the loss then converges; at η·λ_0 = ${div.summary.etaLambda0} it diverges. Over η·λ_0 the first catapult appears at ${need(phase, 'firstCatapultEtaLambda0')} and the first divergence at ${need(phase, 'firstDivergentEtaLambda0')}.`,
    setup: `The uv model of Lewkowycz et al., width m = ${cat.config.m}, seed 0 (λ_0 = ${sig(cat.summary.lambda0)}). The loss axis stops at 10⁻⁶${lazyBelow >= 0 ? `: the lazy run passes below it at step ${lazyBelow}${lazyZero >= 0 ? ` and reaches exactly 0 (float64) at step ${lazyZero}` : ''}` : ''}.`,
    settings: {
      'uv-catapult (as its traces record)': recordedSettings('uv-catapult'),
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
  const titles = { below: 'η < 2/λ_1(0)', between: '2/λ_1(0) < η < 2/λ_2(0)', above: 'η > 2/λ_2(0)' };
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
      title: `λ_1, λ_2, ${titles[r]}`,
      xLabel: 'step',
      yLabel: 'eigenvalue of K',
      series: [
        { name: 'λ_1 network', x: net.series.step, y: net.series.lambda1, color: 0 },
        { name: 'λ_2 network', x: net.series.step, y: net.series.lambda2, color: 2 },
        { name: 'λ_1 NQM', x: nqm.series.step, y: nqm.series.lambda1, color: 1, dashed: true },
        { name: 'λ_2 NQM', x: nqm.series.step, y: nqm.series.lambda2, color: 4, dashed: true },
      ] as SeriesSpec[],
      hlines: [{ value: 2 / eta, label: '2/η' }],
    };
  });
  const b = d.get('network', 'between').summary;
  const a = d.get('network', 'above').summary;
  return {
    // One row per regime: its loss beside its eigenvalues.
    spec: {
      panels: [...lossPanels, ...lambdaPanels],
      rows: regimes.map((_, i) => [i, regimes.length + i]),
    } as FigureSpec,
    caption: `A shallow ReLU net and its quadratic model (NQM) under GD, one rate regime per row: the loss, then λ_1 and λ_2.`,
    finding: `Below 2/λ_1(0) nothing moves; between the thresholds only λ_1 catapults (to ${sig(b.lambda1Ratio)} of its start); above 2/λ_2(0) both drop. The NQM follows the network closely.`,
    setup: `Width ${d.m}, no bias, trained by GD on ${d.n} one-dimensional two-Gaussian points, at η = ${sig(d.get('network', 'below').summary.eta)}, ${sig(d.get('network', 'between').summary.eta)} and ${sig(d.get('network', 'above').summary.eta)} (our ½Σ loss; 2/λ_1(0) = ${sig(d.threshold1)}, 2/λ_2(0) = ${sig(d.threshold2)}).`,
    alt: `Below 2/λ_1(0) the loss decreases and both eigenvalues stay put. Between the two thresholds only λ_1 catapults (it ends at ${sig(b.lambda1Ratio)} of its start while λ_2 ends at ${sig(b.lambda2Ratio)}). Above 2/λ_2(0) both drop (to ${sig(a.lambda1Ratio)} and ${sig(a.lambda2Ratio)} of their starts). The NQM follows the network closely.`,
    settings: { 'nqm-vs-network (as its traces record)': recordedSettings('nqm-vs-network') },
    experiment: 'nqm-vs-network',
    data: { summaries: d.traces.map((t) => ({ runKey: t.runKey, summary: t.summary })) },
  };
}

/** Props of the shallow-net trajectories figure (m = 1024, seed 0): loss and λ_max over steps. */
export function regimesFigure() {
  const runs = regimeTrajectories();
  const name = (t: RegimeTrajectory) => `η = ${t.summary.etaRatio} η_crit (${t.summary.regime})`;
  const spec: FigureSpec = {
    panels: [
      {
        title: 'Training loss ½Σ(f−y)²',
        xLabel: 'step',
        // The spikes peak within the first 10 of 200 steps: a log step axis spreads them out.
        xScale: 'symlog',
        yLabel: 'loss',
        yScale: 'log',
        series: runs.map((t) => ({ name: name(t), x: t.series.step, y: t.series.loss })),
      },
      {
        title: 'λ_max(K) and 2/η',
        xLabel: 'step',
        xScale: 'symlog',
        yLabel: 'λ_max',
        series: runs.map((t) => ({ name: name(t), x: t.series.step, y: t.series.lambdaMax })),
        hlines: runs
          .filter((t) => t.summary.regime !== 'diverged')
          .map((t) => ({ value: 2 / t.summary.eta, label: `2/η at ${t.summary.etaRatio} η_crit` })),
      },
    ],
  };
  const cat = findRun(runs, 'trajectory of seed 0 in the catapult regime', (t) => t.summary.regime === 'catapult');
  const diverged = runs.find((t) => t.summary.regime === 'diverged');
  return {
    spec,
    caption: `GD on the shallow ReLU net at several rates (units of η_crit): loss and λ_max over steps.`,
    finding: `Below η_crit the loss falls and λ_max stays put; at ${cat.summary.etaRatio} η_crit the loss rises ${sig(cat.summary.peakLossRatio)}× and λ_max falls below 2/η before the loss converges${diverged ? `; at ${diverged.summary.etaRatio} η_crit the run diverges` : ''}.`,
    setup: `n = ${cat.config.n}, d = ${cat.config.d}, m = ${cat.config.m}, rank-2 target x_1·x_2, seed 0; η_crit = 2/λ_max(K(w_0)) = ${sig(cat.summary.etaCrit)}.`,
    alt: `Below η_crit the loss falls monotonically and λ_max stays within ${sig(Math.abs(need(runs[0], 'finalLambdaRatio') - 1) * 100, 2)}\u00a0%; at ${cat.summary.etaRatio} η_crit the loss rises ${sig(cat.summary.peakLossRatio)}× by step ${cat.summary.peakStep}, λ_max falls to ${sig(need(cat, 'finalLambdaRatio'))} of its start (below 2/η), and the loss then converges${diverged ? `; at ${diverged.summary.etaRatio} η_crit the run diverges (at step ${diverged.summary.divergedAt})` : ''}. Bisection puts this width and seed's η_max at ${sig(shallowEtaMaxOf(cat.config.m, cat.seed))} η_crit.`,
    settings: { 'shallow-gd-regimes (as its traces record)': recordedSettings('shallow-gd-regimes') },
    experiment: 'shallow-gd-regimes',
    data: { runs: runs.map((t) => ({ runKey: t.runKey, summary: t.summary })) },
  };
}

/** Props of the phase diagram: peak loss ratio and final λ_max/λ0 vs η/η_crit, per width, band = min–max over seeds. */
export function phaseFigure() {
  const rows = phaseDiagram();
  const ps = phaseSummary();
  const widths = [...new Set(rows.map((r) => r.m))];
  const em = etaMaxOverall();
  const per = (m: number) => rows.filter((r) => r.m === m);
  const spec: FigureSpec = {
    panels: [
      {
        title: 'Peak loss / initial loss',
        xLabel: 'η / η_crit',
        yLabel: 'log₁₀ peak ratio',
        series: widths.map((m, i) => ({
          name: `m = ${m}`,
          x: per(m).map((r) => r.etaRatio),
          y: per(m).map((r) => r.logPeak?.mean ?? null),
          yLow: per(m).map((r) => r.logPeak?.min ?? null),
          yHigh: per(m).map((r) => r.logPeak?.max ?? null),
          // Where every seed diverged: a ✕ in the "diverged" row, not a value.
          divergedAt: per(m)
            .filter((r) => r.logPeak === null)
            .map((r) => r.etaRatio),
          color: i,
        })),
        vlines: [
          { value: 1, label: 'η_crit' },
          { value: em.mean, label: 'mean η_max' },
        ],
      },
      {
        title: 'Final λ_max / λ_0 (converged runs)',
        xLabel: 'η / η_crit',
        yLabel: 'λ_max(end) / λ_0',
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
  const mixed = rows.filter((r) => r.regimes.diverged > 0 && r.logPeak !== null);
  // Where the final λ_max / λ_0 is lowest, at the largest width (it rises again towards divergence).
  const wMax = Math.max(...widths);
  const withLambda = per(wMax).filter((r) => r.lambdaRatio !== null);
  const low = withLambda.reduce((a, b) => (b.lambdaRatio!.mean < a.lambdaRatio!.mean ? b : a));
  const lowestAt = low.etaRatio;
  const lowest = low.lambdaRatio!.mean;
  return {
    spec,
    caption: `GD on the shallow ReLU net; mean over seeds, band = min–max; ✕: every seed diverged.`,
    finding: `${ps.linearUpTo === null ? 'No rate of the grid leaves every run linear' : `Up to ${ps.linearUpTo} η_crit every run is linear`}; ${ps.catapultFrom === null ? 'no run catapults' : `from ${ps.catapultFrom} η_crit on every run ${ps.noLinearAbove ? 'catapults or diverges' : 'catapults, diverges or stays linear'}, the peak growing with η and width`}${ps.firstDivergence === null ? '' : `; the first runs diverge at ${ps.firstDivergence} η_crit`}.`,
    setup: `On rank-2 data, n = ${ps.n}, d = ${ps.d}; ${seeds} seeds per point; means and bands over the seeds that did not diverge; ✕ above the left panel marks a learning rate at which every seed diverged${mixed.length ? ` (at ${mixed.map((r) => `${r.etaRatio} η_crit, m = ${r.m}`).join('; ')} only some did)` : ''}.`,
    alt: `${ps.linearUpTo === null ? 'No η of the grid leaves every run linear' : `Up to ${ps.linearUpTo} η_crit every run is linear (peak / initial loss at most ${sig(ps.linearPeakMax)}, λ_max within ${sig(100 * ps.linearLambdaChangeMax, 2)}\u00a0% of its start)`}. ${ps.catapultFrom === null ? 'No run catapults' : `From ${ps.catapultFrom} η_crit on every run ${ps.noLinearAbove ? 'catapults or diverges' : 'catapults, diverges or stays linear'}`}: the peak grows with η and with width, and λ_max ends lower the larger η is up to ${lowestAt} η_crit (${sig(lowest)} of its start at width ${wMax})${withLambda.some((r) => r.etaRatio > lowestAt) ? ', and higher again beyond' : ''}. ${ps.firstDivergence === null ? 'No run diverges.' : `The first runs diverge at ${ps.firstDivergence} η_crit${ps.allDivergeFrom === null ? '' : `, every run from ${ps.allDivergeFrom} η_crit on`}; bisection puts η_max at ${em.text} η_crit.`}`,
    settings: { 'shallow-gd-regimes (as its traces record)': recordedSettings('shallow-gd-regimes') },
    experiment: 'shallow-gd-regimes',
    data: { rows },
  };
}

/** Props of the η_max figure: per-seed bisection results for each width, with the two reference values. */
export function etaMaxFigure() {
  const table = etaMaxTable();
  const em = etaMaxOverall();
  const cfg = nonEmpty(getTraces('shallow-eta-max'), 'shallow-eta-max runs')[0].config;
  const spec: FigureSpec = {
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
          { value: PAPER_ETA_MAX_RATIO.theory, label: `theory: ${PAPER_ETA_MAX_RATIO.theory}` },
          {
            value: PAPER_ETA_MAX_RATIO.lewkowyczReluEmpirical,
            label: `Lewkowycz et al.: ≈ ${PAPER_ETA_MAX_RATIO.lewkowyczReluEmpirical}`,
          },
        ],
      },
    ],
  };
  return {
    spec,
    caption: `The largest rate at which GD still converges, found by bisection per width and seed (shallow ReLU net, rank-2 data).`,
    finding: `Our η_max/η_crit is ${em.text} over ${em.runs} runs, independent of width: close to the theory's ${PAPER_ETA_MAX_RATIO.theory}, far below the ≈ ${PAPER_ETA_MAX_RATIO.lewkowyczReluEmpirical} reported for deeper ReLU networks.`,
    setup: `Bisection resolution ${sig(table[0].resolution, 2)} η_crit; n = ${cfg.n}, d = ${cfg.d}.`,
    alt: `Our η_max/η_crit is ${em.text} over ${em.runs} runs (range ${em.min.toFixed(2)}–${em.max.toFixed(2)}), independent of width: close to the theory's ${PAPER_ETA_MAX_RATIO.theory}, far below the ≈ ${PAPER_ETA_MAX_RATIO.lewkowyczReluEmpirical} reported for deeper ReLU networks.`,
    settings: { 'shallow-eta-max (as its traces record)': recordedSettings('shallow-eta-max') },
    experiment: 'shallow-eta-max',
    data: { table },
  };
}

/** Props of the projected-loss figure: PL_5, PL_5^⊥ and their sum over a catapult run. */
export function projectedLossFigure() {
  const t = projectedLossRun();
  const share = plShareAtPeak(t);
  const spec: FigureSpec = {
    panels: [
      {
        title: 'Loss split by eigendirections of K(w_t)',
        xLabel: 'step',
        yLabel: 'MSE (1/n)‖R‖²',
        yScale: 'log',
        series: [
          { name: 'total', x: t.series.step, y: t.series.plTotal, color: 7 },
          { name: `PL_5 (top ${t.config.s})`, x: t.series.step, y: t.series.pl, color: 3 },
          { name: 'PL_5^⊥ (rest)', x: t.series.step, y: t.series.plPerp, color: 0, dashed: true },
        ],
      },
    ],
  };
  return {
    spec,
    caption: `The residual of the run at ${t.summary.etaRatio} η_crit, projected on the top-${t.config.s} eigenvectors of the current tangent kernel (PL_5) and on the rest (PL_5^⊥).`,
    setup: `The shallow ReLU net, m = ${t.summary.m}, seed 0.`,
    alt: `During the spike PL_5 carries the loss: ${(100 * share.share).toFixed(1)} % of it at the peak (step ${share.step}); PL_5^⊥ keeps decreasing as in the linear regime.`,
    settings: {
      'shallow-gd-regimes (as its traces record)': recordedSettings('shallow-gd-regimes'),
      run: t.runKey,
      s: t.config.s,
    },
    experiment: 'shallow-gd-regimes',
    data: { runKey: t.runKey, summary: t.summary },
  };
}

/**
 * The figure engine without a browser: sub/superscript labels, log ticks that always label three
 * values, legend and reference-label placement away from the data, marker colours, the diverged row,
 * figure rows at the column's width, and the heatmap colour bar. (What a reader sees is measured in
 * the browser by tests/e2e/figures.spec.ts.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRich, richHtml, richPlain, richSvg, richWidth, wrapRich } from '../../../src/site/richText';
import { formatTick, logTicks, symlogTicks } from '../../../src/site/figureTicks';
import { FIGURE_WIDTHS, figureRows, layoutPanel, renderFigure, type PanelSpec } from '../../../src/site/figure';
import { panelSvg } from '../helpers/panelSvg';
import { colorBar, heatmapOpacity, renderHeatmap } from '../../../src/site/figureHeatmap';

const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>(.*?)<\/text>/g)].map((m) => m[1].replace(/<[^>]+>/g, ''));

test('labels with _ and ^ become sub- and superscripts in SVG, HTML and plain text', () => {
  assert.deepEqual(parseRich('λ_max(K)'), [
    { text: 'λ', kind: 'normal' },
    { text: 'max', kind: 'sub' },
    { text: '(K)', kind: 'normal' },
  ]);
  assert.deepEqual(
    parseRich('PL_5^⊥ (rest)').map((s) => s.kind),
    ['normal', 'sub', 'sup', 'normal'],
  );
  assert.equal(richHtml('η_crit = 2/λ_1(0)'), 'η<sub>crit</sub> = 2/λ<sub>1</sub>(0)');
  assert.equal(richHtml('K(X_B) and w_{t+1}'), 'K(X<sub>B</sub>) and w<sub>t+1</sub>');
  assert.equal(richHtml('PL_5^⊥ < 1 & x^{-1}'), 'PL<sub>5</sub><sup>⊥</sup> &lt; 1 &amp; x<sup>-1</sup>');
  assert.equal(richPlain('λ_max / η_crit'), 'λmax / ηcrit');
  assert.equal(richHtml('a\\_b, _x, 2/η, ½Σ(f−y)²'), 'a_b, _x, 2/η, ½Σ(f−y)²');
  // SVG: tspans shifted with dy and set smaller, back on the baseline after.
  const svg = richSvg('λ_max(K)', 12);
  assert.equal(svg, 'λ<tspan dy="3.36" font-size="9">max</tspan><tspan dy="-3.36">(K)</tspan>');
  assert.equal(richSvg('plain <text>', 12), 'plain &lt;text&gt;');
  assert.ok(richWidth('λ_max', 12) < richWidth('λmax', 12), 'scripts are narrower');
  assert.deepEqual(wrapRich('one two three four', 12, 60), ['one two', 'three', 'four']);
});

test('log ticks label at least three values, whatever the range', () => {
  const labelled = <T extends { label: string }>(t: T[]) => t.filter((x) => x.label);
  for (const [a, b] of [
    [256, 4096],
    [1.5, 90],
    [33.2, 37.9],
    [0.01, 0.012],
    [1e-300, 10],
    [60, 1e33],
  ] as [number, number][]) {
    const t = labelled(logTicks(a, b, 6));
    assert.ok(t.length >= 3, `[${a}, ${b}]: ${t.map((x) => x.label)}`);
    assert.ok(t.length <= 9, `[${a}, ${b}]: ${t.length} labels`);
    for (const x of t) assert.ok(x.value >= a * (1 - 1e-9) && x.value <= b * (1 + 1e-9));
  }
  assert.deepEqual(
    labelled(logTicks(1, 1000, 6)).map((t) => t.label),
    ['1', '10', '100', '1000'],
  );
  assert.deepEqual(
    labelled(logTicks(1e-6, 1, 8)).map((t) => t.label),
    ['10⁻⁶', '10⁻⁵', '10⁻⁴', '10⁻³', '10⁻²', '10⁻¹', '10⁰'],
  );
  assert.deepEqual(
    symlogTicks(0, 3000, 6).map((t) => t.label),
    ['0', '1', '10', '100', '1000'],
  );
  assert.equal(formatTick(-0.5, 0.5), '−0.5');
  assert.equal(formatTick(200000, 100000), '2·10⁵');
});

/** A panel whose data fills every corner of the plot, and one whose top-right corner is empty. */
const full: PanelSpec = {
  title: 'full',
  xLabel: 'step',
  yLabel: 'λ_max',
  series: [
    { name: 'a rather long legend entry (divergent)', x: [0, 1, 2, 3, 4], y: [0, 10, 0, 10, 0] },
    { name: 'b', x: [0, 1, 2, 3, 4], y: [10, 0, 10, 0, 10] },
  ],
};
const corner: PanelSpec = {
  title: 'corner',
  xLabel: 'step',
  yLabel: 'loss',
  series: [
    { name: 'falls', x: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], y: [10, 5, 2.5, 1.2, 0.6, 0.3, 0.2, 0.1, 0.1, 0.1, 0.1] },
  ],
};

test('legends go to a free corner, else above the plot; nothing is drawn in underscore notation', () => {
  const a = layoutPanel(corner, { width: 344, plotHeight: 180 });
  assert.equal(a.legend.mode, 'inside');
  const box = a.legend.box!;
  for (let i = 0; i <= 10; i++) {
    const px = a.x(i);
    const py = a.y(corner.series[0].y[i] as number);
    assert.ok(!(px > box.x0 && px < box.x1 && py > box.y0 && py < box.y1), `point ${i} under the legend`);
  }
  const b = layoutPanel(full, { width: 344, plotHeight: 180 });
  assert.equal(b.legend.mode, 'above');
  for (const it of b.legend.items) assert.ok(it.y < b.plot.y0, 'legend row above the plot');
  const svg = panelSvg(full, 'f', 'narrow');
  for (const t of texts(svg)) assert.doesNotMatch(t, /_/, t);
  assert.match(svg, /λ<tspan dy="3.36" font-size="9">max<\/tspan>/);
  assert.match(svg, /<g class="axis" data-axis="y" data-scale="linear">/);
});

test('reference labels avoid data and each other, moving beside or above the plot when they must', () => {
  const p: PanelSpec = {
    ...full,
    hlines: [{ value: 5, label: '2/η' }],
    vlines: [
      { value: 1, label: 'raise' },
      { value: 3, label: 'raise' },
      { value: 2, label: 'η_crit' },
    ],
  };
  const L = layoutPanel(p, { width: 344, plotHeight: 180 });
  const h = L.refs.find((r) => r.orient === 'h')!;
  assert.ok(h.text, 'the 2/η line is labelled');
  // No data under it: sample the zigzag lines in pixels.
  const box: { x0: number; x1: number; y0: number; y1: number } = h.text!.box;
  for (const s of p.series)
    for (let i = 1; i < s.x.length; i++)
      for (let t = 0; t <= 1; t += 0.01) {
        const px = L.x(s.x[i - 1] + t * (s.x[i] - s.x[i - 1]));
        const py = L.y((s.y[i - 1] as number) + t * ((s.y[i] as number) - (s.y[i - 1] as number)));
        assert.ok(!(px > box.x0 && px < box.x1 && py > box.y0 && py < box.y1), `2/η label over ${s.name}`);
      }
  // With labels everywhere the data is dense, a horizontal-line label moves into the right margin.
  const dense: PanelSpec = {
    ...p,
    series: [{ name: 'noise', x: [...Array(200).keys()], y: [...Array(200).keys()].map((i) => (i % 2 ? 10 : 0)) }],
    vlines: [],
  };
  const D = layoutPanel(dense, { width: 344, plotHeight: 180 });
  const dh = D.refs.find((r) => r.orient === 'h')!;
  assert.ok(dh.text && dh.text.box.x0 >= D.plot.x1, 'label beside the plot');
  const crit = L.refs.find((r) => r.label === 'η_crit')!;
  assert.ok(crit.text && crit.text.box.y1 <= L.plot.y0, 'vertical-line label above the plot');
  // Repeated labels are named once, in the legend, with the line's own symbol.
  assert.ok(L.refs.filter((r) => r.label === 'raise').every((r) => r.grouped && !r.text));
  assert.ok(L.legend.items.some((i) => i.entry.kind === 'vref' && i.entry.name === 'raise'));
});

test('markers never share a line colour, lines get marker shapes, diverged runs get their own row', () => {
  const p: PanelSpec = {
    title: 't',
    xLabel: 'step',
    yLabel: 'loss',
    yScale: 'log',
    series: [
      { name: 'vit loss', x: [0, 1, 2, 3], y: [4, 3, 2, 1], color: 3 },
      { name: 'spike peak', x: [1], y: [3], points: true, color: 3 },
      { name: 'other', x: [0, 1, 2, 3], y: [3, 3, 3, 3], color: 0, divergedAt: [2.5] },
    ],
  };
  const svg = panelSvg(p, 'm', 'narrow');
  const spike = /<g class="series (?:mk f|mkx s)(\d)" data-series="spike peak">/.exec(svg);
  assert.ok(spike, 'spike markers drawn');
  assert.notEqual(spike![1], '3');
  assert.match(svg, /class="series-marks mk f3"/, 'markers along the vit line');
  assert.match(svg, /<g class="diverged"><text[^>]*>diverged<\/text><g class="series-marks diverged-marks mkx s0">/);
  // Markers sit inside the axes: the x scale is inset, and the domain starts at the data.
  const L = layoutPanel(p, { width: 344, plotHeight: 180 });
  assert.equal(L.dom.xd[0], 0);
  assert.ok(L.xRange[0] > L.plot.x0);
});

test('figures come in rows at the column width: pairs aligned, a panel alone wide and narrow', () => {
  const spec = { panels: [corner, full, corner] };
  assert.deepEqual(figureRows(spec), [[0, 1], [2]]);
  assert.deepEqual(figureRows({ ...spec, columns: 1 }), [[0], [1], [2]]);
  assert.deepEqual(figureRows({ ...spec, rows: [[0], [1, 2]] }), [[0], [1, 2]]);
  const html = renderFigure(spec, 'fig-x');
  const svgs = [...html.matchAll(/<svg[^>]*viewBox="0 0 (\d+) (\d+)"[^>]*class="([^"]+)" id="([^"]+)"/g)].map((m) => ({
    w: +m[1],
    h: +m[2],
    cls: m[3],
    id: m[4],
  }));
  assert.deepEqual(
    svgs.map((s) => [s.id, s.cls, s.w]),
    [
      ['fig-x-p0', 'fig-panel', FIGURE_WIDTHS.narrow],
      ['fig-x-p1', 'fig-panel', FIGURE_WIDTHS.narrow],
      ['fig-x-p2', 'fig-panel fig-wide', FIGURE_WIDTHS.wide],
      ['fig-x-p2-n', 'fig-panel-alt fig-narrow', FIGURE_WIDTHS.narrow],
    ],
  );
  assert.equal(svgs[0].h, svgs[1].h, 'a pair has one height');
  const tops = ['fig-x-p0', 'fig-x-p1'].map(
    (id) => JSON.parse(new RegExp(`id="${id}"[^>]*data-geom="([^"]+)"`).exec(html)![1].replace(/&quot;/g, '"')).plot[1],
  );
  assert.equal(tops[0], tops[1], 'and one plot top');
  assert.equal(2 * FIGURE_WIDTHS.narrow + FIGURE_WIDTHS.gap, FIGURE_WIDTHS.wide);
});

test('the colour bar reads the heatmap cells', () => {
  const bar = colorBar({ x: 0, y: 0, height: 100, domain: [0, 1], label: '|G|' });
  const ops = [...bar.matchAll(/fill-opacity="([\d.]+)"/g)].map((m) => +m[1]);
  assert.equal(ops.length, 24);
  assert.ok(
    ops.every((o, i) => i === 0 || o > ops[i - 1]),
    'opacity grows up the bar',
  );
  assert.deepEqual(
    [...bar.matchAll(/class="tick"[^>]*>([^<]+)</g)].map((m) => m[1]),
    ['0', '0.5', '1'],
  );
  assert.equal(heatmapOpacity(0), 0.06);
  const svg = renderHeatmap(
    { title: 'G_{11}', values: [0, 0.5, 1, 0.25], rows: 2, cols: 2, colorLabel: '|G| / max' },
    'h',
  );
  assert.equal((svg.match(/<rect[^>]*><title>/g) ?? []).length, 4);
  assert.match(svg, /<g class="colorbar" data-domain="0,1">/);
  assert.match(svg, /G<tspan dy="3.64" font-size="9.75">11<\/tspan>/);
});

test('runs of two series that diverged at the same x get side-by-side ✕, neither hidden under the other', () => {
  const p: PanelSpec = {
    title: 't',
    xLabel: 'η',
    yLabel: 'spikes',
    series: [
      { name: 'b = 8', x: [0, 1], y: [1, 2], divergedAt: [2, 3] },
      { name: 'b = 32', x: [0, 1], y: [1, 3], divergedAt: [1.5, 2, 3] },
    ],
  };
  const svg = panelSvg(p, 'd', 'narrow');
  const row = /<g class="diverged">(.*?)<\/g><\/g>/.exec(svg)?.[0] ?? '';
  // Each ✕ is two strokes, each starting "M x0,y": its left edge; two ✕ closer than a marker's width would overlap.
  const lefts = [...row.matchAll(/M(-?[\d.]+),(-?[\d.]+)/g)].map((m) => +m[1]).filter((_, i) => i % 2 === 0);
  assert.equal(lefts.length, 5, row);
  const sorted = [...lefts].sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++) assert.ok(sorted[i] - sorted[i - 1] >= 6.6, `✕ at ${sorted.join(', ')}`);
});

/**
 * src/site/figure.ts: build-time SVG panels (scales, gaps, reference lines) and the CSV download,
 * read from the wide layout of a panel drawn alone, as the page draws it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  figureCsv,
  layoutPanel,
  PANEL_LAYOUTS,
  renderFigure,
  type FigureSpec,
  type PanelSpec,
} from '../../../src/site/figure';
import { panelSvg } from '../helpers/panelSvg';

/** The SVG of a panel alone on a wide screen, and that layout's scales. */
function widePanel(p: PanelSpec, id = 'fig-t') {
  const svg = panelSvg(p, id, 'wide');
  const L = layoutPanel(p, PANEL_LAYOUTS.wide);
  return { svg, g: { xDomain: L.dom.xd, xRange: L.xRange, yRange: L.yRange, plot: L.plot } };
}

const spec: FigureSpec = {
  panels: [
    {
      title: 'loss',
      xLabel: 'step',
      yLabel: 'loss',
      yScale: 'log',
      series: [
        { name: 'a, "quoted"', x: [0, 1, 2], y: [100, 10, 1] },
        { name: 'b', x: [0, 1, 2], y: [50, null, 0] },
      ],
      hlines: [{ value: 10, label: '2/η' }],
    },
  ],
};

test('a panel draws one path per series and maps data through the scales', () => {
  const { svg, g } = widePanel(spec.panels[0]);
  assert.equal((svg.match(/class="series /g) ?? []).length, 2);
  assert.match(svg, /data-label="2\/η"/);
  // log scale: y = 10 lies halfway between 1 and 100 in pixels.
  const mid = (g.yRange[0] + g.yRange[1]) / 2;
  const m = /<line class="ref" x1="[\d.]+" x2="[\d.]+" y1="([\d.]+)"/.exec(svg);
  assert.ok(m);
  assert.ok(Math.abs(Number(m![1]) - mid) < 0.01, `2/η line at ${m![1]}, expected ${mid}`);
  // series b has a gap (null) and a non-positive value on a log axis: its path has one point only.
  const b = /data-series="b" d="([^"]*)"/.exec(svg)![1];
  assert.equal((b.match(/[ML]/g) ?? []).length, 1);
});

test('a figure is drawn deterministically and a panel without data is refused', () => {
  assert.equal(renderFigure(spec, 'x'), renderFigure(spec, 'x'));
  assert.throws(
    () => renderFigure({ panels: [{ ...spec.panels[0], series: [{ name: 'e', x: [0], y: [NaN] }], hlines: [] }] }, 'x'),
    /no finite data/,
  );
});

test('figureCsv writes every point with quoting and empty cells for gaps', () => {
  const csv = figureCsv(spec).trim().split('\n');
  assert.equal(csv[0], 'panel,series,x,y,yLow,yHigh');
  assert.equal(csv.length, 1 + 6);
  assert.equal(csv[1], 'loss,"a, ""quoted""",0,100,,');
  assert.equal(csv[5], 'loss,b,1,,,');
});

test('a span is shaded from x(from) to x(to), clipped to the plot, with its label as tooltip; an empty span is refused', () => {
  const p = {
    title: 'test loss',
    xLabel: 'η / η_crit',
    yLabel: 'MSE',
    series: [{ name: 'a', x: [0, 1, 2, 3], y: [1, 2, 3, 4] }],
    spans: [
      { from: 1, to: 2, label: 'catapults' },
      { from: 2.5, to: 9, label: 'beyond' },
    ],
  };
  const { svg, g } = widePanel(p, 'fig-s');
  const x = (v: number) =>
    g.xRange[0] + ((v - g.xDomain[0]) / (g.xDomain[1] - g.xDomain[0])) * (g.xRange[1] - g.xRange[0]);
  const rects = [...svg.matchAll(/class="span-fill" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/g)].map((m) => [
    +m[1],
    +m[2],
  ]);
  assert.equal(rects.length, 2);
  assert.ok(Math.abs(rects[0][0] - x(1)) < 0.01 && Math.abs(rects[0][0] + rects[0][1] - x(2)) < 0.01, `${rects[0]}`);
  // The second runs past the data: it stops at the plot's right edge.
  assert.ok(Math.abs(rects[1][0] + rects[1][1] - g.plot.x1) < 0.01, `${rects[1]} vs ${g.plot.x1}`);
  assert.match(svg, /<g class="span" data-label="catapults">/);
  assert.throws(
    () => renderFigure({ panels: [{ ...p, spans: [{ from: 2, to: 2, label: 'none' }] }] }, 'x'),
    /span "none" needs to > from/,
  );
});

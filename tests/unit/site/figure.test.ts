/**
 * src/site/figure.ts: build-time SVG panels (scales, gaps, reference lines) and the CSV download.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { figureCsv, panelGeometry, renderPanel, type FigureSpec } from '../../../src/site/figure';

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

test('renderPanel draws one path per series and maps data through the scales', () => {
  const svg = renderPanel(spec.panels[0], 'fig-t-p0', 400, 300);
  assert.equal((svg.match(/class="series /g) ?? []).length, 2);
  assert.match(svg, /data-label="2\/η"/);
  const g = panelGeometry(spec.panels[0], 400, 300);
  // log scale: y = 10 lies halfway between 1 and 100 in pixels.
  const mid = (g.yRange[0] + g.yRange[1]) / 2;
  const m = /<line class="ref" x1="[\d.]+" x2="[\d.]+" y1="([\d.]+)"/.exec(svg);
  assert.ok(m);
  assert.ok(Math.abs(Number(m![1]) - mid) < 0.01, `2/η line at ${m![1]}, expected ${mid}`);
  // series b has a gap (null) and a non-positive value on a log axis: its path has one point only.
  const b = /data-series="b" d="([^"]*)"/.exec(svg)![1];
  assert.equal((b.match(/[ML]/g) ?? []).length, 1);
});

test('renderPanel is deterministic and refuses a panel without data', () => {
  assert.equal(renderPanel(spec.panels[0], 'x'), renderPanel(spec.panels[0], 'x'));
  assert.throws(
    () => renderPanel({ ...spec.panels[0], series: [{ name: 'e', x: [0], y: [NaN] }], hlines: [] }, 'x'),
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

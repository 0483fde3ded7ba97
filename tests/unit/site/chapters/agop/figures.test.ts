/** src/site/chapters/agop/figures.ts: every chapter-3 figure builds from the traces, its caption and alt text free of missing values. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  agopHeatmapFigure,
  curvesFigure,
  gdCatapultsFigure,
  scatterFigure,
} from '../../../../../src/site/chapters/agop/figures';
import { assertFigureReadable, assertReadable } from '../readable';

test('every <Figure> of chapter 3 has panels with data and a readable caption and alt text', () => {
  for (const [name, build] of Object.entries({ scatterFigure, curvesFigure, gdCatapultsFigure })) {
    const fig = build();
    assert.ok(fig.spec.panels.length > 0 && fig.spec.panels.every((p) => p.series.length > 0), name);
    assertFigureReadable(fig, name);
  }
});

test('AGOP heatmaps: four k×k blocks scaled to [0, 1] (true, GD, small batch, their difference), with the caption numbers', () => {
  const h = agopHeatmapFigure();
  assert.equal(h.panels.length, 4);
  const [, gd, small, diff] = h.panels;
  const d = gd.values.map((x, i) => Math.abs(small.values[i] - x));
  assert.ok(Math.abs(Math.max(...d) - h.diffMax) < 1e-12);
  diff.values.forEach((v, i) => assert.ok(Math.abs(v - d[i] / h.diffMax) < 1e-12, `difference at ${i}`));
  assert.equal(h.k, 10);
  for (const p of h.panels) {
    assert.equal(p.values.length, h.k * h.k);
    assert.equal(Math.max(...p.values), 1);
    assertReadable(p.title, 'heatmap title');
  }
  for (const v of [h.offDiagGd, h.offDiagSmall, h.g33Gd, h.g33Small]) assert.ok(v >= 0 && v <= 1);
});

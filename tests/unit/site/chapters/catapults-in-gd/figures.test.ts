/** src/site/chapters/catapults-in-gd/figures.ts: every chapter-1 figure builds from the traces, its caption and alt text free of missing values. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as figures from '../../../../../src/site/chapters/catapults-in-gd/figures';
import { assertFigureReadable } from '../readable';
import { figureRows } from '../../../../../src/site/figure';

test('every figure of chapter 1 has panels with data and a readable caption and alt text', () => {
  for (const [name, build] of Object.entries(figures)) {
    const fig = build();
    assert.ok(fig.spec.panels.length > 0 && fig.spec.panels.every((p) => p.series.length > 0), name);
    assertFigureReadable(fig, name);
  }
});

test('the NQM figure puts each regime on one row: its loss beside its eigenvalues', () => {
  const { spec } = figures.nqmFigure();
  const rows = figureRows(spec);
  assert.equal(rows.length, 3);
  for (const row of rows) {
    const titles = row.map((i) => spec.panels[i].title);
    assert.equal(titles.length, 2, titles.join(' | '));
    assert.match(titles[0], /^Loss, /);
    assert.equal(titles[0].replace(/^Loss, /, ''), titles[1].replace(/^λ_1, λ_2, /, ''), titles.join(' | '));
  }
});

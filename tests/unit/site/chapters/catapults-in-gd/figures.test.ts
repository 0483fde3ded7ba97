/** src/site/chapters/catapults-in-gd/figures.ts: every chapter-1 figure builds from the traces, its caption and alt text free of missing values. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as figures from '../../../../../src/site/chapters/catapults-in-gd/figures';
import { assertFigureReadable } from '../readable';

test('every figure of chapter 1 has panels with data and a readable caption and alt text', () => {
  for (const [name, build] of Object.entries(figures)) {
    const fig = build();
    assert.ok(fig.spec.panels.length > 0 && fig.spec.panels.every((p) => p.series.length > 0), name);
    assertFigureReadable(fig, name);
  }
});

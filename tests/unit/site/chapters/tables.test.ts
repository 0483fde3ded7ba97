/**
 * src/site/chapters/<slug>/tables.ts: every chapter table builds from the traces into a spec that
 * passes the table checks (columns in reading order, every cell present, caption short), with a
 * readable finding, caption and cells.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ch1 from '../../../../src/site/chapters/catapults-in-gd/tables';
import * as ch2 from '../../../../src/site/chapters/sgd-spikes/tables';
import * as ch3 from '../../../../src/site/chapters/agop/tables';
import { checkTableSpec, tableCsv, type TableSpec } from '../../../../src/site/table';
import { assertReadable } from './readable';

const specs: [string, () => TableSpec][] = [
  ['etaMax', ch1.etaMaxTableSpec],
  ['nqmThresholds', ch1.nqmThresholdsTableSpec],
  ['kernelDrops', ch2.kernelDropTableSpec],
  ['ladderFactors', ch2.ladderFactorTableSpec],
  ['batch rank2', () => ch3.batchTableSpec('rank2')],
  ['batch rank4', () => ch3.batchTableSpec('rank4')],
  ['mnist01', () => ch3.mnistSweepTableSpec('mnist01')],
  ['mnist35', () => ch3.mnistSweepTableSpec('mnist35')],
  ['optimizer correlation', ch3.optimizerCorrelationTableSpec],
  ['optimizers', ch3.optimizerRowsTableSpec],
  ['removal align', () => ch3.removalTableSpec('align')],
  ['removal test', () => ch3.removalTableSpec('testLoss')],
  ['removal counts', ch3.removalCountTableSpec],
];

test('every chapter table is a valid spec with a readable finding, caption and cells', () => {
  for (const [name, build] of specs) {
    const spec = checkTableSpec(build(), name);
    assertReadable(spec.finding, `${name} finding`);
    assertReadable(spec.caption, `${name} caption`);
    for (const r of spec.rows) for (const c of spec.columns) assertReadable(r[c.key].text, `${name} ${c.key}`);
    // one CSV line per row, after the header
    assert.equal(tableCsv(spec).trimEnd().split('\n').length, spec.rows.length + 1, name);
  }
});

test('tables with the paper’s numbers put ours before them', () => {
  for (const [name, build] of specs) {
    const roles = build().columns.map((c) => c.role);
    if (!roles.includes('paper')) continue;
    assert.ok(roles.indexOf('ours') < roles.indexOf('paper'), `${name}: ${roles.join(', ')}`);
    assert.equal(roles[roles.indexOf('ours') - 1], 'label', `${name}: ours right after the row labels`);
  }
});

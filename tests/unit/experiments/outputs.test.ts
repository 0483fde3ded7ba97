/**
 * src/experiments/outputs.ts: a trace body is checked against an experiment's declared summary
 * schema and series names, every mismatch named by field; with several kinds of run, the closest
 * kind is reported. And every registered experiment declares its outputs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { checkOutputs, defineOutputs, formatOutputIssues, outputIssues } from '../../../src/experiments/outputs';
import { EXPERIMENTS } from '../../../src/experiments/registry';

const traj = defineOutputs({
  name: 'trajectory',
  summarySchema: z.object({ eta: z.number(), peak: z.number().nullable() }).strict(),
  seriesNames: ['step', 'loss'],
  optionalSeriesNames: ['lambda'],
});
const phase = defineOutputs({
  name: 'phase',
  summarySchema: z.object({ first: z.number() }).strict(),
  seriesNames: ['grid'],
});

test('a matching body has no issues; optional series may be absent or present', () => {
  assert.deepEqual(outputIssues(traj, { summary: { eta: 1, peak: null }, series: { step: [0], loss: [1] } }), []);
  assert.deepEqual(
    outputIssues(traj, { summary: { eta: 1, peak: 2 }, series: { step: [0], loss: [1], lambda: [3] } }),
    [],
  );
});

test('a renamed summary key is named on both sides, a null where none is allowed and a wrong type by field', () => {
  const renamed = outputIssues(traj, { summary: { etaRatio: 1, peak: null }, series: { step: [], loss: [] } });
  const fields = renamed.map((i) => i.field).sort();
  assert.deepEqual(fields, ['summary.eta', 'summary.etaRatio']);
  assert.match(formatOutputIssues(renamed), /field "summary\.etaRatio": not in the summary schema/);
  assert.deepEqual(
    outputIssues(traj, { summary: { eta: null, peak: null }, series: { step: [], loss: [] } }).map((i) => i.field),
    ['summary.eta'],
  );
  assert.deepEqual(
    outputIssues(traj, { summary: { eta: 'fast', peak: null }, series: { step: [], loss: [] } }).map((i) => i.field),
    ['summary.eta'],
  );
});

test('a renamed or missing series is named', () => {
  const issues = outputIssues(traj, { summary: { eta: 1, peak: null }, series: { step: [], losses: [] } });
  assert.deepEqual(issues, [
    { field: 'series.loss', message: 'missing' },
    { field: 'series.losses', message: 'not a declared series name' },
  ]);
});

test('with several kinds of run a body must match one; otherwise the closest kind is reported', () => {
  assert.equal(checkOutputs([traj, phase], { summary: { first: 2 }, series: { grid: [1] } }), null);
  const bad = checkOutputs([traj, phase], { summary: { firstCatapult: 2 }, series: { grid: [1] } });
  assert.ok(bad);
  assert.equal(bad.variant, 'phase');
  assert.deepEqual(bad.issues.map((i) => i.field).sort(), ['summary.first', 'summary.firstCatapult']);
  assert.equal(checkOutputs(traj, { summary: { eta: 1, peak: 0 }, series: { step: [], loss: [] } }), null);
});

test('every registered experiment declares its outputs', () => {
  for (const e of EXPERIMENTS) {
    const kinds = Array.isArray(e.outputs) ? e.outputs : [e.outputs];
    assert.ok(kinds.length > 0, e.id);
    for (const k of kinds) assert.ok(k.summarySchema && k.seriesNames.length > 0, `${e.id} (${k.name})`);
  }
});

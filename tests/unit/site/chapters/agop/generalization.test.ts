import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getTraces } from '../../../../../src/site/traces';
import { bestRate, etaRows, generalizationTasks } from '../../../../../src/site/chapters/agop/generalization';

test('committed test-loss-vs-eta traces: rows recount the runs, and the best rate is the lowest mean test loss among rates without a divergence', () => {
  const all = getTraces('test-loss-vs-eta');
  for (const task of generalizationTasks()) {
    const rows = etaRows(task);
    const runs = all.filter((t) => t.summary.task === task);
    assert.equal(
      rows.reduce((s, r) => s + r.seeds, 0),
      runs.length,
    );
    for (const r of rows) {
      const at = runs.filter((t) => t.summary.etaRatio === r.etaRatio);
      assert.equal(r.diverged, at.filter((t) => t.summary.diverged).length);
      const ok = at.filter((t) => !t.summary.diverged).map((t) => t.summary.testLossOverVar!);
      if (ok.length) assert.ok(Math.abs(r.testOverVar!.mean - ok.reduce((a, b) => a + b, 0) / ok.length) < 1e-12);
    }
    const { best } = bestRate(task);
    for (const r of rows.filter((x) => x.diverged === 0)) assert.ok(best.testOverVar!.mean <= r.testOverVar!.mean);
    // Every run that did not diverge reached the same training-loss stop rule.
    for (const t of runs.filter((x) => !x.summary.diverged)) assert.equal(t.summary.stopReason, 'converged', t.runKey);
  }
});

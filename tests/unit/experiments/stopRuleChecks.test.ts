/**
 * The semantic checks of optimizer-alignment traces (and its variants) on constructed runs: GD's loss
 * is read at every step, a mini-batch run's every config.lossEvery steps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { semanticIssues } from '../../../src/experiments/checks';

/** A converged run of `steps` steps whose loss was recorded at `every`-step intervals. */
function trace(experiment: string, optimizer: string, every: number, steps = 20) {
  const step = Array.from({ length: Math.ceil(steps / every) }, (_, i) => i * every);
  return {
    experiment,
    runKey: `rank2-${optimizer}-r0p5-s0`,
    config: { n: 8, lossEvery: 5, maxSteps: 100 },
    summary: { optimizer, stopReason: 'converged', steps, netSteps: 10, catapults: 0, batchSize: 4, testError: null },
    series: { step, trainLoss: step.map((s) => 1 / (1 + s)) },
  } as never;
}

for (const exp of ['optimizer-alignment', 'mnist-batch-sweep', 'optimizer-alignment-sweep']) {
  test(`${exp}: GD read at every step and SGD every lossEvery steps pass; the other way round is named`, () => {
    assert.deepEqual(semanticIssues(trace(exp, 'gd', 1)), []);
    assert.deepEqual(semanticIssues(trace(exp, 'sgd', 5)), []);
    assert.match(JSON.stringify(semanticIssues(trace(exp, 'gd', 5))), /records every 1 steps/);
    assert.match(JSON.stringify(semanticIssues(trace(exp, 'sgd', 1))), /records every 5 steps/);
  });
}

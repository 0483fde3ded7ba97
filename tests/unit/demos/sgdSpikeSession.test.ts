/**
 * The "Watch SGD spike" session driven directly in Node (wasm backend, as in the browser): the
 * settings the e2e test uses really spike within 500 steps, the default's batches straddle η̄ and
 * spike too, a finished run continues when extended, the batch critical rate is the
 * recomputed 2b/λ_max(K(w; X_B)), one step is a step on the batch MEAN loss, short last batches
 * use their own size, and a blow-up stops the run with a reason.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src/lib/backend';
import { Prng } from '../../../src/lib/prng';
import { rank2Task, sampleTask } from '../../../src/lib/tasks';
import { createShallowNet } from '../../../src/lib/models/shallow';
import { lambdaMax } from '../../../src/lib/tangentKernel';
import { DEFAULT_SGD_SPIKE_DEMO_STATE, mergeSgdSpikeDefaults } from '../../../src/demos/sgd-spikes/sgdSpikeDemoState';
import { SgdSpikeSession, type SgdSpikeStepRecord } from '../../../src/demos/sgd-spikes/sgdSpikeSession';
import { MAX_RUN_STEPS } from '../../../src/demos/kit/session';

before(async () => {
  await initBackend(['wasm', 'cpu']);
});

function runSteps(s: SgdSpikeSession, k: number): SgdSpikeStepRecord[] {
  const out: SgdSpikeStepRecord[] = [];
  while (out.length < k && !s.finished && !s.diverged) out.push(s.step());
  return out;
}

/** Data and w0 rebuilt from the seed without the session (the streams src/demos/kit/shallowDemoSetup.ts documents). */
function rebuild(seed: number, n: number, d: number, m: number) {
  const prng = new Prng(seed);
  const data = sampleTask(rank2Task(d), n, prng.fork(1));
  const net = createShallowNet({ d, m, prng: prng.fork(2) });
  return { data, net, X: tf.tensor2d(data.X, [n, d]) };
}

test('b = 8, η̄ = 0.9 η̄_crit, seed 0 (the e2e spike test): a spike of the full-train loss within 500 steps, no divergence', () => {
  const s = SgdSpikeSession.create(mergeSgdSpikeDefaults({ etaRatio: 0.9, maxSteps: 500 }));
  try {
    runSteps(s, 500);
    assert.equal(s.diverged, null);
    assert.equal(s.numSteps, 500);
    const spikes = s.spikes().filter((e) => !e.diverged);
    assert.ok(spikes.length >= 1, 'no spike detected');
    // Measured: the first spike starts at step 9 (peak at 16, 4.4× its start).
    assert.ok(spikes[0].start < 50, `first spike starts at ${spikes[0].start}`);
    assert.ok(spikes[0].ratio > 2);
    assert.ok(s.trainLoss[499] < s.trainLoss[0], 'SGD still trains the net');
  } finally {
    s.dispose();
  }
});

test('defaults (b = 8, η̄ = 0.6 η̄_crit, seed 0): batch critical rates on both sides of η̄, and spikes', () => {
  assert.equal(DEFAULT_SGD_SPIKE_DEMO_STATE.etaRatio, 0.6);
  const s = SgdSpikeSession.create(mergeSgdSpikeDefaults({ maxSteps: 300 }));
  try {
    const recs = runSteps(s, 300);
    assert.equal(s.diverged, null);
    const below = recs.slice(0, 100).filter((r) => r.batchEtaCrit < r.eta).length;
    // Measured: 31 of the first 100 batches lie below η̄ (catapult regime), 69 above.
    assert.ok(below >= 10 && below <= 90, `${below} of the first 100 batches below η̄`);
    const spikes = s.spikes().filter((e) => !e.diverged);
    assert.ok(spikes.length >= 1, 'no spike detected');
    assert.ok(spikes[0].start < 50, `first spike starts at ${spikes[0].start}`);
  } finally {
    s.dispose();
  }
});

test('a finished run continues for the extension, from where it stopped, up to MAX_RUN_STEPS in all', () => {
  const s = SgdSpikeSession.create(mergeSgdSpikeDefaults({ n: 64, d: 10, m: 128, b: 8, seed: 2, maxSteps: 10 }));
  try {
    const first = runSteps(s, 100);
    assert.equal(first.length, 10);
    assert.ok(s.finished);
    assert.equal(s.extend(10), 10);
    assert.equal(s.finished, false);
    s.setEtaRatio(0.3);
    const more = runSteps(s, 100);
    assert.deepEqual(
      more.map((r) => r.step),
      [...Array(10).keys()].map((i) => 10 + i),
    );
    assert.ok(Math.abs(more[0].eta / s.etaCrit - 0.3) < 1e-12);
    assert.ok(s.finished);
    assert.equal(s.extend(MAX_RUN_STEPS), MAX_RUN_STEPS - 20);
    assert.equal(s.extend(5), 0);
  } finally {
    s.dispose();
  }
});

test('the same η̄ at b = 64 gives no spike in 500 steps (batch critical rates stay near the full-set one)', () => {
  const s = SgdSpikeSession.create(mergeSgdSpikeDefaults({ b: 64, etaRatio: 0.9, maxSteps: 500 }));
  try {
    const recs = runSteps(s, 500);
    assert.equal(s.spikes().length, 0);
    const ratios = recs.map((r) => r.batchEtaCrit / s.etaCrit);
    assert.ok(Math.min(...ratios) > 0.8, `smallest batch critical rate ${Math.min(...ratios)}`);
  } finally {
    s.dispose();
  }
});

test('η̄_crit = 2n/λ_max(K(w0)) and each batch critical rate = 2b/λ_max(K(w_t; X_B)), recomputed from scratch at w0', () => {
  const state = mergeSgdSpikeDefaults({ n: 64, d: 10, m: 128, b: 8, seed: 3, maxSteps: 20 });
  const s = SgdSpikeSession.create(state);
  const ref = rebuild(3, 64, 10, 128);
  try {
    const lambda0 = lambdaMax(ref.net, ref.X);
    assert.ok(Math.abs(s.lambda0 / lambda0 - 1) < 1e-9);
    assert.ok(Math.abs(s.etaCrit / ((2 * 64) / lambda0) - 1) < 1e-9);
    const [r0] = runSteps(s, 1);
    assert.equal(r0.batch.length, 8);
    assert.equal(new Set(r0.batch).size, 8);
    const Xb = tf.gather(ref.X, r0.batch) as tf.Tensor2D;
    const expected = (2 * 8) / lambdaMax(ref.net, Xb);
    Xb.dispose();
    assert.ok(Math.abs(r0.batchEtaCrit / expected - 1) < 1e-9, `${r0.batchEtaCrit} vs ${expected}`);
    // Not the ½Σ batch rate 2/λ_B, and not the full-set rate.
    assert.ok(Math.abs(r0.batchEtaCrit - expected / 8) > 1e-3);
  } finally {
    s.dispose();
    ref.net.dispose();
    ref.X.dispose();
  }
});

/** w ← w − η̄ ∇(1/2|B|)Σ_B(f−y)² on the rebuilt net, by hand; returns the mean batch loss before the step. */
function handStep(ref: ReturnType<typeof rebuild>, batch: number[], etaBar: number): number {
  const Xb = tf.gather(ref.X, batch) as tf.Tensor2D;
  const yb = tf.tensor1d(batch.map((i) => ref.data.y[i]));
  // lossAndGrads is the ½Σ convention: its gradient is |B| × that of the mean loss.
  const { loss, grads } = ref.net.lossAndGrads(Xb, yb);
  const meanLoss = loss.dataSync()[0] / batch.length;
  ref.net.params.forEach((p, i) => p.assign(tf.sub(p, tf.mul(grads[i], etaBar / batch.length))));
  [loss, ...grads, Xb, yb].forEach((t) => t.dispose());
  return meanLoss;
}

function fullMeanLoss(ref: ReturnType<typeof rebuild>): number {
  const f = ref.net.predict(ref.X);
  const fv = f.dataSync();
  f.dispose();
  let sq = 0;
  for (let i = 0; i < ref.data.n; i++) sq += (fv[i] - ref.data.y[i]) ** 2;
  return sq / (2 * ref.data.n);
}

const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a / b - 1) < tol, `${what}: ${a} vs ${b}`);

test('one step is w ← w − η̄ ∇(1/2b)Σ_B(f−y)²: the next full-train loss matches a hand-made step', () => {
  const s = SgdSpikeSession.create(
    mergeSgdSpikeDefaults({ n: 64, d: 10, m: 128, b: 8, seed: 5, etaRatio: 0.7, maxSteps: 20 }),
  );
  const ref = rebuild(5, 64, 10, 128);
  try {
    const [r0, r1] = runSteps(s, 2);
    const etaBar = 0.7 * s.etaCrit;
    close(r0.eta, etaBar, 1e-12, 'η̄');
    close(r0.trainLoss, fullMeanLoss(ref), 1e-6, 'full loss at w0');
    close(handStep(ref, r0.batch, etaBar), r0.batchLoss, 1e-5, 'batch loss at w0');
    close(r1.trainLoss, fullMeanLoss(ref), 1e-4, 'full loss at w1');
  } finally {
    s.dispose();
    ref.net.dispose();
    ref.X.dispose();
  }
});

test('when b does not divide n, the short last batch of an epoch is a mean-loss step of its own size', () => {
  // n = 20, b = 8: every epoch is two batches of 8, then one of 4.
  const s = SgdSpikeSession.create(
    mergeSgdSpikeDefaults({ n: 20, d: 5, m: 64, b: 8, seed: 1, etaRatio: 0.4, maxSteps: 10 }),
  );
  const ref = rebuild(1, 20, 5, 64);
  try {
    const recs = runSteps(s, 4);
    assert.deepEqual(
      recs.map((r) => r.batch.length),
      [8, 8, 4, 8],
    );
    assert.deepEqual(
      [...recs[0].batch, ...recs[1].batch, ...recs[2].batch].sort((a, b) => a - b),
      [...Array(20).keys()],
    );
    assert.deepEqual(
      [0, 1, 2, 3, 5].map((t) => s.batchSizeAt(t)),
      [8, 8, 4, 8, 4],
    );
    const etaBar = 0.4 * s.etaCrit;
    handStep(ref, recs[0].batch, etaBar);
    handStep(ref, recs[1].batch, etaBar);
    // At w2: the short batch's critical rate is 2·4/λ_max(K(w2; X_B)), and its step divides by 4.
    const Xb = tf.gather(ref.X, recs[2].batch) as tf.Tensor2D;
    close(recs[2].batchEtaCrit, (2 * 4) / lambdaMax(ref.net, Xb), 1e-4, 'short batch critical rate');
    Xb.dispose();
    close(handStep(ref, recs[2].batch, etaBar), recs[2].batchLoss, 1e-4, 'short batch loss');
    close(recs[3].trainLoss, fullMeanLoss(ref), 1e-4, 'full loss at w3');
  } finally {
    s.dispose();
    ref.net.dispose();
    ref.X.dispose();
  }
});

test('a far too large η̄ stops the run with a divergence reason; η̄ changed mid-run applies to the next step', () => {
  const s = SgdSpikeSession.create(
    mergeSgdSpikeDefaults({ n: 64, d: 10, m: 128, b: 8, seed: 2, etaRatio: 0.5, maxSteps: 200 }),
  );
  try {
    const [a] = runSteps(s, 1);
    assert.ok(Math.abs(a.eta / s.etaCrit - 0.5) < 1e-12);
    s.setEtaRatio(10);
    const rest = runSteps(s, 200);
    assert.ok(Math.abs(rest[0].eta / s.etaCrit - 10) < 1e-12);
    assert.ok(s.diverged, 'the run did not stop');
    assert.match(s.diverged!.reason, /exceeded 1e\+6 × its initial value|NaN or infinite/);
    assert.ok(s.numSteps < 200);
    assert.throws(() => s.step(), /diverged; reset or reseed/);
    assert.throws(() => s.setEtaRatio(0), /positive number/);
  } finally {
    s.dispose();
  }
});

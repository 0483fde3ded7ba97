import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src/lib/backend';
import { Prng } from '../../../src/lib/prng';
import { rank2Task, sampleTask } from '../../../src/lib/tasks';
import { createShallowNet } from '../../../src/lib/models/shallow';
import { lambdaMax } from '../../../src/lib/tangentKernel';
import { Trainer, train } from '../../../src/lib/train';
import { detectCatapults } from '../../../src/lib/catapults';

before(async () => {
  await initBackend();
});

function rank2Setup(seed = 1) {
  const prng = new Prng(seed);
  const task = rank2Task(20);
  const data = sampleTask(task, 64, prng.fork(1));
  const model = createShallowNet({ d: 20, m: 256, prng: prng.fork(2) });
  const X = tf.tensor2d(data.X, [data.n, data.d]);
  const lam0 = lambdaMax(model, X);
  X.dispose();
  return { task, data, model, lam0 };
}

test('GD at 0.5 η_crit: the training loss decreases monotonically', () => {
  const { data, model, lam0 } = rank2Setup();
  const trace = train(model, data, {
    schedule: { kind: 'constant', eta: 0.5 * (2 / lam0) },
    maxSteps: 60,
    record: { what: ['trainLoss'] },
  });
  model.dispose();
  const L = trace.series.trainLoss;
  assert.equal(L.length, 60);
  for (let t = 1; t < L.length; t++)
    assert.ok(L[t] <= L[t - 1] * (1 + 1e-6), `loss rose at step ${t}: ${L[t - 1]} → ${L[t]}`);
  assert.ok(L[L.length - 1] < 0.5 * L[0]);
  assert.deepEqual(detectCatapults(L), []);
  assert.equal(trace.divergedAt, null);
  assert.equal(trace.reason, 'maxSteps');
});

test('GD at 1.5 η_crit: the loss catapults (peak ≥ 10× start) and λ_max ends lower', () => {
  const { data, model, lam0 } = rank2Setup();
  const trace = train(model, data, {
    schedule: { kind: 'constant', eta: 1.5 * (2 / lam0) },
    maxSteps: 100,
    record: { what: ['trainLoss', 'lambdaMax'] },
  });
  model.dispose();
  const L = trace.series.trainLoss;
  const lam = trace.series.lambdaMax;
  assert.ok(Math.abs(lam[0] - lam0) < 1e-6 * lam0);
  trace.series.etaCrit.forEach((c, i) => assert.equal(c, 2 / lam[i]));
  const peak = Math.max(...L);
  assert.ok(peak >= 10 * L[0], `peak ${peak} vs start ${L[0]}`);
  assert.ok(lam[lam.length - 1] < lam0, `λ_max ${lam0} → ${lam[lam.length - 1]}`);
  assert.ok(lam[lam.length - 1] < 2 / (1.5 * (2 / lam0)), 'after the catapult η < 2/λ_max');
  const ev = detectCatapults(L, { lambdaMax: lam });
  assert.ok(ev.length >= 1 && ev[0].lambdaDropped === true && !ev[0].diverged);
  assert.equal(trace.divergedAt, null);
});

test('far above η_max the run diverges and records divergedAt', () => {
  const { data, model, lam0 } = rank2Setup();
  const trace = train(model, data, {
    schedule: { kind: 'constant', eta: 20 * (2 / lam0) },
    maxSteps: 200,
    record: { what: ['trainLoss'] },
  });
  model.dispose();
  assert.equal(trace.reason, 'diverged');
  assert.ok(trace.divergedAt !== null && trace.divergedAt < 200);
  assert.ok(Number.isNaN(trace.finalTrainLoss));
});

test('divergeFactor sets the divergence threshold as a multiple of the initial ½Σ loss', () => {
  const run = (extra: { divergeFactor?: number; divergeAbove?: number }) => {
    const { data, model, lam0 } = rank2Setup();
    try {
      return train(model, data, {
        schedule: { kind: 'constant', eta: 1.5 * (2 / lam0) },
        maxSteps: 100,
        record: { what: ['trainLoss'] },
        ...extra,
      });
    } finally {
      model.dispose();
    }
  };
  const free = run({});
  assert.equal(free.divergedAt, null);
  const L0 = free.series.trainLoss[0];
  const factor = Math.max(...free.series.trainLoss) / L0 / 2; // half the catapult's peak ratio
  const tight = run({ divergeFactor: factor });
  assert.equal(tight.reason, 'diverged');
  assert.equal(run({ divergeAbove: factor * L0 }).divergedAt, tight.divergedAt);
  assert.throws(() => run({ divergeFactor: 0 }), /divergeFactor must be a positive finite number/);
});

test('catapult ladder sets η = factor × 2/λ_max at step 0', () => {
  const { data, model, lam0 } = rank2Setup();
  const trainer = new Trainer(model, data, {
    schedule: { kind: 'catapult-ladder', factor: 1.2, everySteps: 5, maxRaises: 2 },
    maxSteps: 12,
  });
  assert.ok(Math.abs(trainer.learningRate - 1.2 * (2 / lam0)) < 1e-9);
  const etas: number[] = [];
  while (true) {
    const info = trainer.step();
    if (info.batchSize > 0) etas.push(info.eta);
    if (info.done) break;
  }
  trainer.dispose();
  model.dispose();
  assert.equal(etas.length, 12);
  for (let t = 1; t < 5; t++) assert.equal(etas[t], etas[0]);
  assert.notEqual(etas[5], etas[0]); // second raise at step 5 from the new λ_max
  assert.equal(etas[10], etas[5]); // maxRaises = 2: no third raise
  const m2 = rank2Setup().model;
  const at = train(m2, data, {
    schedule: { kind: 'catapult-ladder', factor: 1.2, atSteps: [0, 3] },
    maxSteps: 6,
    record: { what: [] },
  });
  m2.dispose();
  const e = at.series.eta;
  assert.ok(e[0] === e[2] && e[2] !== e[3] && e[3] === e[5]);
  assert.throws(
    () => new Trainer(m2, data, { schedule: { kind: 'catapult-ladder', factor: 1.2 }, maxSteps: 1 }),
    /exactly one of everySteps or atSteps/,
  );
});

test('SGD shuffling: every epoch visits every index exactly once; same seed → identical series', () => {
  const run = (seed: number) => {
    const { data, model, lam0 } = rank2Setup();
    const tr = train(model, data, {
      batchSize: 10,
      seed,
      schedule: { kind: 'constant', eta: 0.3 * (2 / lam0) },
      maxSteps: 21, // 7 steps per epoch (6 × 10 + 4)
      record: {
        what: ['batchIndices', 'batchLoss', 'trainLoss', 'batchLambdaMax', 'batchEtaCrit', 'projectedLoss'],
        projectedLoss: { s: 3, on: 'batch' },
      },
    });
    model.dispose();
    return tr;
  };
  const a = run(9);
  const b = run(9);
  const c = run(10);
  assert.deepEqual(a.series, b.series);
  assert.deepEqual(a.batchIndices, b.batchIndices);
  assert.notDeepEqual(a.batchIndices, c.batchIndices);
  const B = a.batchIndices!;
  assert.equal(B.length, 21);
  for (let e = 0; e < 3; e++) {
    const seen = B.slice(7 * e, 7 * e + 7)
      .flat()
      .sort((x, y) => x - y);
    assert.deepEqual(
      seen,
      Array.from({ length: 64 }, (_, i) => i),
    );
    assert.equal(B[7 * e + 6].length, 4);
  }
  assert.deepEqual(a.series.epoch.slice(5, 9), [0, 0, 1, 1]);
  for (let i = 0; i < 21; i++) {
    assert.ok(Math.abs(a.series.batchEtaCrit[i] * a.series.batchLambdaMax[i] - 2) < 1e-12);
    assert.ok(Math.abs(a.series.pl[i] + a.series.plPerp[i] - a.series.plTotal[i]) < 1e-9);
    // batch ½Σ loss = (n_b/2) × batch MSE, and plTotal is that batch MSE
    assert.ok(Math.abs(a.series.batchLoss[i] - (B[i].length / 2) * a.series.plTotal[i]) < 1e-4 * a.series.batchLoss[i]);
  }
});

test('recording agopAlignment, testLoss and full projected loss; stop rule at epoch ends', () => {
  const { task, data, model, lam0 } = rank2Setup();
  const test_ = sampleTask(task, 32, new Prng(99));
  const tr = train(model, data, {
    schedule: { kind: 'constant', eta: 0.5 * (2 / lam0) },
    maxSteps: 2000,
    stopMse: 0.05,
    record: {
      every: 10,
      what: ['trainLoss', 'agopAlignment', 'testLoss', 'projectedLoss', 'lambdaMax'],
      agopTarget: task.populationAgop(),
      test: test_,
    },
  });
  model.dispose();
  assert.equal(tr.reason, 'converged');
  assert.ok(tr.finalTrainMse < 0.05);
  assert.ok(tr.stepsTaken < 2000);
  assert.deepEqual(tr.steps.slice(0, 3), [0, 10, 20]);
  for (const k of ['agopAlignment', 'testLoss', 'pl', 'plPerp', 'plTotal', 'trainMse', 'etaCrit'])
    assert.equal(tr.series[k].length, tr.steps.length, k);
  for (let i = 0; i < tr.steps.length; i++) {
    assert.ok(Math.abs(tr.series.plTotal[i] - tr.series.trainMse[i]) < 1e-9 * tr.series.trainMse[i]);
    const a = tr.series.agopAlignment[i];
    assert.ok(a > -1 && a < 1);
  }
});

test('bad options name the field', () => {
  const { data, model } = rank2Setup();
  assert.throws(
    () => new Trainer(model, data, { schedule: { kind: 'constant', eta: -1 }, maxSteps: 1 }),
    /schedule\.eta must be a finite number ≥ 0/,
  );
  assert.throws(
    () => new Trainer(model, data, { schedule: { kind: 'steps', points: [{ step: 3, eta: 1 }] }, maxSteps: 1 }),
    /schedule\.points must be a non-empty list starting at step 0/,
  );
  assert.throws(
    () =>
      new Trainer(model, data, {
        schedule: { kind: 'constant', eta: 1 },
        maxSteps: 1,
        record: { what: ['agopAlignment'] },
      }),
    /record\.agopTarget/,
  );
  assert.throws(
    () => new Trainer(model, data, { schedule: { kind: 'constant', eta: 1 }, maxSteps: 1, batchSize: 0 }),
    /batchSize must be a positive integer/,
  );
  model.dispose();
});

test('200 SGD steps with recording leave the tensor count flat', () => {
  const { data, model, lam0 } = rank2Setup();
  const trainer = new Trainer(model, data, {
    batchSize: 16,
    optimizer: { kind: 'adam' },
    schedule: {
      kind: 'steps',
      points: [
        { step: 0, eta: 1e-3 },
        { step: 100, eta: 5e-4 },
      ],
    },
    maxSteps: 200,
    record: { every: 7, what: ['trainLoss', 'batchLoss', 'batchLambdaMax', 'lambdaMax', 'projectedLoss'] },
  });
  trainer.step();
  const before = tf.memory().numTensors;
  let info;
  do info = trainer.step();
  while (!info.done);
  assert.equal(tf.memory().numTensors, before);
  assert.equal(trainer.state.step, 200);
  assert.equal(trainer.getTrace().series.eta.at(-1), 5e-4);
  trainer.dispose();
  model.dispose();
  void lam0;
});

test('SGD blow-up with kernel recording stops as diverged instead of failing on a non-finite kernel', () => {
  const { data, model, lam0 } = rank2Setup();
  const tr = train(model, data, {
    batchSize: 8,
    schedule: { kind: 'constant', eta: 200 * (2 / lam0) },
    maxSteps: 300,
    record: { what: ['trainLoss', 'lambdaMax', 'batchLambdaMax', 'projectedLoss'] },
  });
  model.dispose();
  assert.equal(tr.reason, 'diverged');
  const lens = new Set(Object.values(tr.series).map((v) => v.length));
  assert.equal(lens.size, 1, 'every series has one value per recorded step');
  assert.equal(tr.steps.length, [...lens][0]);
});

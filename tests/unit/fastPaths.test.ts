/**
 * The shortcuts the numerics take for speed give exactly (bitwise) what the plain computations
 * give: the column-layout forward/backward of the shallow net and its NQM against the row-layout
 * formulas, lossAndGrads' outputs against predict, the Trainer's reuse of the step's forward pass
 * and of the epoch-end evaluation against a model that offers neither, the cached input
 * transposes, the blocked float64 loops (rowDots, closed-form kernel, AGOP) against plain loops,
 * shallow-eta-max's single λ0 against a fresh one, and the CNN/ResNet predict by tf.conv2d against
 * their differentiated im2col forward.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/lib/backend';
import { Prng } from '../../src/lib/prng';
import { rank2Task, sampleTask } from '../../src/lib/tasks';
import { createShallowNet, ShallowNet } from '../../src/lib/models/shallow';
import { createNqm } from '../../src/lib/models/nqm';
import type { GatedReluNet } from '../../src/lib/models/gatedRelu';
import { createFcn } from '../../src/lib/models/fcn';
import { createCnn } from '../../src/lib/models/cnn';
import { createResNet } from '../../src/lib/models/resnet';
import type { ScalarModel } from '../../src/lib/models/model';
import { rowDots } from '../../src/lib/linalg';
import { agopFromGradients } from '../../src/lib/agop';
import { jacobian, jacobianTangentKernel } from '../../src/lib/tangentKernel';
import { Trainer, type TrainOptions } from '../../src/lib/train';
import { planExperiment } from '../../src/experiments/plan';
import { shallowEtaMax } from '../../src/experiments/shallowEtaMax';
import { rank2ShallowSetup } from '../../src/experiments/shallowSetup';

before(async () => {
  await initBackend();
});

function sameBits(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  assert.equal(a.length, b.length, `${what}: lengths`);
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i]) && !(a[i] === 0 && b[i] === 0)) assert.fail(`${what}[${i}]: ${a[i]} vs ${b[i]}`);
  }
}

/** The row-layout (n×m) forward and backward pass the net used before, as a reference. */
function rowLayoutStep(net: GatedReluNet, gates: tf.Tensor2D, X: tf.Tensor2D, y: tf.Tensor1D) {
  const [n, d] = X.shape;
  const m = net.width;
  return tf.tidy(() => {
    const Z = tf.mul(tf.matMul(X, tf.transpose(net.U)), 1 / Math.sqrt(d));
    const S = gates === net.U ? tf.step(Z) : tf.step(tf.matMul(X, tf.transpose(gates)));
    const B = gates === net.U ? tf.relu(Z) : tf.mul(S, Z);
    const f = tf.mul(tf.reshape(tf.matMul(B, tf.reshape(net.v, [m, 1])), [n]), 1 / Math.sqrt(m));
    const r = tf.sub(f, y);
    const loss = tf.mul(tf.sum(tf.square(r)), 0.5);
    const gv = tf.mul(tf.reshape(tf.matMul(tf.reshape(r, [1, n]), B), [m]), 1 / Math.sqrt(m));
    const M = tf.mul(tf.mul(tf.reshape(r, [n, 1]), tf.reshape(net.v, [1, m])), S);
    const gU = tf.mul(tf.transpose(tf.matMul(tf.transpose(X), M)), 1 / Math.sqrt(m * d));
    return { f: f.dataSync(), loss: loss.dataSync(), gU: gU.dataSync(), gv: gv.dataSync() };
  });
}

test('shallow net and NQM: column-layout predict and lossAndGrads are bitwise the row-layout formulas; outputs = predict', () => {
  for (const [n, d, m] of [
    [37, 13, 129],
    [200, 100, 256],
    [5, 100, 1024],
  ]) {
    const prng = new Prng(n + m);
    const net = createShallowNet({ d, m, prng });
    const nqm = createNqm(net);
    const w = net.getWeights();
    nqm.setWeights([w[0].map((u, i) => u + 0.3 * Math.sin(i)), w[1].map((u) => 1.1 * u - 0.05)]);
    const X = tf.tensor2d(prng.normalArray(n * d), [n, d]);
    const y = tf.tensor1d(prng.normalArray(n));
    const U0 = tf.tensor2d(w[0], [m, d]);
    for (const [model, gates] of [
      [net, net.U],
      [nqm, U0],
    ] as const) {
      const ref = rowLayoutStep(model, gates, X, y);
      const { loss, grads, outputs } = model.lossAndGrads(X, y, { outputs: true });
      const f = model.predict(X);
      sameBits(outputs!.dataSync(), ref.f, `${model.kind} outputs`);
      sameBits(f.dataSync(), ref.f, `${model.kind} predict`);
      sameBits(loss.dataSync(), ref.loss, `${model.kind} loss`);
      sameBits(grads[0].dataSync(), ref.gU, `${model.kind} dL/dU`);
      sameBits(grads[1].dataSync(), ref.gv, `${model.kind} dL/dv`);
      assert.equal(model.lossAndGrads(X, y).outputs, undefined, 'no outputs unless asked');
      [loss, ...grads, outputs!, f].forEach((t) => t.dispose());
    }
    [X, y, U0].forEach((t) => t.dispose());
    nqm.dispose();
    net.dispose();
  }
});

test('FCN (tape autodiff): lossAndGrads outputs equal predict and leave no tensors behind', () => {
  const prng = new Prng(3);
  const fcn = createFcn({ d: 6, width: 8, depth: 3, prng });
  const X = tf.tensor2d(prng.normalArray(9 * 6), [9, 6]);
  const y = tf.tensor1d(prng.normalArray(9));
  const before = tf.memory().numTensors;
  const { loss, grads, outputs } = fcn.lossAndGrads(X, y, { outputs: true });
  const f = fcn.predict(X);
  sameBits(outputs!.dataSync(), f.dataSync(), 'fcn outputs');
  [loss, ...grads, outputs!, f].forEach((t) => t.dispose());
  assert.equal(tf.memory().numTensors, before);
  [X, y].forEach((t) => t.dispose());
  fcn.dispose();
});

test('cached input transposes: reused for the same tensor, renewed for a reassigned variable, freed with the model', () => {
  const prng = new Prng(4);
  const start = tf.memory().numTensors;
  const net = createShallowNet({ d: 3, m: 8, prng });
  const Xv = tf.tidy(() => tf.variable(tf.tensor2d(prng.normalArray(5 * 3), [5, 3])));
  const f1 = net.predict(Xv);
  const count = tf.memory().numTensors;
  net.predict(Xv).dispose(); // same input: no new transpose kept
  assert.equal(tf.memory().numTensors, count);
  const X2 = prng.normalArray(5 * 3);
  tf.tidy(() => Xv.assign(tf.tensor2d(X2, [5, 3])));
  const f2 = net.predict(Xv);
  const fresh = tf.tensor2d(X2, [5, 3]);
  const f3 = net.predict(fresh);
  sameBits(f2.dataSync(), f3.dataSync(), 'after assign');
  assert.notDeepEqual(Array.from(f1.dataSync()), Array.from(f2.dataSync()));
  // a third input evicts the oldest, disposed inputs go first: the count stays bounded
  for (let k = 0; k < 5; k++) {
    const Xb = tf.tensor2d(prng.normalArray(2 * 3), [2, 3]);
    net.predict(Xb).dispose();
    Xb.dispose();
  }
  [f1, f2, f3, fresh, Xv].forEach((t) => t.dispose());
  net.dispose();
  assert.equal(tf.memory().numTensors, start);
});

/** The model with lossAndGrads stripped of its outputs, so the Trainer must evaluate f(X) itself. */
function withoutOutputs(model: ScalarModel): ScalarModel {
  return new Proxy(model, {
    get(target, key, receiver) {
      if (key === 'lossAndGrads') return (X: tf.Tensor2D, y: tf.Tensor1D) => target.lossAndGrads(X, y);
      const v = Reflect.get(target, key, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

test('Trainer: reusing the step’s forward pass (GD) and the epoch-end evaluation (SGD) records exactly what separate evaluations record', () => {
  const prng = new Prng(9);
  const data = sampleTask(rank2Task(10), 48, prng.fork(1));
  const runs: [string, TrainOptions][] = [
    [
      'GD',
      {
        schedule: { kind: 'constant', eta: 0.05 },
        maxSteps: 30,
        record: { every: 1, what: ['trainLoss', 'lambdaMax', 'projectedLoss'], projectedLoss: { s: 3 } },
      },
    ],
    [
      'GD every 3',
      { schedule: { kind: 'constant', eta: 0.05 }, maxSteps: 30, record: { every: 3, what: ['trainLoss'] } },
    ],
    [
      'GD stop rule',
      {
        schedule: { kind: 'constant', eta: 0.05 },
        maxSteps: 400,
        stopMse: 0.05,
        record: { every: 1, what: ['trainLoss'] },
      },
    ],
    [
      'SGD stop rule',
      {
        batchSize: 8,
        seed: 2,
        schedule: { kind: 'constant', eta: 0.05 },
        maxSteps: 600,
        stopMse: 0.05,
        record: { every: 6, what: ['trainLoss', 'batchLoss'] },
      },
    ],
  ];
  for (const [name, opts] of runs) {
    const traces = [false, true].map((strip) => {
      const net = createShallowNet({ d: 10, m: 64, prng: new Prng(5) });
      const trainer = new Trainer(strip ? withoutOutputs(net) : net, data, opts);
      while (!trainer.step().done);
      const tr = structuredClone(trainer.getTrace());
      trainer.dispose();
      net.dispose();
      return tr;
    });
    assert.ok(traces[0].steps.length > 3, `${name}: records`);
    assert.deepEqual(traces[0], traces[1], `${name}: traces differ`);
  }
});

test('rowDots equals the plain float64 triple loop bit for bit (odd and even sizes, several column slices, symmetric and not)', () => {
  const prng = new Prng(12);
  for (const [na, nb, k] of [
    [1, 1, 1],
    [5, 7, 3],
    [8, 6, 33],
    [13, 13, 17],
    [9, 7, 1100], // more columns than one slice of the sweep
  ]) {
    const A = Float64Array.from(prng.normalArray(na * k));
    const B = Float64Array.from(prng.normalArray(nb * k));
    const C = rowDots(A, na, B, nb, k);
    const ref = new Float64Array(na * nb);
    for (let i = 0; i < na; i++) {
      for (let j = 0; j < nb; j++) {
        let s = 0;
        for (let t = 0; t < k; t++) s += A[i * k + t] * B[j * k + t];
        ref[i * nb + j] = s;
      }
    }
    sameBits(C, ref, `rowDots ${na}×${nb}×${k}`);
    const S = rowDots(A, na, A, na, k, true);
    for (let i = 0; i < na; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let t = 0; t < k; t++) s += A[i * k + t] * A[j * k + t];
        assert.ok(Object.is(S[i * na + j], s) && Object.is(S[j * na + i], s), `symmetric ${na}×${k} [${i},${j}]`);
      }
    }
  }
  assert.throws(() => rowDots(new Float64Array(4), 2, new Float64Array(6), 2, 2), /B has 6 entries/);
});

test('closed-form kernel of the net and of a moved NQM, and the generic Jacobian kernel, equal plain loops bit for bit', () => {
  const prng = new Prng(21);
  const n = 11;
  const d = 7;
  const m = 33;
  const net = createShallowNet({ d, m, prng });
  const [U0, v0] = net.getWeights();
  const nqm = createNqm(net);
  nqm.setWeights([U0.map((u, i) => u + 0.4 * Math.cos(i)), v0.map((u) => 0.9 * u + 0.1)]);
  const x = prng.normalArray(n * d);
  const X = tf.tensor2d(x, [n, d]);
  const [U1, v1] = nqm.getWeights();
  sameBits(net.tangentKernel(X), plainGatedKernel(U0, v0, U0, x, n, d), 'net kernel');
  sameBits(nqm.tangentKernel(X), plainGatedKernel(U1, v1, U0, x, n, d), 'NQM kernel');
  const J = jacobian(net, X);
  const p = net.numParams;
  const Kj = jacobianTangentKernel(net, X);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b <= a; b++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += J[a * p + j] * J[b * p + j];
      assert.ok(Object.is(Kj[a * n + b], s) && Object.is(Kj[b * n + a], s), `Jacobian kernel [${a},${b}]`);
    }
  }
  X.dispose();
  nqm.dispose();
  net.dispose();
});

/** The closed-form kernel as the net computed it entry by entry before the blocked loops. */
function plainGatedKernel(
  U: Float32Array,
  v: Float32Array,
  Gw: ArrayLike<number>,
  x: Float32Array,
  n: number,
  d: number,
): Float64Array {
  const m = v.length;
  const inv = 1 / Math.sqrt(d);
  const P = new Float64Array(n * m);
  const B = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let z = 0;
      let gate = 0;
      for (let k = 0; k < d; k++) {
        z += U[j * d + k] * x[i * d + k];
        gate += Gw[j * d + k] * x[i * d + k];
      }
      if (gate > 0) {
        P[i * m + j] = Math.abs(v[j]);
        B[i * m + j] = z * inv;
      }
    }
  }
  const K = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b <= a; b++) {
      let pp = 0;
      let bb = 0;
      for (let j = 0; j < m; j++) {
        pp += P[a * m + j] * P[b * m + j];
        bb += B[a * m + j] * B[b * m + j];
      }
      let xx = 0;
      for (let k = 0; k < d; k++) xx += x[a * d + k] * x[b * d + k];
      K[a * n + b] = K[b * n + a] = (pp * (xx / d) + bb) / m;
    }
  }
  return K;
}

test('agopFromGradients equals the sample-by-sample loop bit for bit, with zeros skipped the same way', () => {
  const prng = new Prng(30);
  for (const [n, d] of [
    [1, 1],
    [7, 5],
    [10, 12],
    [203, 9],
  ]) {
    const g = Float64Array.from(prng.normalArray(n * d));
    for (let i = 0; i < g.length; i += 5) g[i] = 0;
    const ref = new Float64Array(d * d);
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < d; a++) {
        const ga = g[i * d + a];
        if (ga === 0) continue;
        for (let b = a; b < d; b++) ref[a * d + b] += ga * g[i * d + b];
      }
    }
    for (let a = 0; a < d; a++) {
      for (let b = a; b < d; b++) {
        ref[a * d + b] *= 1 / n;
        ref[b * d + a] = ref[a * d + b];
      }
    }
    sameBits(agopFromGradients(g, n, d), ref, `AGOP n=${n} d=${d}`);
    sameBits(
      agopFromGradients(Float32Array.from(g), n, d),
      agopFromGradients(Float64Array.from(Float32Array.from(g)), n, d),
      'float32 input',
    );
  }
});

test('shallow-eta-max computes λ0 once and reports exactly the λ0 of a fresh set-up', async () => {
  const [run] = planExperiment(shallowEtaMax, 'quick');
  const cfg = run.config as { n: number; d: number; m: number };
  const kernels = { count: 0 };
  const original = ShallowNet.prototype.tangentKernel;
  const own = Object.hasOwn(ShallowNet.prototype, 'tangentKernel');
  ShallowNet.prototype.tangentKernel = function (this: ShallowNet, X: tf.Tensor2D) {
    kernels.count++;
    return original.call(this, X);
  };
  let result;
  try {
    result = await shallowEtaMax.run(run.config as never, {
      seed: run.seed,
      prng: new Prng(run.seed),
      progress: () => {},
    });
  } finally {
    if (own) ShallowNet.prototype.tangentKernel = original;
    else delete (ShallowNet.prototype as Partial<ShallowNet>).tangentKernel;
  }
  assert.equal(kernels.count, 1, 'one kernel for all probes');
  assert.ok(result.series.probeRatio.length > 2);
  const fresh = rank2ShallowSetup(new Prng(run.seed), cfg.n, cfg.d, cfg.m);
  assert.ok(Object.is(result.summary.lambda0, fresh.lambda0));
  fresh.dispose();
});

test('CNN and ResNet: predict by tf.conv2d equals the differentiated im2col forward bit for bit; the Jacobian kernel still differentiates predict', () => {
  const prng = new Prng(40);
  const img = { height: 6, width: 5, channels: 1 };
  const n = 7;
  const X = tf.tensor2d(prng.normalArray(n * 30), [n, 30]);
  const y = tf.tensor1d(prng.normalArray(n));
  for (const model of [
    createCnn({ ...img, filters: 4, depth: 4, prng }),
    createResNet({ ...img, filters: 3, blocks: 2, prng }),
  ] as ScalarModel[]) {
    const { loss, grads, outputs } = model.lossAndGrads(X, y, { outputs: true });
    const f = model.predict(X);
    sameBits(f.dataSync(), outputs!.dataSync(), `${model.kind} predict vs tape forward`);
    [loss, ...grads, outputs!, f].forEach((t) => t.dispose());
    const K = jacobianTangentKernel(model, tf.slice(X, [0, 0], [3, 30]) as tf.Tensor2D);
    assert.ok(K[0] > 0 && Number.isFinite(K[8]), `${model.kind} Jacobian kernel`);
    model.dispose();
  }
  [X, y].forEach((t) => t.dispose());
});

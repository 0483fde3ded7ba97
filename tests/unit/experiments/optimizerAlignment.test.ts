/**
 * optimizer-alignment: config errors name the field; the quick profile's outputs match the declared
 * schema, with the same proxies for every run of a task; and the AGOP the experiment measures on a
 * binary-MNIST net equals the outer products of finite-difference input gradients of that net.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src/lib/backend';
import { Prng } from '../../../src/lib/prng';
import { planExperiment } from '../../../src/experiments/plan';
import { optimizerAlignment } from '../../../src/experiments/optimizerAlignment';
import { checkOutputs, formatOutputIssues } from '../../../src/experiments/outputs';
import { mnistPairSplit } from '../../../src/lib/data/mnistPairs';
import { downsampleMnist } from '../../../src/experiments/sgdMnist';
import { createShallowNet } from '../../../src/lib/models/shallow';
import { Trainer } from '../../../src/lib/train';
import { agop, agopFromGradients } from '../../../src/lib/agop';

before(async () => {
  await initBackend();
});

const quick = optimizerAlignment.profiles.quick as Record<string, unknown>;
const plan = (config: unknown) => planExperiment(optimizerAlignment, 'quick', { config });

test('bad configs are refused naming the field', () => {
  assert.throws(() => plan({ ...quick, n: 41 }), /n = 41 must be even/);
  assert.throws(
    () => plan({ ...quick, optimizers: [{ optimizer: 'lion', batchSize: 8, rates: [1, 2] }] }),
    /unknown optimizer "lion"; use one of gd, sgd, momentum, adam, rmsprop/,
  );
  assert.throws(
    () => plan({ ...quick, optimizers: [{ optimizer: 'adam', batchSize: 8, rates: [0.001] }] }),
    /at least two rates/,
  );
  assert.throws(
    () => plan({ ...quick, optimizers: [{ optimizer: 'sgd', batchSize: 40, rates: [0.5, 1] }] }),
    /optimizers\.0\.batchSize|sgd is a mini-batch run/,
  );
  assert.throws(
    () => plan({ ...quick, proxy: { ...(quick.proxy as object), net: { m: 8, etaRatio: 1.2, maxSteps: 5 } } }),
    /proxy\.net\.etaRatio must be < 1/,
  );
});

test('quick profile: outputs match the schema; a task’s proxies are the same in every run', async () => {
  const proxy = new Map<string, number>();
  const init = new Map<string, number>();
  for (const r of planExperiment(optimizerAlignment, 'quick')) {
    const out = await optimizerAlignment.run(r.config as never, {
      seed: r.seed,
      prng: new Prng(r.seed),
      progress() {},
    });
    const bad = checkOutputs(optimizerAlignment.outputs, out);
    assert.equal(bad, null, `${r.runKey}: ${bad ? formatOutputIssues(bad.issues) : ''}`);
    const s = out.summary as {
      task: string;
      proxyAgreement: number;
      alignTrue: number | null;
      testError: number | null;
      optimizer: string;
      steps: number;
      alignRfmInit: number;
    };
    // GD's loss is read at every step (its catapults last a few steps); the others every lossEvery
    const step = out.series.step as number[];
    if (s.optimizer === 'gd')
      assert.deepEqual(
        step,
        Array.from({ length: step.length }, (_, i) => i),
        `${r.runKey}: GD loss at every step`,
      );
    else assert.equal(step[1] - step[0], quick.lossEvery, `${r.runKey}: loss every lossEvery steps`);
    // the untrained network is the same for every run of a seed and task: so is its alignment (the chance level)
    const k = `${s.task}-${r.seed}`;
    if (init.has(k)) assert.equal(s.alignRfmInit, init.get(k), `${r.runKey}: initial alignment differs`);
    init.set(k, s.alignRfmInit);
    const seen = proxy.get(s.task);
    if (seen !== undefined) assert.equal(s.proxyAgreement, seen, `${r.runKey}: proxies differ within ${s.task}`);
    proxy.set(s.task, s.proxyAgreement);
    assert.equal(s.alignTrue === null, s.task !== 'rank2', 'only rank-2 has a true AGOP');
    assert.equal(s.testError === null, s.task === 'rank2', 'only MNIST has a test error');
  }
});

test('AGOP of a binary-MNIST net equals outer products of its finite-difference input gradients', () => {
  const s = mnistPairSplit({
    digits: [3, 5],
    perClass: 6,
    testPerClass: 1,
    refPerClass: 5,
    prng: new Prng(2),
    refPrng: new Prng(7),
  });
  const d = 196;
  const data = { n: s.train.n, d, X: downsampleMnist(s.train.X, s.train.n), y: s.train.y };
  const net = createShallowNet({ d, m: 48, prng: new Prng(5) });
  // a few steps so the net is not at its initialisation
  const tr = new Trainer(net, data, { schedule: { kind: 'constant', eta: 0.01 }, maxSteps: 5 });
  while (!tr.step().done);
  tr.dispose();
  const [U, v] = net.getWeights();
  const m = v.length;
  const f = (x: Float64Array) => {
    let out = 0;
    for (let j = 0; j < m; j++) {
      let z = 0;
      for (let a = 0; a < d; a++) z += U[j * d + a] * x[a];
      out += v[j] * Math.max(0, z / Math.sqrt(d));
    }
    return out / Math.sqrt(m);
  };
  const h = 1e-6;
  const fd = new Float64Array(data.n * d);
  for (let i = 0; i < data.n; i++) {
    const x = Float64Array.from(data.X.subarray(i * d, (i + 1) * d));
    for (let a = 0; a < d; a++) {
      const xp = x.slice();
      const xm = x.slice();
      xp[a] += h;
      xm[a] -= h;
      fd[i * d + a] = (f(xp) - f(xm)) / (2 * h);
    }
  }
  const X = tf.tensor2d(data.X, [data.n, d]);
  const G = agop(net, X);
  X.dispose();
  net.dispose();
  const Gfd = agopFromGradients(fd, data.n, d);
  let num = 0;
  let den = 0;
  for (let k = 0; k < G.length; k++) {
    num += (G[k] - Gfd[k]) ** 2;
    den += Gfd[k] ** 2;
  }
  assert.ok(Math.sqrt(num / den) < 1e-4, `relative error ${Math.sqrt(num / den)}`);
});

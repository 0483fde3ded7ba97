import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src/lib/backend';
import { Prng } from '../../../../src/lib/prng';
import { createShallowNet, shallowNetFromWeights } from '../../../../src/lib/models/shallow';
import { createNqm } from '../../../../src/lib/models/nqm';
import {
  assertNoLeaks,
  data,
  fdGrads,
  gatedForward64,
  halfSse,
  modelGrads,
  relErr,
} from '../../helpers/modelReference';

before(async () => {
  await initBackend();
});

function shallowGrad64(
  U: ArrayLike<number>,
  v: ArrayLike<number>,
  x: ArrayLike<number>,
  d: number,
): { gU: Float64Array; gv: Float64Array } {
  // ∂f/∂v_j = relu(z_j)/√m, ∂f/∂u_j = v_j 1[z_j > 0] x/√(md) for one input x.
  const m = v.length;
  const gU = new Float64Array(m * d);
  const gv = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    let z = 0;
    for (let k = 0; k < d; k++) z += U[j * d + k] * x[k];
    if (z > 0) {
      gv[j] = z / Math.sqrt(d) / Math.sqrt(m);
      for (let k = 0; k < d; k++) gU[j * d + k] = (v[j] * x[k]) / Math.sqrt(m * d);
    }
  }
  return { gU, gv };
}

test("NQM at w0: value, gradients and kernel equal the network's", () => {
  const prng = new Prng(21);
  const n = 6,
    d = 4,
    m = 24;
  const net = createShallowNet({ d, m, prng });
  const nqm = createNqm(net);
  assert.equal(nqm.kind, 'nqm');
  const { X, y } = data(prng, n, d);
  const fa = net.predict(X);
  const fb = nqm.predict(X);
  assert.deepEqual(Array.from(fb.dataSync()), Array.from(fa.dataSync()));
  fa.dispose();
  fb.dispose();
  const ga = modelGrads(net, X, y);
  const gb = modelGrads(nqm, X, y);
  assert.ok(relErr(gb.grads[0], ga.grads[0]) < 1e-7);
  assert.ok(relErr(gb.grads[1], ga.grads[1]) < 1e-7);
  assert.ok(relErr(nqm.tangentKernel(X), net.tangentKernel(X)) < 1e-12);
  net.dispose();
  nqm.dispose();
  X.dispose();
  y.dispose();
});

test('NQM at w0 + Δw equals the explicit second-order Taylor expansion, and its gradients match finite differences', () => {
  const prng = new Prng(31);
  const n = 5,
    d = 4,
    m = 12;
  const net = createShallowNet({ d, m, prng });
  const nqm = createNqm(net);
  const [U0, v0] = net.getWeights();
  const dU = prng.normalArray(m * d, 0.7);
  const dv = prng.normalArray(m, 0.7);
  const U = U0.map((u, i) => u + dU[i]);
  const v = v0.map((s, i) => s + dv[i]);
  nqm.setWeights([U, v]);
  const { X, y, x, yv } = data(prng, n, d);
  // Taylor: f(w0) + ∇f(w0)ᵀΔw + (1/√(md)) Σ_j Δv_j Δu_jᵀx 1[u_{0,j}ᵀx > 0], using the Δw actually stored (float32).
  const Uf = nqm.getWeights()[0];
  const vf = nqm.getWeights()[1];
  const f0 = gatedForward64(U0, v0, U0, x, n, d);
  const taylor = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const xi = x.subarray(i * d, (i + 1) * d);
    const { gU, gv } = shallowGrad64(U0, v0, xi, d);
    let t = f0[i];
    for (let j = 0; j < m; j++) {
      const dvj = vf[j] - v0[j];
      t += gv[j] * dvj;
      let z0 = 0;
      let dux = 0;
      for (let k = 0; k < d; k++) {
        const duk = Uf[j * d + k] - U0[j * d + k];
        t += gU[j * d + k] * duk;
        z0 += U0[j * d + k] * xi[k];
        dux += duk * xi[k];
      }
      if (z0 > 0) t += (dvj * dux) / Math.sqrt(m * d);
    }
    taylor[i] = t;
  }
  const g = nqm.predict(X);
  assert.ok(relErr(g.dataSync(), taylor) < 1e-5, `NQM vs Taylor rel err ${relErr(g.dataSync(), taylor)}`);
  // …and the moved NQM differs from the moved network (the test can fail if gates were live).
  const moved = shallowNetFromWeights(Uf, vf, d);
  const fm = moved.predict(X);
  assert.ok(relErr(fm.dataSync(), taylor) > 1e-3);
  fm.dispose();
  moved.dispose();
  g.dispose();
  const { grads } = modelGrads(nqm, X, y);
  const fd = fdGrads(
    (w) => halfSse(gatedForward64(w[0], w[1], U0, x, n, d), yv),
    [Float64Array.from(Uf), Float64Array.from(vf)],
  );
  assert.ok(relErr(grads[0], fd[0]) < 1e-3, `NQM dL/dU rel err ${relErr(grads[0], fd[0])}`);
  assert.ok(relErr(grads[1], fd[1]) < 1e-3, `NQM dL/dv rel err ${relErr(grads[1], fd[1])}`);
  const gi = nqm.inputGradients(X);
  const [fdx] = fdGrads(
    (w) => gatedForward64(Uf, vf, U0, w[0], n, d).reduce((a, b) => a + b, 0),
    [Float64Array.from(x)],
  );
  assert.ok(relErr(gi, fdx) < 1e-4);
  assert.deepEqual(nqm.initialWeights(), [U0, v0]);
  net.dispose();
  nqm.dispose();
  X.dispose();
  y.dispose();
});

test('no tensors leak across repeated lossAndGrads, predict, tangentKernel and inputGradients, nor from create + dispose', () => {
  const prng = new Prng(61);
  const net = createShallowNet({ d: 4, m: 8, prng });
  const nqm = createNqm(net);
  const { X, y } = data(prng, 6, 4);
  assertNoLeaks(nqm, X, y);
  [net, nqm, X, y].forEach((t) => t.dispose());
  const start = tf.memory().numTensors;
  const base = createShallowNet({ d: 4, m: 8, prng });
  const tmp = createNqm(base);
  [base, tmp].forEach((mdl) => mdl.dispose());
  assert.equal(tf.memory().numTensors, start);
});

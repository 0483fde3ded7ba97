import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/lib/backend';
import { Prng } from '../../src/lib/prng';
import { createShallowNet, shallowNetFromWeights, type ShallowNet } from '../../src/lib/models/shallow';
import { createNqm } from '../../src/lib/models/nqm';
import { createFcn } from '../../src/lib/models/fcn';
import { createCnn } from '../../src/lib/models/cnn';
import type { ScalarModel } from '../../src/lib/models/model';

before(async () => {
  await initBackend();
});

// ---- float64 references, written independently of the library ----

/** f(x) = (1/√m) Σ_j v_j 1[g_jᵀx > 0] u_jᵀx/√d; g = U gives the ReLU net, g = U0 the NQM. */
function gatedForward64(U: ArrayLike<number>, v: ArrayLike<number>, G: ArrayLike<number>, X: ArrayLike<number>, n: number, d: number): Float64Array {
  const m = v.length;
  const f = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < m; j++) {
      let z = 0;
      let g = 0;
      for (let k = 0; k < d; k++) {
        z += U[j * d + k] * X[i * d + k];
        g += G[j * d + k] * X[i * d + k];
      }
      if (g > 0) s += (v[j] * z) / Math.sqrt(d);
    }
    f[i] = s / Math.sqrt(m);
  }
  return f;
}

function fcnForward64(W: Float64Array[], X: ArrayLike<number>, n: number, d: number, width: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let a = Array.from({ length: d }, (_, k) => X[i * d + k]);
    let fanIn = d;
    for (let l = 0; l < W.length; l++) {
      const outDim = l === W.length - 1 ? 1 : width;
      const h = new Array<number>(outDim).fill(0);
      for (let o = 0; o < outDim; o++) {
        for (let k = 0; k < fanIn; k++) h[o] += W[l][k * outDim + o] * a[k];
        h[o] /= Math.sqrt(fanIn);
      }
      a = l === W.length - 1 ? h : h.map((z) => Math.max(z, 0));
      fanIn = width;
    }
    out[i] = a[0];
  }
  return out;
}

/** Direct 3×3 'same' convolution net (no im2col), HWC layout, kernels [(3·di+dj)·Cin + c, F]. */
function cnnForward64(W: Float64Array[], X: ArrayLike<number>, n: number, H: number, Wd: number, C: number, F: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let a = Float64Array.from({ length: H * Wd * C }, (_, t) => X[i * H * Wd * C + t]);
    let cin = C;
    for (let l = 0; l < W.length - 1; l++) {
      const h = new Float64Array(H * Wd * F);
      for (let r = 0; r < H; r++) {
        for (let c = 0; c < Wd; c++) {
          for (let o = 0; o < F; o++) {
            let s = 0;
            for (let di = 0; di < 3; di++) {
              for (let dj = 0; dj < 3; dj++) {
                const rr = r + di - 1;
                const cc = c + dj - 1;
                if (rr < 0 || rr >= H || cc < 0 || cc >= Wd) continue;
                for (let q = 0; q < cin; q++) s += a[(rr * Wd + cc) * cin + q] * W[l][((3 * di + dj) * cin + q) * F + o];
              }
            }
            h[(r * Wd + c) * F + o] = Math.max(s / Math.sqrt(9 * cin), 0);
          }
        }
      }
      a = h;
      cin = F;
    }
    let f = 0;
    for (let o = 0; o < F; o++) {
      let pool = 0;
      for (let t = 0; t < H * Wd; t++) pool += a[t * F + o];
      f += (pool / (H * Wd)) * W[W.length - 1][o];
    }
    out[i] = f / Math.sqrt(F);
  }
  return out;
}

function halfSse(f: Float64Array, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < f.length; i++) s += 0.5 * (f[i] - y[i]) ** 2;
  return s;
}

/** Central differences of a float64 loss over every entry of every weight array. */
function fdGrads(loss: (w: Float64Array[]) => number, w: Float64Array[], eps = 1e-6): Float64Array[] {
  return w.map((arr, a) => {
    const g = new Float64Array(arr.length);
    for (let k = 0; k < arr.length; k++) {
      const keep = arr[k];
      arr[k] = keep + eps;
      const up = loss(w);
      arr[k] = keep - eps;
      const down = loss(w);
      arr[k] = keep;
      g[k] = (up - down) / (2 * eps);
      void a;
    }
    return g;
  });
}

function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / den);
}

function modelGrads(model: ScalarModel, X: tf.Tensor2D, y: tf.Tensor1D): { loss: number; grads: Float32Array[] } {
  const { loss, grads } = model.lossAndGrads(X, y);
  const out = { loss: loss.dataSync()[0], grads: grads.map((g) => Float32Array.from(g.dataSync())) };
  loss.dispose();
  grads.forEach((g) => g.dispose());
  return out;
}

function data(prng: Prng, n: number, d: number): { X: tf.Tensor2D; y: tf.Tensor1D; x: Float32Array; yv: Float32Array } {
  const x = prng.normalArray(n * d);
  const yv = prng.normalArray(n);
  return { X: tf.tensor2d(x, [n, d]), y: tf.tensor1d(yv), x, yv };
}

// ---- shallow net ----

test('shallow net: value, loss and hand-written gradients match a float64 reference and central differences', () => {
  const prng = new Prng(11);
  const n = 7, d = 5, m = 16;
  const net = createShallowNet({ d, m, prng });
  const { X, y, x, yv } = data(prng, n, d);
  const [U, v] = net.getWeights();
  const f64 = gatedForward64(U, v, U, x, n, d);
  const f = net.predict(X);
  assert.ok(relErr(f.dataSync(), f64) < 1e-5, 'predict');
  f.dispose();
  const { loss, grads } = modelGrads(net, X, y);
  assert.ok(Math.abs(loss - halfSse(f64, yv)) / halfSse(f64, yv) < 1e-5, 'loss');
  const w64 = [Float64Array.from(U), Float64Array.from(v)];
  const fd = fdGrads((w) => halfSse(gatedForward64(w[0], w[1], w[0], x, n, d), yv), w64);
  assert.ok(relErr(grads[0], fd[0]) < 1e-3, `dL/dU rel err ${relErr(grads[0], fd[0])}`);
  assert.ok(relErr(grads[1], fd[1]) < 1e-3, `dL/dv rel err ${relErr(grads[1], fd[1])}`);
  net.dispose();
  X.dispose();
  y.dispose();
});

test('shallow net: vInit sign gives ±1 readout weights; shallowNetFromWeights round-trips', () => {
  const net = createShallowNet({ d: 3, m: 50, prng: new Prng(2), vInit: 'sign' });
  const [U, v] = net.getWeights();
  assert.ok(v.every((s) => s === 1 || s === -1));
  assert.ok(v.some((s) => s === 1) && v.some((s) => s === -1));
  const copy = shallowNetFromWeights(U, v, 3);
  assert.deepEqual(copy.getWeights(), [U, v]);
  assert.equal(copy.numParams, 50 * 3 + 50);
  assert.equal(copy.kind, 'shallow-relu-ntk');
  net.dispose();
  copy.dispose();
});

test('shallow net: input gradients match central differences of the float64 forward', () => {
  const prng = new Prng(5);
  const n = 4, d = 6, m = 20;
  const net = createShallowNet({ d, m, prng });
  const { X, y, x } = data(prng, n, d);
  const [U, v] = net.getWeights();
  const g = net.inputGradients(X);
  const x64 = Float64Array.from(x);
  const [fd] = fdGrads((w) => gatedForward64(U, v, U, w[0], n, d).reduce((a, b) => a + b, 0), [x64]);
  assert.ok(relErr(g, fd) < 1e-4, `input-gradient rel err ${relErr(g, fd)}`);
  net.dispose();
  X.dispose();
  y.dispose();
});

test('shallow net: bad shapes and options throw errors that name the field', () => {
  assert.throws(() => createShallowNet({ d: 0, m: 4, prng: new Prng(1) }), /d must be a positive integer/);
  assert.throws(() => createShallowNet({ d: 2, m: 4, prng: new Prng(1), vInit: 'uniform' as 'sign' }), /vInit/);
  assert.throws(() => shallowNetFromWeights(new Float32Array(5), new Float32Array(2), 3), /U has 5 entries/);
  const net = createShallowNet({ d: 3, m: 4, prng: new Prng(1) });
  const X = tf.zeros([2, 4]) as tf.Tensor2D;
  assert.throws(() => net.predict(X), /X must be an n×3 tensor/);
  assert.throws(() => net.setWeights([new Float32Array(3)]), /setWeights/);
  X.dispose();
  net.dispose();
});

// ---- NQM ----

function shallowGrad64(U: ArrayLike<number>, v: ArrayLike<number>, x: ArrayLike<number>, d: number): { gU: Float64Array; gv: Float64Array } {
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

test('NQM at w0: value, gradients and kernel equal the network\'s', () => {
  const prng = new Prng(21);
  const n = 6, d = 4, m = 24;
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
  const n = 5, d = 4, m = 12;
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
  const fd = fdGrads((w) => halfSse(gatedForward64(w[0], w[1], U0, x, n, d), yv), [Float64Array.from(Uf), Float64Array.from(vf)]);
  assert.ok(relErr(grads[0], fd[0]) < 1e-3, `NQM dL/dU rel err ${relErr(grads[0], fd[0])}`);
  assert.ok(relErr(grads[1], fd[1]) < 1e-3, `NQM dL/dv rel err ${relErr(grads[1], fd[1])}`);
  const gi = nqm.inputGradients(X);
  const [fdx] = fdGrads((w) => gatedForward64(Uf, vf, U0, w[0], n, d).reduce((a, b) => a + b, 0), [Float64Array.from(x)]);
  assert.ok(relErr(gi, fdx) < 1e-4);
  assert.deepEqual(nqm.initialWeights(), [U0, v0]);
  net.dispose();
  nqm.dispose();
  X.dispose();
  y.dispose();
});

// ---- FCN and CNN ----

test('FCN: value and autodiff gradients match a float64 reference and central differences', () => {
  const prng = new Prng(41);
  const n = 4, d = 5, width = 6, depth = 4;
  const fcn = createFcn({ d, width, depth, prng });
  assert.equal(fcn.kind, 'fcn');
  assert.equal(fcn.numParams, d * width + width * width * 2 + width);
  const { X, y, x, yv } = data(prng, n, d);
  const w64 = fcn.getWeights().map((w) => Float64Array.from(w));
  const f = fcn.predict(X);
  assert.ok(relErr(f.dataSync(), fcnForward64(w64, x, n, d, width)) < 1e-5);
  f.dispose();
  const { loss, grads } = modelGrads(fcn, X, y);
  assert.ok(Math.abs(loss - halfSse(fcnForward64(w64, x, n, d, width), yv)) < 1e-4 * loss);
  const fd = fdGrads((w) => halfSse(fcnForward64(w, x, n, d, width), yv), w64);
  grads.forEach((g, l) => assert.ok(relErr(g, fd[l]) < 1e-3, `layer ${l} rel err ${relErr(g, fd[l])}`));
  const gi = fcn.inputGradients(X);
  const [fdx] = fdGrads((w) => fcnForward64(w64, w[0], n, d, width).reduce((a, b) => a + b, 0), [Float64Array.from(x)]);
  assert.ok(relErr(gi, fdx) < 1e-3, `input-gradient rel err ${relErr(gi, fdx)}`);
  assert.throws(() => createFcn({ d, width, depth: 1, prng }), /depth/);
  fcn.dispose();
  X.dispose();
  y.dispose();
});

test('CNN: im2col forward equals tf.conv2d and a direct float64 convolution; gradients match central differences', () => {
  const prng = new Prng(51);
  const H = 5, W = 4, C = 2, F = 3, depth = 3, n = 3;
  const cnn = createCnn({ height: H, width: W, channels: C, filters: F, depth, prng });
  assert.equal(cnn.kind, 'cnn');
  assert.equal(cnn.inputDim, H * W * C);
  const d = H * W * C;
  const { X, y, x, yv } = data(prng, n, d);
  const w = cnn.getWeights();
  const w64 = w.map((a) => Float64Array.from(a));
  const f = Float64Array.from(cnn.predict(X).dataSync());
  assert.ok(relErr(f, cnnForward64(w64, x, n, H, W, C, F)) < 1e-5);
  const viaConv = tf.tidy(() => {
    let a = tf.reshape(X, [n, H, W, C]) as tf.Tensor4D;
    let cin = C;
    for (let l = 0; l < depth - 1; l++) {
      const k = tf.tensor4d(w[l], [3, 3, cin, F]);
      a = tf.relu(tf.mul(tf.conv2d(a, k, 1, 'same'), 1 / Math.sqrt(9 * cin))) as tf.Tensor4D;
      cin = F;
    }
    return tf.mul(tf.matMul(tf.mean(a, [1, 2]) as tf.Tensor2D, tf.tensor2d(w[depth - 1], [F, 1])), 1 / Math.sqrt(F));
  });
  assert.ok(relErr(f, viaConv.dataSync()) < 1e-5);
  viaConv.dispose();
  const { grads } = modelGrads(cnn, X, y);
  const fd = fdGrads((ww) => halfSse(cnnForward64(ww, x, n, H, W, C, F), yv), w64);
  grads.forEach((g, l) => assert.ok(relErr(g, fd[l]) < 1e-3, `layer ${l} rel err ${relErr(g, fd[l])}`));
  const gi = cnn.inputGradients(X);
  const [fdx] = fdGrads((xx) => cnnForward64(w64, xx[0], n, H, W, C, F).reduce((a, b) => a + b, 0), [Float64Array.from(x)]);
  assert.ok(relErr(gi, fdx) < 1e-3, `input-gradient rel err ${relErr(gi, fdx)}`);
  assert.throws(() => createCnn({ height: 28, width: 28, channels: 0, filters: 4, depth: 5, prng }), /channels/);
  cnn.dispose();
  X.dispose();
  y.dispose();
});

test('no tensors leak across repeated lossAndGrads, predict, tangentKernel and inputGradients', () => {
  const prng = new Prng(61);
  const n = 6, d = 4;
  const models: ScalarModel[] = [];
  const net: ShallowNet = createShallowNet({ d, m: 8, prng });
  models.push(net, createNqm(net), createFcn({ d, width: 5, depth: 3, prng }), createCnn({ height: 2, width: 2, channels: 1, filters: 2, depth: 2, prng }));
  const { X, y } = data(prng, n, d);
  for (const model of models) {
    const once = () => {
      modelGrads(model, X, y);
      model.predict(X).dispose();
      model.tangentKernel(X);
      model.inputGradients(X);
      model.setWeights(model.getWeights());
      model.tangentKernelMatvec?.(X).dispose();
    };
    once();
    const before = tf.memory().numTensors;
    for (let r = 0; r < 3; r++) once();
    assert.equal(tf.memory().numTensors, before, `${model.kind} leaks tensors`);
  }
  models.forEach((mdl) => mdl.dispose());
  X.dispose();
  y.dispose();
  // Creating and disposing a model leaves nothing behind either.
  const start = tf.memory().numTensors;
  const tmp = createShallowNet({ d, m: 8, prng });
  const tmpNqm = createNqm(tmp);
  const tmpCnn = createCnn({ height: 2, width: 2, channels: 1, filters: 2, depth: 3, prng });
  [tmp, tmpNqm, tmpCnn].forEach((mdl) => mdl.dispose());
  assert.equal(tf.memory().numTensors, start);
});

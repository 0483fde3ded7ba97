/**
 * Micro-benchmarks of the numerics library, all measured side by side in one process:
 * warm-up, then the median over repetitions. `npm run bench` prints a table;
 * `npm run bench -- --json` prints one JSON object per line: {"case", "medianMs", …}.
 *
 * Two comparisons are measured in the same run: the hand-written GD step against tape autodiff,
 * rep by rep (a paired benchmark, so load on a shared machine hits both alike), and the GD step
 * against a single-thread numpy float32 reference of its two big matmuls (Z = XUᵀ and XᵀM at
 * n = 2000, d = 100, m = 1024), run in a python3 subprocess with one BLAS thread; skipped with a
 * note when python3 or numpy is missing.
 */
import { spawnSync } from 'node:child_process';
import { Command } from 'commander';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from '../src/lib/backend';
import { Prng } from '../src/lib/prng';
import { createShallowNet, type ShallowNet } from '../src/lib/models/shallow';
import { topEigen } from '../src/lib/eigen';
import { agop } from '../src/lib/agop';
import { fitRfm } from '../src/lib/rfm';
import '../src/lib/models/autodiff';

interface BenchCase {
  name: string;
  description: string;
  reps: number;
  setup: () => { run: () => void; teardown: () => void };
}

const D = 100;
const M = 1024;
const ETA = 1e-4; // tiny so repeated steps stay finite; the cost does not depend on η

function problem(n: number, seed: number): { net: ShallowNet; X: tf.Tensor2D; y: tf.Tensor1D } {
  const prng = new Prng(seed);
  const net = createShallowNet({ d: D, m: M, prng });
  const X = tf.tensor2d(prng.normalArray(n * D), [n, D]);
  const y = tf.tensor1d(prng.normalArray(n));
  return { net, X, y };
}

/** One full GD step (loss + gradients + update), synchronised by reading the loss. */
function gdStep(net: ShallowNet, grads: tf.Tensor[], loss: tf.Scalar): void {
  tf.tidy(() => net.params.forEach((p, i) => p.assign(tf.sub(p, tf.mul(grads[i], ETA)))));
  loss.dataSync();
  loss.dispose();
  grads.forEach((g) => g.dispose());
}

function handWrittenStep(n: number): BenchCase['setup'] {
  return () => {
    const { net, X, y } = problem(n, 1);
    return {
      run: () => {
        const { loss, grads } = net.lossAndGrads(X, y);
        gdStep(net, grads, loss);
      },
      teardown: () => [net, X, y].forEach((t) => t.dispose()),
    };
  };
}

/** The same step by tape autodiff (tf.variableGrads) through the same forward pass. */
function autodiffStep(n: number): BenchCase['setup'] {
  return () => {
    const { net, X, y } = problem(n, 1);
    return {
      run: () => {
        const { value, grads } = tf.variableGrads(() => {
          const f = net.predict(X);
          return tf.mul(tf.sum(tf.square(tf.sub(f, y))), 0.5) as tf.Scalar;
        }, net.params);
        gdStep(
          net,
          net.params.map((p) => grads[p.name]),
          value,
        );
      },
      teardown: () => [net, X, y].forEach((t) => t.dispose()),
    };
  };
}

/** The hand-written backward pass but with matMul transpose flags (what tfjs's own matmul gradient does). */
function transposeFlagStep(n: number): BenchCase['setup'] {
  return () => {
    const { net, X, y } = problem(n, 1);
    return {
      run: () => {
        const { loss, grads } = tf.tidy(() => {
          const Z = tf.mul(tf.matMul(X, net.U, false, true), 1 / Math.sqrt(D));
          const S = tf.step(Z);
          const B = tf.relu(Z);
          const f = tf.mul(tf.reshape(tf.matMul(B, tf.reshape(net.v, [M, 1])), [n]), 1 / Math.sqrt(M));
          const r = tf.sub(f, y);
          const l = tf.mul(tf.sum(tf.square(r)), 0.5) as tf.Scalar;
          const gv = tf.mul(tf.reshape(tf.matMul(B, tf.reshape(r, [n, 1]), true, false), [M]), 1 / Math.sqrt(M));
          const Mx = tf.mul(tf.mul(tf.reshape(r, [n, 1]), tf.reshape(net.v, [1, M])), S);
          const gU = tf.mul(tf.matMul(Mx, X, true, false), 1 / Math.sqrt(M * D));
          return { loss: l, grads: [gU, gv] };
        });
        gdStep(net, grads, loss);
      },
      teardown: () => [net, X, y].forEach((t) => t.dispose()),
    };
  };
}

/** The same step in the row layout (n×m features, U and the d×m gradient transposed every step). */
function rowLayoutStep(n: number): BenchCase['setup'] {
  return () => {
    const { net, X, y } = problem(n, 1);
    return {
      run: () => {
        const { loss, grads } = tf.tidy(() => {
          const Z = tf.mul(tf.matMul(X, tf.transpose(net.U)), 1 / Math.sqrt(D));
          const S = tf.step(Z);
          const B = tf.relu(Z);
          const f = tf.mul(tf.reshape(tf.matMul(B, tf.reshape(net.v, [M, 1])), [n]), 1 / Math.sqrt(M));
          const r = tf.sub(f, y);
          const l = tf.mul(tf.sum(tf.square(r)), 0.5) as tf.Scalar;
          const gv = tf.mul(tf.reshape(tf.matMul(tf.reshape(r, [1, n]), B), [M]), 1 / Math.sqrt(M));
          const Mx = tf.mul(tf.mul(tf.reshape(r, [n, 1]), tf.reshape(net.v, [1, M])), S);
          const gU = tf.mul(tf.transpose(tf.matMul(tf.transpose(X), Mx)), 1 / Math.sqrt(M * D));
          return { loss: l, grads: [gU, gv] };
        });
        gdStep(net, grads, loss);
      },
      teardown: () => [net, X, y].forEach((t) => t.dispose()),
    };
  };
}

/**
 * The GD step's two big matmuls alone, in the same backend and the same layout as the step
 * (src/lib/models/gatedRelu.ts: Zᵀ = U·Xᵀ with Xᵀ kept, and the weight gradient Mᵀ·X, no transpose
 * flags), synchronised by reading both: what the backend's matmul allows the step at best.
 */
function twoMatmulsOnly(n: number): { run: () => void; teardown: () => void } {
  const { net, X, y } = problem(n, 1);
  const Xt = tf.transpose(X) as tf.Tensor2D;
  const Mt = tf.randomNormal([M, n], 0, 1, 'float32', 7) as tf.Tensor2D;
  return {
    run: () => {
      const [Zt, gU] = tf.tidy(() => [tf.matMul(net.U, Xt), tf.matMul(Mt, X)]);
      Zt.dataSync();
      gU.dataSync();
      Zt.dispose();
      gU.dispose();
    },
    teardown: () => [net, X, y, Xt, Mt].forEach((t) => t.dispose()),
  };
}

/** Median of (X·Uᵀ, XᵀM) in numpy float32 on one thread, or why it could not be measured. */
function numpyTwoMatmuls(
  n: number,
  reps: number,
): { medianMs: number; minMs: number; numpy: string } | { skipped: string } {
  const script = `
import json, sys, time
try:
    import numpy as np
except ImportError as e:
    print(json.dumps({"skipped": "numpy not importable: " + str(e)})); sys.exit(0)
n, d, m, reps = ${n}, ${D}, ${M}, ${reps}
rng = np.random.default_rng(0)
X = rng.standard_normal((n, d), dtype=np.float32)
Ut = rng.standard_normal((d, m), dtype=np.float32)
Xt = np.ascontiguousarray(X.T)
Mx = rng.standard_normal((n, m), dtype=np.float32)
def both():
    Z = X @ Ut
    G = Xt @ Mx
    return Z[0, 0] + G[0, 0]
for _ in range(3): both()
ts = []
for _ in range(reps):
    t0 = time.perf_counter(); both(); ts.append((time.perf_counter() - t0) * 1000)
ts.sort()
print(json.dumps({"medianMs": ts[len(ts) // 2], "minMs": ts[0], "numpy": np.__version__}))
`;
  const threads = {
    OMP_NUM_THREADS: '1',
    OPENBLAS_NUM_THREADS: '1',
    MKL_NUM_THREADS: '1',
    VECLIB_MAXIMUM_THREADS: '1',
    NUMEXPR_NUM_THREADS: '1',
  };
  const res = spawnSync('python3', ['-c', script], {
    env: { ...process.env, ...threads },
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (res.error) return { skipped: `python3 not runnable (${res.error.message})` };
  if (res.status !== 0) return { skipped: `python3 exited with ${res.status}: ${res.stderr.trim().split('\n').pop()}` };
  try {
    return JSON.parse(res.stdout.trim().split('\n').pop() as string);
  } catch {
    return { skipped: `unexpected python3 output: ${res.stdout.trim().slice(0, 200)}` };
  }
}

/** Alternates two step functions rep by rep and returns both medians (ms). */
/** Wall times (ms) of `reps` calls of `run` after `warmup` untimed ones. */
function timeReps(run: () => void, reps: number, warmup: number): number[] {
  for (let w = 0; w < warmup; w++) run();
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  return times;
}

/**
 * a and b timed side by side: `reps` times each, in alternating blocks of `block` consecutive calls
 * (1: rep by rep). A block longer than 1 times each in the steady state a training loop runs it in
 * (the step after a step), which rep-by-rep alternation disturbs (allocator and garbage collector).
 */
function paired(
  a: () => void,
  b: () => void,
  reps: number,
  warmup: number,
  block = 1,
): { aMs: number; bMs: number; aTimes: number[]; bTimes: number[] } {
  for (let w = 0; w < warmup; w++) {
    a();
    b();
  }
  const ta: number[] = [];
  const tb: number[] = [];
  for (let r = 0; r < reps; r += block) {
    // alternate which goes first so neither always runs on a warmer cache
    const order = (r / block) % 2 === 0 ? [a, b] : [b, a];
    for (const f of order) {
      for (let k = 0; k < Math.min(block, reps - r); k++) {
        const t0 = performance.now();
        f();
        (f === a ? ta : tb).push(performance.now() - t0);
      }
    }
  }
  return { aMs: median(ta), bMs: median(tb), aTimes: ta, bTimes: tb };
}

const CASES: BenchCase[] = [
  {
    name: 'shallow-gd-step-n2000',
    description: `full-batch GD step, hand-written backward, d=${D}, m=${M}`,
    reps: 15,
    setup: handWrittenStep(2000),
  },
  {
    name: 'shallow-gd-step-n10',
    description: `GD step on 10 samples, d=${D}, m=${M}`,
    reps: 60,
    setup: handWrittenStep(10),
  },
  {
    name: 'ntk-top5-n128',
    description: `closed-form tangent kernel (float64) + top-5 eigenpairs, n=128, m=${M}`,
    reps: 10,
    setup: () => {
      const { net, X, y } = problem(128, 2);
      return {
        run: () => {
          const K = net.tangentKernel(X);
          topEigen(K, 128, 5);
        },
        teardown: () => [net, X, y].forEach((t) => t.dispose()),
      };
    },
  },
  {
    name: 'agop-n2000',
    description: `AGOP (input gradients + d×d outer-product sum), n=2000, d=${D}, m=${M}`,
    reps: 10,
    setup: () => {
      const { net, X, y } = problem(2000, 3);
      return { run: () => void agop(net, X), teardown: () => [net, X, y].forEach((t) => t.dispose()) };
    },
  },
  {
    name: 'rfm-iteration-n1000-d196',
    description: 'one RFM iteration at M = I (float64 Laplace kernel, Cholesky solve, AGOP), n=1000, d=196',
    reps: 5,
    setup: () => {
      const n = 1000;
      const d = 196; // 14×14 MNIST, as chapter 2's kernel-drops
      const X = new Prng(4).normalArray(n * d);
      const y = Float32Array.from({ length: n }, (_, i) => X[i * d] * X[i * d + 1]);
      return {
        run: () => void fitRfm({ X, y, n, d }, { bandwidth: 10, ridge: 1e-3, iterations: 1 }),
        teardown: () => {},
      };
    },
  },
  {
    name: 'shallow-gd-step-n2000-stock-autodiff',
    description: 'same step by tf.variableGrads through predict() (tape autodiff)',
    reps: 15,
    setup: autodiffStep(2000),
  },
  {
    name: 'shallow-gd-step-n2000-row-layout',
    description:
      'the same step with n×m features (XUᵀ with U transposed, XᵀM with M repacked) as before the column layout',
    reps: 15,
    setup: rowLayoutStep(2000),
  },
  {
    name: 'shallow-gd-step-n10-row-layout',
    description: 'the row-layout step on 10 samples (the two transposes of U dominate)',
    reps: 60,
    setup: rowLayoutStep(10),
  },
  {
    name: 'shallow-gd-step-n2000-transpose-flags',
    description: 'hand-written backward using matMul transpose flags instead of explicit transposes',
    reps: 5,
    setup: transposeFlagStep(2000),
  },
];

const PAIRED_CASE = 'shallow-gd-step-n2000-handwritten-vs-autodiff';
const NUMPY_CASE = 'shallow-gd-step-n2000-vs-numpy';
const MATMUL_CASE = 'shallow-gd-step-n2000-vs-its-matmuls';
const PROFILE_CASE = 'shallow-gd-step-n2000-kernels';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = Math.floor(s.length / 2);
  return s.length % 2 ? s[h] : 0.5 * (s[h - 1] + s[h]);
}

async function main(): Promise<void> {
  const program = new Command()
    .name('bench')
    .description('Time the numerics library (median over repetitions after warm-up)')
    .option('--json', 'print one JSON object per line instead of a table')
    .option('--only <names>', 'comma-separated case names to run')
    .option('--reps <n>', 'override the repetition count of every case', (v) => Number.parseInt(v, 10))
    .option('--warmup <n>', 'warm-up runs per case', (v) => Number.parseInt(v, 10), 2)
    .option('--backend <name>', 'tfjs backend: wasm or cpu', 'wasm');
  program.parse();
  const opts = program.opts<{ json?: boolean; only?: string; reps?: number; warmup: number; backend: string }>();
  if (opts.backend !== 'wasm' && opts.backend !== 'cpu')
    throw new Error(`--backend must be wasm or cpu, got ${opts.backend}`);
  if (opts.reps !== undefined && !(opts.reps > 0)) throw new Error('--reps must be a positive integer');
  const backend = await initBackend([opts.backend as BackendName]);
  const wanted = opts.only?.split(',').map((s) => s.trim());
  const known = [...CASES.map((c) => c.name), PAIRED_CASE, NUMPY_CASE, MATMUL_CASE, PROFILE_CASE];
  const unknown = wanted?.filter((w) => !known.includes(w)) ?? [];
  if (unknown.length) throw new Error(`--only: unknown case(s) ${unknown.join(', ')}; known: ${known.join(', ')}`);
  const rows: { case: string; medianMs: number; minMs: number; reps: number; backend: string; description: string }[] =
    [];
  for (const c of CASES) {
    if (wanted && !wanted.includes(c.name)) continue;
    const { run, teardown } = c.setup();
    const reps = opts.reps ?? c.reps;
    const times = timeReps(run, reps, opts.warmup);
    teardown();
    const row = {
      case: c.name,
      medianMs: +median(times).toFixed(3),
      minMs: +Math.min(...times).toFixed(3),
      reps,
      backend,
      description: c.description,
    };
    rows.push(row);
    if (opts.json) console.log(JSON.stringify(row));
  }
  const notes: string[] = [];
  if (!wanted || wanted.includes(PAIRED_CASE)) {
    // Hand-written backward vs tape autodiff on one net and data, rep by rep.
    const hw = handWrittenStep(2000)();
    const ad = autodiffStep(2000)();
    const reps = opts.reps ?? 15;
    const p = paired(hw.run, ad.run, reps, opts.warmup);
    hw.teardown();
    ad.teardown();
    const wins = p.aTimes.filter((t, i) => t < p.bTimes[i]).length;
    const row = {
      case: PAIRED_CASE,
      handWrittenMs: +p.aMs.toFixed(3),
      autodiffMs: +p.bMs.toFixed(3),
      autodiffOverHandWritten: +(p.bMs / p.aMs).toFixed(3),
      handWrittenFasterInReps: `${wins}/${reps}`,
      reps,
      backend,
      description: 'full-batch GD step, n=2000: hand-written backward vs tf.variableGrads, alternating rep by rep',
    };
    if (opts.json) console.log(JSON.stringify(row));
    notes.push(
      `paired: hand-written ${row.handWrittenMs} ms, tape autodiff ${row.autodiffMs} ms (×${row.autodiffOverHandWritten}; hand-written faster in ${row.handWrittenFasterInReps} reps)`,
    );
  }
  if (!wanted || wanted.includes(MATMUL_CASE)) {
    // The GD step beside its own two big matmuls in the same backend, rep by rep: how much of the step is matmul.
    const hw = handWrittenStep(2000)();
    const mm = twoMatmulsOnly(2000);
    const reps = opts.reps ?? 20;
    // in blocks of 5: each as a loop runs it, step after step
    const p = paired(hw.run, mm.run, reps, opts.warmup, 5);
    hw.teardown();
    mm.teardown();
    const row = {
      case: MATMUL_CASE,
      stepMs: +p.aMs.toFixed(3),
      twoMatmulsMs: +p.bMs.toFixed(3),
      stepOverMatmuls: +(p.aMs / p.bMs).toFixed(3),
      within10pc: p.aMs / p.bMs <= 1.1,
      reps,
      backend,
      description:
        'full-batch GD step, n=2000, vs its two big matmuls alone (same layout: U·Xᵀ, Mᵀ·X) in the same backend, alternating in blocks of 5 reps',
    };
    if (opts.json) console.log(JSON.stringify(row));
    notes.push(
      `paired: GD step ${row.stepMs} ms, its two big matmuls alone ${row.twoMatmulsMs} ms (step / matmuls ×${row.stepOverMatmuls}: ${row.within10pc ? 'within' : 'NOT within'} 10 % of what the backend's matmul allows)`,
    );
  }
  if (!wanted || wanted.includes(PROFILE_CASE)) {
    // Where one GD step's time goes, kernel by kernel (tf.profile), summed by kernel name and input shapes
    // over several steps; the share of each in the step's kernel time.
    const hw = handWrittenStep(2000)();
    for (let w = 0; w < opts.warmup; w++) hw.run();
    const reps = opts.reps ?? 5;
    const byKernel = new Map<string, number>();
    for (let r = 0; r < reps; r++) {
      const info = await tf.profile(() => hw.run());
      for (const k of info.kernels) {
        const ms = await k.kernelTimeMs;
        if (typeof ms !== 'number') continue;
        const key = `${k.name} ${k.inputShapes.map((sh) => `[${sh.join('×')}]`).join(' ')}`;
        byKernel.set(key, (byKernel.get(key) ?? 0) + ms / reps);
      }
    }
    hw.teardown();
    const total = [...byKernel.values()].reduce((a, b) => a + b, 0);
    const top = [...byKernel.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
    const row = {
      case: PROFILE_CASE,
      kernelMs: +total.toFixed(3),
      top: top.map(([k, ms]) => ({ kernel: k, ms: +ms.toFixed(3), share: +(ms / total).toFixed(3) })),
      reps,
      backend,
      description: 'one full-batch GD step (n=2000), kernel by kernel (tf.profile), mean over reps',
    };
    if (opts.json) console.log(JSON.stringify(row));
    notes.push(
      `kernels of one GD step (${row.kernelMs} ms in kernels): ${row.top.map((t) => `${t.kernel} ${t.ms} ms (${Math.round(100 * t.share)} %)`).join('; ')}`,
    );
  }
  if (!wanted || wanted.includes(NUMPY_CASE)) {
    // The GD step beside numpy's two matmuls of the same shapes, both measured now.
    const step = handWrittenStep(2000)();
    const reps = opts.reps ?? 15;
    const stepMs = median(timeReps(step.run, reps, opts.warmup));
    step.teardown();
    // the same two matmuls alone in this backend: what the step cannot beat, against numpy's
    const mm = twoMatmulsOnly(2000);
    const matmulsMs = median(timeReps(mm.run, reps, opts.warmup));
    mm.teardown();
    const np = numpyTwoMatmuls(2000, Math.max(reps, 15));
    const base = {
      case: NUMPY_CASE,
      stepMs: +stepMs.toFixed(3),
      reps,
      backend,
      description: 'GD step (n=2000, d=100, m=1024) vs numpy float32, one thread, X·Uᵀ + XᵀM',
    };
    if ('skipped' in np) {
      const row = {
        ...base,
        numpyMs: null,
        ratio: null,
        skipped: true,
        note: `GD step ${base.stepMs} ms; numpy reference skipped: ${np.skipped}`,
      };
      if (opts.json) console.log(JSON.stringify(row));
      notes.push(row.note);
    } else {
      const ratio = stepMs / np.medianMs;
      const row = {
        ...base,
        numpyMs: +np.medianMs.toFixed(3),
        numpyMinMs: +np.minMs.toFixed(3),
        numpyVersion: np.numpy,
        ratio: +ratio.toFixed(3),
        within2x: ratio <= 2,
        backendMatmulsMs: +matmulsMs.toFixed(3),
        backendMatmulsOverNumpy: +(matmulsMs / np.medianMs).toFixed(3),
      };
      if (opts.json) console.log(JSON.stringify(row));
      notes.push(
        `GD step ${row.stepMs} ms vs numpy float32 one thread ${row.numpyMs} ms for the same two matmuls: ratio ${row.ratio} (${row.within2x ? 'within' : 'NOT within'} 2×); the backend's two matmuls alone ${row.backendMatmulsMs} ms, ×${row.backendMatmulsOverNumpy} numpy's`,
      );
    }
  }
  if (!opts.json) {
    const w = Math.max(4, ...rows.map((r) => r.case.length));
    console.log(`backend: ${backend}, tensors alive at end: ${tf.memory().numTensors}`);
    console.log(`${'case'.padEnd(w)}  ${'median ms'.padStart(10)}  ${'min ms'.padStart(9)}  reps  what`);
    for (const r of rows) {
      console.log(
        `${r.case.padEnd(w)}  ${r.medianMs.toFixed(2).padStart(10)}  ${r.minMs.toFixed(2).padStart(9)}  ${String(r.reps).padStart(4)}  ${r.description}`,
      );
    }
    for (const note of notes) console.log(note);
  }
}

main().catch((e: Error) => {
  console.error(`bench: ${e.message}`);
  process.exitCode = 1;
});

/**
 * Micro-benchmarks of the numerics library, all measured side by side in one process:
 * warm-up, then the median over repetitions. `npm run bench` prints a table;
 * `npm run bench -- --json` prints one JSON object per line: {"case", "medianMs", …}.
 */
import { Command } from 'commander';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from '../src/lib/backend';
import { Prng } from '../src/lib/prng';
import { createShallowNet, type ShallowNet } from '../src/lib/models/shallow';
import { topEigen } from '../src/lib/eigen';
import { agop } from '../src/lib/agop';
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
        gdStep(net, net.params.map((p) => grads[p.name]), value);
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

const CASES: BenchCase[] = [
  { name: 'shallow-gd-step-n2000', description: `full-batch GD step, hand-written backward, d=${D}, m=${M}`, reps: 15, setup: handWrittenStep(2000) },
  { name: 'shallow-gd-step-n10', description: `GD step on 10 samples, d=${D}, m=${M}`, reps: 60, setup: handWrittenStep(10) },
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
    name: 'shallow-gd-step-n2000-stock-autodiff',
    description: 'same step by tf.variableGrads through predict() (tape autodiff)',
    reps: 15,
    setup: autodiffStep(2000),
  },
  {
    name: 'shallow-gd-step-n2000-transpose-flags',
    description: 'hand-written backward using matMul transpose flags instead of explicit transposes',
    reps: 5,
    setup: transposeFlagStep(2000),
  },
];

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
  if (opts.backend !== 'wasm' && opts.backend !== 'cpu') throw new Error(`--backend must be wasm or cpu, got ${opts.backend}`);
  if (opts.reps !== undefined && !(opts.reps > 0)) throw new Error('--reps must be a positive integer');
  const backend = await initBackend([opts.backend as BackendName]);
  const wanted = opts.only?.split(',').map((s) => s.trim());
  const unknown = wanted?.filter((w) => !CASES.some((c) => c.name === w)) ?? [];
  if (unknown.length) throw new Error(`--only: unknown case(s) ${unknown.join(', ')}; known: ${CASES.map((c) => c.name).join(', ')}`);
  const rows: { case: string; medianMs: number; minMs: number; reps: number; backend: string; description: string }[] = [];
  for (const c of CASES) {
    if (wanted && !wanted.includes(c.name)) continue;
    const { run, teardown } = c.setup();
    for (let w = 0; w < opts.warmup; w++) run();
    const reps = opts.reps ?? c.reps;
    const times: number[] = [];
    for (let r = 0; r < reps; r++) {
      const t0 = performance.now();
      run();
      times.push(performance.now() - t0);
    }
    teardown();
    const row = { case: c.name, medianMs: +median(times).toFixed(3), minMs: +Math.min(...times).toFixed(3), reps, backend, description: c.description };
    rows.push(row);
    if (opts.json) console.log(JSON.stringify(row));
  }
  if (!opts.json) {
    const w = Math.max(...rows.map((r) => r.case.length));
    console.log(`backend: ${backend}, tensors alive at end: ${tf.memory().numTensors}`);
    console.log(`${'case'.padEnd(w)}  ${'median ms'.padStart(10)}  ${'min ms'.padStart(9)}  reps  what`);
    for (const r of rows) {
      console.log(`${r.case.padEnd(w)}  ${r.medianMs.toFixed(2).padStart(10)}  ${r.minMs.toFixed(2).padStart(9)}  ${String(r.reps).padStart(4)}  ${r.description}`);
    }
  }
}

main().catch((e: Error) => {
  console.error(`bench: ${e.message}`);
  process.exitCode = 1;
});

/**
 * Seeded randomness for everything in `src/lib`: data, initialisation and batch order.
 * No `Math.random` anywhere in the library, so a (config, seed) pair fixes a run.
 */

/**
 * The child streams of a run's `Prng(seed)`, one label per purpose: `prng.fork(SEED_STREAM.data)`
 * draws the training data, `.weights` the initial weights, `.test` the test set. Forks are taken in
 * the order data, weights, test, so runs with the same seed share data and initialisation whatever
 * else they vary. Two experiments reuse a label for a purpose they have instead: kernel-drops has
 * no test set and samples its initial batches from stream 3; the pipeline self-test has no random
 * initialisation and draws its batch order from stream 2. Changing a number changes every trace.
 */
export const SEED_STREAM = {
  data: 1,
  weights: 2,
  test: 3,
  /** kernel-drops: the batches of the initial median batch λ_max. */
  initialBatches: 3,
  /** pipeline-selftest: the batch order. */
  selftestBatchOrder: 2,
} as const;

/** A seeded generator: mulberry32 for uniforms, Box–Muller (cached pair) for normals. */
export class Prng {
  private state: number;
  private spare: number | null = null;

  /** `seed` is any 32-bit integer; equal seeds give equal streams. */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new Error(`Prng: seed must be a finite number, got ${seed}`);
    this.state = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  }

  /** Uniform on [0, 1), 32 bits of resolution. */
  uniform(): number {
    // mulberry32: tiny, fast, passes the statistical tests that matter for init and shuffling.
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Standard normal N(0, 1). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.uniform(); // log(0) guard
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Integer uniform on {0, …, n−1}. */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Fills a Float32Array of length `size` with N(0, std²) draws. */
  normalArray(size: number, std = 1): Float32Array {
    const out = new Float32Array(size);
    for (let i = 0; i < size; i++) out[i] = std * this.normal();
    return out;
  }

  /** Random signs ±1. */
  signArray(size: number): Float32Array {
    const out = new Float32Array(size);
    for (let i = 0; i < size; i++) out[i] = this.uniform() < 0.5 ? -1 : 1;
    return out;
  }

  /** A uniformly random permutation of 0..n−1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** An independent child stream, so adding draws in one place does not shift another. */
  fork(label: number): Prng {
    return new Prng((this.int(0x7fffffff) ^ Math.imul(label + 1, 0x85ebca6b)) | 0);
  }
}

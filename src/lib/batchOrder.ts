/**
 * The Trainer's batch order, readable one step ahead: an epoch is a permutation of 0..n−1 drawn from
 * Prng(seed), cut into consecutive batches of b (the last one may be smaller); b ≥ n is full-batch GD
 * in index order with no draws. An experiment that must look at step t's batch before the Trainer
 * takes that step (e.g. to cap η at the batch's critical rate) follows this sequence; a test pins it
 * to the batches the Trainer records, and such experiments check it against the recorded batch.
 */
import { Prng } from './prng';

/** Yields the batches a Trainer with the same (n, batchSize, seed) draws, in order. */
export class BatchOrder {
  private readonly prng: Prng;
  private readonly b: number;
  private readonly isGD: boolean;
  private perm: Int32Array;
  private pos = 0;

  /** n training points, batch size b (b ≥ n: full batch), the Trainer's `seed` (default 0). */
  constructor(
    readonly n: number,
    b: number,
    seed = 0,
  ) {
    if (!Number.isInteger(n) || n <= 0) throw new Error(`BatchOrder: n must be a positive integer, got ${n}`);
    if (!Number.isInteger(b) || b <= 0) throw new Error(`BatchOrder: batchSize must be a positive integer, got ${b}`);
    this.b = Math.min(b, n);
    this.isGD = this.b === n;
    this.prng = new Prng(seed);
    this.perm = this.isGD ? Int32Array.from({ length: n }, (_, i) => i) : this.prng.permutation(n);
  }

  /** The next batch's sample indices (a fresh array). */
  next(): number[] {
    const end = Math.min(this.pos + this.b, this.n);
    const idx = Array.from(this.perm.subarray(this.pos, end));
    this.pos = end;
    if (this.pos >= this.n) {
      this.pos = 0;
      if (!this.isGD) this.perm = this.prng.permutation(this.n);
    }
    return idx;
  }
}

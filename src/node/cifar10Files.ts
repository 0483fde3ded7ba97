/**
 * Node-only: reads user-supplied CIFAR-10 binary files (cifar-10-batches-bin) from a directory.
 * The parsing itself is in src/lib/data/cifar10.ts so the browser could use it on fetched bytes.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { concatCifar10, parseCifar10Binary, type Cifar10Records } from '../lib/data/cifar10';

/** Which official files to read: the five training batches, the test batch, or all six. */
export type Cifar10Split = 'train' | 'test' | 'all';

/** File names of a split, in the official order. */
export function cifar10FileNames(split: Cifar10Split): string[] {
  const train = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`);
  if (split === 'train') return train;
  if (split === 'test') return ['test_batch.bin'];
  if (split === 'all') return [...train, 'test_batch.bin'];
  throw new Error(`readCifar10Dir: split must be 'train', 'test' or 'all', got '${String(split)}'`);
}

/**
 * Reads and concatenates the split's files from `dir`. Training batches that are absent are
 * skipped as long as at least one is present (so a one-batch subset works); none present is an error.
 */
export function readCifar10Dir(dir: string, split: Cifar10Split = 'train'): Cifar10Records {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new Error(
      `readCifar10Dir: directory '${dir}' does not exist; download the CIFAR-10 binary version and pass its cifar-10-batches-bin folder`,
    );
  }
  const names = cifar10FileNames(split);
  const present = names.filter((f) => existsSync(join(dir, f)));
  if (present.length === 0) {
    throw new Error(
      `readCifar10Dir: none of ${names.join(', ')} found in '${dir}'; pass the cifar-10-batches-bin folder of the CIFAR-10 binary version`,
    );
  }
  return concatCifar10(
    present.map((f) => parseCifar10Binary(new Uint8Array(readFileSync(join(dir, f))), join(dir, f))),
  );
}

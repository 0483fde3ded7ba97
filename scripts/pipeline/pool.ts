/**
 * A fixed pool of worker threads running planned runs. A run that throws is reported as failed;
 * a worker that dies mid-run fails only that run and is replaced.
 */
import { Worker } from 'node:worker_threads';
import type { PlannedRun } from '../../src/experiments/plan';
import type { RunOutput } from './executeRun';

export type ToWorker = { type: 'run'; id: number; run: PlannedRun };
export type FromWorker =
  | { type: 'progress'; id: number; done: number; total: number }
  | { type: 'done'; id: number; output: RunOutput }
  | { type: 'error'; id: number; message: string };

/** Callbacks for one run's life cycle (all optional except completion). */
export interface RunCallbacks {
  onStart?(run: PlannedRun): void;
  onProgress?(run: PlannedRun, done: number, total: number): void;
  onDone(run: PlannedRun, output: RunOutput): void;
  onError(run: PlannedRun, message: string): void;
}

const WORKER_URL = new URL('./workerEntry.mjs', import.meta.url);

/** Runs all `runs` on `jobs` worker threads (at most one run per worker at a time); resolves when all have finished or failed. */
export function runInWorkers(runs: PlannedRun[], jobs: number, cb: RunCallbacks): Promise<void> {
  if (runs.length === 0) return Promise.resolve();
  const queue = runs.map((run, id) => ({ id, run }));
  let remaining = runs.length;
  return new Promise((resolve) => {
    const finishOne = () => {
      remaining--;
      if (remaining === 0) resolve();
    };
    const spawn = () => {
      const worker = new Worker(WORKER_URL);
      let current: { id: number; run: PlannedRun } | null = null;
      const next = () => {
        current = queue.shift() ?? null;
        if (!current) {
          void worker.terminate();
          return;
        }
        cb.onStart?.(current.run);
        worker.postMessage({ type: 'run', id: current.id, run: current.run } satisfies ToWorker);
      };
      worker.on('message', (msg: FromWorker) => {
        if (!current || msg.id !== current.id) return;
        if (msg.type === 'progress') return cb.onProgress?.(current.run, msg.done, msg.total);
        if (msg.type === 'done') cb.onDone(current.run, msg.output);
        else cb.onError(current.run, msg.message);
        finishOne();
        next();
      });
      const fail = (why: string) => {
        if (!current) return;
        const run = current.run;
        current = null;
        cb.onError(run, `${run.experiment}/${run.runKey} failed: worker ${why}`);
        finishOne();
        if (queue.length) spawn();
      };
      worker.on('error', (e: Error) => fail(`crashed (${e.message})`));
      worker.on('exit', (code) => fail(`exited with code ${code}`));
      next();
    };
    for (let i = 0; i < Math.min(jobs, runs.length); i++) spawn();
  });
}

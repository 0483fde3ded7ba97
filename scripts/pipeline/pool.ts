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

/**
 * Runs all `runs` on `jobs` worker threads (at most one run per worker at a time); resolves when all
 * have finished or failed, or, once `signal` aborts, as soon as the running workers are terminated
 * (runs in flight are abandoned, queued runs never start). Resolves with the runs abandoned.
 */
export function runInWorkers(
  runs: PlannedRun[],
  jobs: number,
  cb: RunCallbacks,
  signal?: AbortSignal,
): Promise<{ abandoned: PlannedRun[]; notStarted: PlannedRun[] }> {
  if (runs.length === 0 || signal?.aborted) return Promise.resolve({ abandoned: [], notStarted: [...runs] });
  const queue = runs.map((run, id) => ({ id, run }));
  let remaining = runs.length;
  const live = new Map<Worker, { id: number; run: PlannedRun } | null>();
  return new Promise((resolve) => {
    let settled = false;
    const settle = (abandoned: PlannedRun[]) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      resolve({ abandoned, notStarted: queue.splice(0).map((q) => q.run) });
    };
    const finishOne = () => {
      remaining--;
      if (remaining === 0) settle([]);
    };
    const onAbort = () => {
      const abandoned = [...live.values()]
        .filter((c): c is { id: number; run: PlannedRun } => c !== null)
        .map((c) => c.run);
      const workers = [...live.keys()];
      live.clear();
      void Promise.all(workers.map((w) => w.terminate())).then(() => settle(abandoned));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const spawn = () => {
      const worker = new Worker(WORKER_URL);
      let current: { id: number; run: PlannedRun } | null = null;
      live.set(worker, null);
      const next = () => {
        current = queue.shift() ?? null;
        if (!current) {
          live.delete(worker);
          void worker.terminate();
          return;
        }
        live.set(worker, current);
        cb.onStart?.(current.run);
        worker.postMessage({ type: 'run', id: current.id, run: current.run } satisfies ToWorker);
      };
      worker.on('message', (msg: FromWorker) => {
        if (!current || msg.id !== current.id || signal?.aborted) return;
        if (msg.type === 'progress') return cb.onProgress?.(current.run, msg.done, msg.total);
        if (msg.type === 'done') cb.onDone(current.run, msg.output);
        else cb.onError(current.run, msg.message);
        finishOne();
        next();
      });
      const fail = (why: string) => {
        if (!current || signal?.aborted) return;
        const run = current.run;
        current = null;
        live.delete(worker);
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

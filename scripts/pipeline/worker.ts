/**
 * Worker-thread entry: receives planned runs, executes them one at a time, posts progress
 * (throttled) and results back. Started with execArgv ['--import', 'tsx'] so it can load .ts.
 */
import { parentPort } from 'node:worker_threads';
import type { PlannedRun } from '../../src/experiments/plan';
import { executeRun } from './executeRun';
import type { FromWorker, ToWorker } from './pool';

if (!parentPort) throw new Error('scripts/pipeline/worker.ts must run as a worker thread');
const port = parentPort;

port.on('message', async (msg: ToWorker) => {
  if (msg.type !== 'run') return;
  const run: PlannedRun = msg.run;
  let last = 0;
  const progress = (done: number, total: number) => {
    const now = Date.now();
    // At most ~10 messages a second: progress bars do not need more and postMessage is not free.
    if (now - last < 100 && done < total) return;
    last = now;
    port.postMessage({ type: 'progress', id: msg.id, done, total } satisfies FromWorker);
  };
  try {
    const output = await executeRun(run, progress);
    port.postMessage({ type: 'done', id: msg.id, output } satisfies FromWorker);
  } catch (e) {
    port.postMessage({ type: 'error', id: msg.id, message: (e as Error).message } satisfies FromWorker);
  }
});

/**
 * The one Web Worker behind every demo island: it bundles tfjs once (about 1.4 MB), so a reader who
 * runs several demos downloads it once. The island names its demo in the Worker's `name` option
 * (`new Worker(url, { type: 'module', name: 'catapult' })`); the shared host (kit/workerHost.ts)
 * then serves that demo's session.
 */
import { catapultWorkerSpec } from './catapults-in-gd/catapultWorkerSpec';
import { sgdSpikeWorkerSpec } from './sgd-spikes/sgdSpikeWorkerSpec';
import { agopWorkerSpec } from './agop/agopWorkerSpec';
import { serveDemo } from './kit/workerHost';
import { DEMO_WORKER_NAMES } from './kit/protocol';

const name = (self as unknown as { name: string }).name;
if (name === DEMO_WORKER_NAMES.catapult) serveDemo(catapultWorkerSpec);
else if (name === DEMO_WORKER_NAMES.sgdSpike) serveDemo(sgdSpikeWorkerSpec);
else if (name === DEMO_WORKER_NAMES.agop) serveDemo(agopWorkerSpec);
else {
  const message = `demos.worker: unknown demo "${name}"; create the worker with name ${Object.values(DEMO_WORKER_NAMES)
    .map((n) => `"${n}"`)
    .join(' or ')}`;
  (self as unknown as { postMessage(m: unknown): void }).postMessage({ type: 'error', message });
}

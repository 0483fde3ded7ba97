/**
 * The "Watch SGD spike" demo's side of the shared demo worker (src/demos/demos.worker.ts, served by
 * kit/workerHost.ts: backends, frame-budgeted and paced play loop, ordered message handling): how
 * to build an SgdSpikeSession and pack its records.
 */
import type { SgdSpikeProgressMessage, SgdSpikeReadyMessage } from './sgdSpikeDemoProtocol';
import type { SgdSpikeDemoState } from './sgdSpikeDemoState';
import type { DemoWorkerSpec } from '../kit/workerHost';
import { SgdSpikeSession, type SgdSpikeStepRecord } from './sgdSpikeSession';

/**
 * Steps per second at most, so a run lasts long enough to change η̄ mid-run on a fast machine: the
 * default 300 steps take at least 6 s, and a spike (a few steps) a tenth of a second.
 */
export const SGD_SPIKE_STEPS_PER_SECOND = 50;

export const sgdSpikeWorkerSpec: DemoWorkerSpec<
  SgdSpikeDemoState,
  SgdSpikeStepRecord,
  SgdSpikeSession,
  SgdSpikeReadyMessage,
  SgdSpikeProgressMessage
> = {
  protocolVersion: 'sgd-2',
  create: (state) => SgdSpikeSession.create(state),
  ready: (s) => ({ lambda0: s.lambda0, loss0: s.loss0 }),
  progress: (records) => ({
    steps: records.map((r) => r.step),
    trainLoss: records.map((r) => r.trainLoss),
    batchLoss: records.map((r) => r.batchLoss),
    batchEtaCrit: records.map((r) => r.batchEtaCrit),
    eta: records.map((r) => r.eta),
    batches: records.map((r) => r.batch),
  }),
  maxStepsPerSecond: SGD_SPIKE_STEPS_PER_SECOND,
};

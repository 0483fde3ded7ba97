/**
 * Web Worker behind the "Watch SGD spike" demo: one SgdSpikeSession served by the shared demo host
 * (kit/workerHost.ts: backends, frame-budgeted play loop, ordered message handling).
 */
import type { SgdSpikeProgressMessage, SgdSpikeReadyMessage } from './sgdSpikeDemoProtocol';
import type { SgdSpikeDemoState } from './sgdSpikeDemoState';
import { serveDemo } from '../kit/workerHost';
import { SgdSpikeSession, type SgdSpikeStepRecord } from './sgdSpikeSession';

serveDemo<SgdSpikeDemoState, SgdSpikeStepRecord, SgdSpikeSession, SgdSpikeReadyMessage, SgdSpikeProgressMessage>({
  protocolVersion: 'sgd-1',
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
});

/**
 * The "Watch the AGOP learn" demo's side of the shared demo worker (src/demos/demos.worker.ts, served
 * by kit/workerHost.ts: backends, frame-budgeted and paced play loop, ordered message handling): how
 * to build an AgopSession and pack its records.
 */
import type { AgopProgressMessage, AgopReadyMessage } from './agopDemoProtocol';
import type { AgopDemoState } from './agopDemoState';
import type { DemoWorkerSpec } from '../kit/workerHost';
import { AgopSession, type AgopStepRecord } from './agopSession';

/**
 * Steps per second at most: the alignment climbs over the first few hundred steps, which at this
 * pace takes several seconds to watch; with the AGOP every 5 steps it is refreshed 10 times a second.
 */
export const AGOP_STEPS_PER_SECOND = 50;

export const agopWorkerSpec: DemoWorkerSpec<
  AgopDemoState,
  AgopStepRecord,
  AgopSession,
  AgopReadyMessage,
  AgopProgressMessage
> = {
  protocolVersion: 'agop-1',
  create: (state) => AgopSession.create(state),
  ready: (s) => ({ lambda0: s.lambda0, loss0: s.loss0, k: s.k, trueAgopBlock: s.trueAgopBlock }),
  progress: (records) => {
    const refreshed = records.filter((r) => r.align !== null);
    return {
      steps: records.map((r) => r.step),
      trainLoss: records.map((r) => r.trainLoss),
      batchLoss: records.map((r) => r.batchLoss),
      batchSize: records.map((r) => r.batchSize),
      eta: records.map((r) => r.eta),
      agopStep: refreshed.map((r) => r.step),
      align: refreshed.map((r) => r.align as number),
      agopBlocks: refreshed.map((r) => r.agopBlock as number[]),
    };
  },
  maxStepsPerSecond: AGOP_STEPS_PER_SECOND,
};

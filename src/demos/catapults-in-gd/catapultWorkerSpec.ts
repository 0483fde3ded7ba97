/**
 * The catapult demo's side of the shared demo worker (src/demos/demos.worker.ts, served by
 * kit/workerHost.ts: backends, frame-budgeted and paced play loop, ordered message handling): how
 * to build a CatapultSession and pack its records.
 */
import type { CatapultProgressMessage, CatapultReadyMessage } from './catapultDemoProtocol';
import type { CatapultDemoState } from './catapultDemoState';
import type { DemoWorkerSpec } from '../kit/workerHost';
import { CatapultSession, type CatapultStepRecord } from './catapultSession';

/**
 * Steps per second at most: a catapult (some 20 steps) takes half a second to watch on any machine.
 * 25 (the pace until December 2026) held the demo below 30 steps/s, the site's target for every demo.
 */
export const CATAPULT_STEPS_PER_SECOND = 40;

export const catapultWorkerSpec: DemoWorkerSpec<
  CatapultDemoState,
  CatapultStepRecord,
  CatapultSession,
  CatapultReadyMessage,
  CatapultProgressMessage
> = {
  protocolVersion: '2',
  create: (state) => CatapultSession.create(state),
  ready: (s) => ({ lambda0: s.lambda0, loss0: s.loss0 }),
  progress: (records, s) => ({
    steps: records.map((r) => r.step),
    loss: records.map((r) => r.loss),
    lambdaMax: records.map((r) => r.lambdaMax),
    eta: records.map((r) => r.eta),
    regime: s?.regime ?? 'linear',
  }),
  maxStepsPerSecond: CATAPULT_STEPS_PER_SECOND,
};

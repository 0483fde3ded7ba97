/**
 * Web Worker behind the catapult demo: one CatapultSession served by the shared demo host
 * (kit/workerHost.ts: backends, frame-budgeted play loop, ordered message handling).
 */
import type { CatapultProgressMessage, CatapultReadyMessage } from './catapultDemoProtocol';
import type { CatapultDemoState } from './catapultDemoState';
import { serveDemo } from '../kit/workerHost';
import { CatapultSession, type CatapultStepRecord } from './catapultSession';

serveDemo<CatapultDemoState, CatapultStepRecord, CatapultSession, CatapultReadyMessage, CatapultProgressMessage>({
  protocolVersion: '1',
  create: (state) => CatapultSession.create(state),
  ready: (s) => ({ lambda0: s.lambda0, loss0: s.loss0 }),
  progress: (records, s) => ({
    steps: records.map((r) => r.step),
    loss: records.map((r) => r.loss),
    lambdaMax: records.map((r) => r.lambdaMax),
    eta: records.map((r) => r.eta),
    regime: s?.regime ?? 'linear',
  }),
});

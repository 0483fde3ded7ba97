/**
 * The Web Worker side shared by the demo islands: owns tfjs and one session, answers the requests
 * of protocol.ts and steps in frame-budgeted batches while playing, so the page never blocks.
 * Backend order wasm → webgl → cpu; the .wasm binaries are self-hosted through Vite `?url` imports.
 * A demo only says how to build its session and how to pack its records (its DemoWorkerSpec); one
 * worker entry (src/demos/demos.worker.ts) serves every demo, so tfjs is one download for all.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgl';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { initBackend } from '../../lib/backend';
import type { DemoRequestOf, DemoResponseOf, ProgressBase, ReadyBase } from './protocol';
import { FRAME_BUDGET_MS } from './protocol';
import type { DemoSession } from './session';

type Extra<M, Common extends string> = Omit<M, Common>;
type ReadyCommon = 'type' | 'backend' | 'versions' | 'state' | 'etaCrit' | 'numParams';
type ProgressCommon = 'type' | 'stepsPerSecond' | 'playing' | 'finished';

export interface DemoWorkerSpec<
  S extends { seed: number; etaRatio: number },
  Rec,
  Sess extends DemoSession<S, Rec>,
  R extends ReadyBase<S>,
  P extends ProgressBase,
> {
  /** The demo's protocol version, reported in `ready.versions.demoProtocol`. */
  protocolVersion: string;
  /** Builds data and model for a state (throws naming the field if it is invalid). */
  create(state: S): Sess;
  /** Demo-specific fields of the ready message. */
  ready(session: Sess): Extra<R, ReadyCommon>;
  /** Demo-specific fields (and `steps`, `eta`) of a progress message for these records; session is null before a build. */
  progress(records: Rec[], session: Sess | null): Extra<P, ProgressCommon>;
  /**
   * Most steps per second while playing (default: as fast as the machine allows), so a run lasts
   * long enough to watch and to act in (change η mid-run) on a fast machine too.
   */
  maxStepsPerSecond?: number;
}

/** The worker scope, typed narrowly (the project's TS lib is DOM, not WebWorker). */
interface Scope<S, R extends ReadyBase<S>, P extends ProgressBase> {
  postMessage(msg: DemoResponseOf<R, P>): void;
  onmessage: ((e: MessageEvent<DemoRequestOf<S>>) => void) | null;
}

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});

/** Wires `self` to one demo: call once, at the top level of the worker module. */
export function serveDemo<
  S extends { seed: number; etaRatio: number },
  Rec,
  Sess extends DemoSession<S, Rec>,
  R extends ReadyBase<S>,
  P extends ProgressBase,
>(spec: DemoWorkerSpec<S, Rec, Sess, R, P>): void {
  const scope = self as unknown as Scope<S, R, P>;
  let backend: string | null = null;
  let session: Sess | null = null;
  /** The state to rebuild from on reset/reseed: the last build's, with later η changes applied. */
  let current: S | null = null;
  let playing = false;
  /** Bumped on every rebuild/pause so a stale play loop notices and stops (cancellation token). */
  let token = 0;

  const post = (msg: DemoResponseOf<R, P>): void => scope.postMessage(msg);

  async function ensureBackend(): Promise<string> {
    if (backend === null) backend = await initBackend(['wasm', 'webgl', 'cpu']);
    return backend;
  }

  async function build(state: S): Promise<void> {
    token++;
    playing = false;
    session?.dispose();
    session = null;
    const be = await ensureBackend();
    session = spec.create(state);
    current = session.state;
    post({
      type: 'ready',
      backend: be,
      versions: { 'tfjs-core': tf.version_core, demoProtocol: spec.protocolVersion },
      state: session.state,
      etaCrit: session.etaCrit,
      numParams: session.numParams,
      ...spec.ready(session),
    } as unknown as R);
  }

  /** Step completion times (ms) of the last second, for a steady steps/s readout. */
  const recent: number[] = [];
  function stepsPerSecond(now: number, added: number): number {
    for (let i = 0; i < added; i++) recent.push(now);
    while (recent.length > 0 && now - recent[0] > 1000) recent.shift();
    if (recent.length < 2) return 0;
    return (1000 * (recent.length - 1)) / Math.max(now - recent[0], 1);
  }

  /** Runs steps until the budget is used, the run ends or `limit` steps are done; posts one batch; returns the steps taken. */
  function runBatch(budgetMs: number, limit: number): number {
    const s = session;
    if (!s) return 0;
    const t0 = performance.now();
    const records: Rec[] = [];
    while (records.length < limit && !s.finished && !s.diverged) {
      records.push(s.step());
      if (performance.now() - t0 >= budgetMs) break;
    }
    if (s.diverged || s.finished) playing = false;
    post({
      type: 'progress',
      ...spec.progress(records, s),
      // A single batch can be one step; a one-second window of completions is what readers see.
      stepsPerSecond: stepsPerSecond(performance.now(), records.length),
      playing,
      finished: s.finished,
    } as unknown as P);
    // Reported once, with the batch that hit it.
    if (s.diverged && records.length > 0) post({ type: 'diverged', ...s.diverged });
    return records.length;
  }

  // Pacing (spec.maxStepsPerSecond): steps taken since play started, against the steps due by now.
  const pace = spec.maxStepsPerSecond ?? Infinity;
  let paceStart = 0;
  let paceSteps = 0;
  const restartPace = (): void => {
    paceStart = performance.now();
    paceSteps = 0;
  };

  // A MessageChannel yields to the event loop without setTimeout's 4 ms clamp, so pause and η
  // changes are handled between batches.
  const tick = new MessageChannel();
  tick.port1.onmessage = (e: MessageEvent<number>) => {
    if (!playing || e.data !== token) return;
    let limit = Infinity;
    if (Number.isFinite(pace)) {
      const now = performance.now();
      const due = ((now - paceStart) / 1000) * pace;
      // A machine slower than the pace runs flat out; a backlog of more than ¼ s is forgotten, not caught up.
      if (due - paceSteps > pace / 4) paceSteps = Math.floor(due - pace / 4);
      limit = Math.floor(due) + 1 - paceSteps;
      if (limit <= 0) {
        const t = token;
        setTimeout(() => tick.port2.postMessage(t), Math.max(1, ((paceSteps - due) / pace) * 1000));
        return;
      }
    }
    paceSteps += runBatch(FRAME_BUDGET_MS, limit);
    if (playing) tick.port2.postMessage(token);
  };

  function play(): void {
    if (!session || session.finished || session.diverged) {
      post({
        type: 'progress',
        ...spec.progress([], session),
        stepsPerSecond: 0,
        playing: false,
        finished: !!session?.finished,
      } as unknown as P);
      return;
    }
    playing = true;
    recent.length = 0;
    token++;
    restartPace();
    tick.port2.postMessage(token);
  }

  async function handle(msg: DemoRequestOf<S>): Promise<void> {
    switch (msg.type) {
      case 'init':
      case 'setState':
        await build(msg.state);
        return;
      case 'reset':
        if (current) await build(current);
        return;
      case 'reseed':
        if (current) await build({ ...current, seed: msg.seed });
        return;
      case 'setEtaRatio':
        session?.setEtaRatio(msg.etaRatio);
        if (current) current = { ...current, etaRatio: msg.etaRatio };
        return;
      case 'setLive':
        if (session && !session.setLive)
          throw new Error(`setLive: this demo changes nothing mid-run (got ${Object.keys(msg.patch).join(', ')})`);
        session?.setLive?.(msg.patch);
        // Like η: a reset or reseed rebuilds with the live settings as they are now.
        if (current) current = { ...current, ...msg.patch };
        return;
      case 'extend':
        // Only a run that used up its budget continues; a diverged one stays stopped.
        if (session && session.finished && !session.diverged) session.extend(msg.steps);
        play();
        return;
      case 'play':
        play();
        return;
      case 'pause':
        playing = false;
        token++;
        runBatch(0, 0); // report the paused state
        return;
      case 'step':
        playing = false;
        token++;
        runBatch(Infinity, Math.max(1, msg.count ?? 1));
        return;
    }
  }

  // Messages are handled strictly in order, even while a (re)build awaits the backend.
  let queue: Promise<void> = Promise.resolve();
  scope.onmessage = (e: MessageEvent<DemoRequestOf<S>>) => {
    queue = queue
      .then(() => handle(e.data))
      .catch((err: unknown) => {
        playing = false;
        post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
      });
  };
}

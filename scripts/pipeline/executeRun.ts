/**
 * Performs one planned run in the current thread: sets up the backend and Prng, calls the
 * experiment, checks and encodes the result. Used by worker threads and by in-process runs.
 */
import { getExperiment } from '../../src/experiments/registry';
import { encodeBody, modelFileName, type TraceFile } from '../../src/experiments/trace';
import { toModelFile, type ModelFile } from '../../src/experiments/modelFile';
import type { PlannedRun } from '../../src/experiments/plan';
import { Prng } from '../../src/lib/prng';

/** What a finished run hands back to the writer. */
export interface RunOutput {
  series: TraceFile['series'];
  summary: TraceFile['summary'];
  model: ModelFile | null;
  backend: string;
  wallSeconds: number;
}

let backendName: string | null = null;

/** Name of the numeric backend: the tfjs backend if the experiment uses tfjs, else float64 JS. */
async function ensureBackend(usesTfjs: boolean): Promise<string> {
  if (!usesTfjs) return 'js-float64';
  if (!backendName) {
    const { initBackend } = await import('../../src/lib/backend');
    backendName = await initBackend();
  }
  return backendName;
}

/** Runs `run` and returns its encoded body; throws (naming the run) on failure or non-finite output. */
export async function executeRun(
  run: PlannedRun,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<RunOutput> {
  const label = `${run.experiment}/${run.runKey}`;
  const exp = getExperiment(run.experiment);
  const backend = await ensureBackend(exp.usesTfjs);
  const t0 = performance.now();
  try {
    const result = await exp.run(run.config, { seed: run.seed, prng: new Prng(run.seed), progress: onProgress });
    const wallSeconds = (performance.now() - t0) / 1000;
    // Series first: a diverged run should be reported as such, not as a bad model.
    const encoded = encodeBody({ series: result.series, summary: result.summary });
    const model = result.model ? toModelFile(result.model) : null;
    const body = model
      ? { ...encoded, summary: { ...encoded.summary, modelFile: modelFileName(run.runKey) } }
      : encoded;
    return { ...body, model, backend, wallSeconds };
  } catch (e) {
    const err = e as Error;
    throw new Error(`${label} failed: ${err.message}`, { cause: err });
  }
}

/**
 * Chapter 3's sentences about the batch-size sweep, written from its config and traces so that the
 * numbers in the prose are the runs' own: the stop rule and caps, how many batches can catapult at
 * η̄, how catapults were counted, and what the noise control shows.
 */
import { agreedSetting, pct } from '../common';
import {
  batchSizes,
  batchTable,
  controlRow,
  controlVsGd,
  sweepControlAttempt,
  sweepRecords,
  type Task,
} from './readouts';
import { BAND_WORDS } from './batchOrdering';

/** The sweep's settings as every run of it (the noise control apart) records them. */
export function sweepSettings() {
  const runs = [...sweepRecords('rank2'), ...sweepRecords('rank4')];
  return {
    /** Width, training points, input dimension and test points. */
    m: agreedSetting(runs, 'm'),
    n: agreedSetting(runs, 'n'),
    d: agreedSetting(runs, 'd'),
    nTest: agreedSetting(runs, 'nTest'),
    stopMse: agreedSetting(runs, 'stopMse'),
    gdSteps: agreedSetting(runs, 'gdSteps'),
    sgdEpochs: agreedSetting(runs, 'sgdEpochs'),
    lossSamplesPerEpoch: agreedSetting(runs, 'lossSamplesPerEpoch'),
    etaFactor: agreedSetting(runs, 'etaFactor'),
  };
}

/** How every run stops, its caps, and whether any run hit one. */
export function stopRuleSentence(): string {
  const c = sweepSettings();
  const rows = (['rank2', 'rank4'] as const).flatMap((t) => batchTable(t));
  const capped = rows.reduce((s, r) => s + r.capped, 0);
  const diverged = rows.reduce((s, r) => s + r.diverged, 0);
  return (
    `Every run trains until its training MSE is below ${c.stopMse} (GD checks after every step, SGD at the end of each epoch). ` +
    `The caps, ${c.gdSteps} steps for GD and ${c.sgdEpochs} epochs for SGD, are there to end a run that never gets there. ` +
    (capped === 0
      ? 'No run hit its cap'
      : `${capped} run${capped === 1 ? '' : 's'} hit their cap; they are marked in the tables and left out of the statuses`) +
    (diverged === 0
      ? ', and none diverged.'
      : `, and ${diverged} diverged (counted in the tables, left out of every mean and status).`)
  );
}

/** Which share of random batches has a critical rate below η̄ at initialisation, per SGD batch size. */
export function batchesBelowSentence(task: Task): string {
  const rows = batchTable(task).filter((r) => r.b < batchSizes()[0]);
  const parts = rows.map(
    (r) =>
      `${pct(r.fracBatchesBelowEta)} of batches of ${r.b} (η̄ = ${r.etaOverMedianBatchCrit.toFixed(2)} times their median critical rate)`,
  );
  return `At initialisation, ${parts.join(', ')} have a critical rate 2b/λ_max(K(X_B)) below η̄ and can catapult`;
}

/** How the sweep's loss spikes were counted, with the every-step counts of the seeds that have them. */
export function catapultCountSentence(task: Task): string {
  const c = sweepSettings();
  const rows = batchTable(task).filter((r) => r.catapultsEveryStep.values.length > 0 && r.b < batchSizes()[0]);
  const every = rows.map((r) => `${r.catapultsEveryStep.values.join(', ')} at batch ${r.b}`).join(' and ');
  return (
    `Loss spikes (rises above twice the running minimum) are counted by the library's detector on the full training loss, evaluated ${c.lossSamplesPerEpoch} times per epoch for SGD and every step for GD. ` +
    `The sweep did not record each step's batch critical rate, so it cannot say which spikes are catapults; the catapult-removal test below counts both. ` +
    `Spikes shorter than that sampling are missed, so the SGD counts are lower bounds. ` +
    (every
      ? `For seed 0 we also evaluated the loss at every step: ${every}, against ${rows.map((r) => r.catapults.text).join(' and ')} sampled.`
      : '')
  );
}

/** What the noise control shows against GD, paired by seed. */
export function controlSentence(task: Task): string {
  const k = controlRow(task);
  const table = batchTable(task);
  const gd = table[0];
  const small = table[table.length - 1];
  const d = k.vsGd.align;
  const verdict = {
    above: `higher than GD’s by more than ${BAND_WORDS}, so on this task noise alone does raise the alignment`,
    below: `lower than GD’s by more than ${BAND_WORDS}`,
    within: `within ${BAND_WORDS} of GD’s`,
  }[controlVsGd(k)];
  const below =
    k.stepsAboveBatchCrit === 0
      ? `At every step η̄ was below the critical rate of the batch drawn (largest ratio ${k.maxEtaOverBatchCrit.toFixed(2)})`
      : `At ${k.stepsAboveBatchCrit} steps η̄ reached the critical rate of the batch drawn, so this control is not clean`;
  const first = sweepControlAttempt(task);
  const attempt =
    first.stepsAbove > 0
      ? `A first try at ${first.etaOverFullCrit} of the full-set rate was not clean: at ${first.stepsAbove} of ${first.steps} steps the batch drawn was at or above its critical rate (largest ratio ${first.maxRatio.toFixed(2)}), so the control runs at ${k.etaOverFullCrit}. `
      : '';
  return (
    attempt +
    `${below}. Its sampled loss spiked ${k.catapults.text} times, though no step was in its batch's catapult regime. ` +
    `Its alignment, ${k.align.text} over ${k.seeds} seeds, is ${verdict} (GD ${gd.align.text}; paired difference ${d.mean.toFixed(3)}, band ${d.band.toFixed(3)}). ` +
    `Its test MSE / Var f* is ${k.testLossOverVar.text}, against GD's ${gd.testLossOverVar.text}. ` +
    `The sweep's batch of ${small.b} at ${sweepSettings().etaFactor} of the full-set rate, which does catapult, reaches an alignment of ${small.align.text} and a test MSE / Var f* of ${small.testLossOverVar.text}`
  );
}

const TASK_WORD: Record<Task, string> = { rank2: 'rank-2', rank4: 'rank-4' };

/** The sweep's result in one sentence per task: GD against the smallest batch, alignment and test loss (means over seeds). */
export function sweepFinding(task: Task): string {
  const rows = batchTable(task);
  const gd = rows[0];
  const small = rows[rows.length - 1];
  const f = (x: number) => x.toFixed(2);
  return `On ${TASK_WORD[task]}, the alignment rises from ${f(gd.align.mean)} under GD to ${f(small.align.mean)} at batch ${small.b}, and the test MSE / Var f* falls from ${f(gd.testLossOverVar.mean)} to ${f(small.testLossOverVar.mean)}`;
}

/** The noise control against GD in one short sentence (means over seeds), with the direction it found. */
export function noiseControlFinding(task: Task): string {
  const k = controlRow(task);
  const gd = batchTable(task)[0];
  const f = (x: number) => x.toFixed(2);
  const clean = k.stepsAboveBatchCrit === 0;
  const head = `On ${TASK_WORD[task]}, SGD at batch ${k.b} with η̄ below every batch's critical rate${clean ? ', so that no step can catapult,' : ''} ends at ${f(k.align.mean)} against GD's ${f(gd.align.mean)}`;
  const tail = {
    above: `above GD by more than ${BAND_WORDS}. Noise alone already does part of the work`,
    below: `below GD by more than ${BAND_WORDS}`,
    within: `within ${BAND_WORDS} of GD. Noise alone does not raise the alignment here`,
  }[controlVsGd(k)];
  return `${head}: ${tail}`;
}

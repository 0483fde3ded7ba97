/**
 * Chapter 2 (loss spikes in SGD): table specs for <Table> (src/site/table.ts), built from the same
 * readouts the chapter's prose and figures use; every cell's text is what the page showed before the
 * tables were specs, and its raw value the number behind it.
 */
import { blank, cell, meanStdCell, type TableRow, type TableSpec } from '../../table';
import { countWord, listWords, recordedSettings } from '../common';
import { LADDER_FACTORS_EXP, ladderArchs, ladderFactorRows, ladderFactorVerdict, readoutName } from './ladderFactors';
import { ARCH_SHORT, DROP_RULE, kernelDropTable, permutationPValue, type KernelDropRow } from './readouts';

// "More often than chance": the p the kernel-drop rule asks of a partly reproduced architecture.
const CHANCE_P = DROP_RULE.partly.p;

const archName = (r: KernelDropRow) => ARCH_SHORT[r.arch] ?? r.arch;

/**
 * Per architecture (kernel-drops): spikes per run and the share followed by a drop of λ_max on the
 * probe set. Architectures are columns and measures rows, so the table keeps to the text column.
 */
export function kernelDropTableSpec(): TableSpec {
  const rows = kernelDropTable();
  const mean = (s: KernelDropRow['spikes'] | null, none: string) => (s ? meanStdCell(s) : blank(none));
  // Short row names so the table's first column stays narrow on a phone; the notes below spell them out.
  const measures: { name: string; cell: (r: KernelDropRow) => TableRow[string] }[] = [
    { name: 'spikes per run', cell: (r) => meanStdCell(r.spikes) },
    { name: 'lower λ_max after (a)', cell: (r) => mean(r.dropFraction, 'no spikes') },
    { name: 'base rate (b)', cell: (r) => mean(r.baseRate, '—') },
    {
      name: 'pooled (a)',
      cell: (r) => cell(`${r.pooledDrops}/${r.pooledSpikes}`, { drops: r.pooledDrops, spikes: r.pooledSpikes }),
    },
    {
      name: 'permutation p (d)',
      cell: (r) => (r.baseRate ? cell(permutationPValue(r.chance), r.chance) : blank()),
    },
    { name: 'λ_2/λ_1 of K at start', cell: (r) => meanStdCell(r.lambda2OverLambda1) },
    { name: 'train MSE, start', cell: (r) => meanStdCell(r.initialMse) },
    { name: 'train MSE, end', cell: (r) => meanStdCell(r.finalMse) },
    { name: 'live channels (c)', cell: (r) => (r.liveChannels === null ? blank() : cell(r.liveChannels)) },
    { name: 'parameters', cell: (r) => cell(r.numParams.toLocaleString('en'), r.numParams) },
    { name: 'seeds', cell: (r) => cell(String(r.seeds), r.seeds) },
    { name: 'η̄ / full-set rate', cell: (r) => cell(r.etaOverFullCrit.toFixed(2), r.etaOverFullCrit) },
  ];
  const beat = rows.filter((r) => r.baseRate && r.pooledSpikes > 0 && r.chance < CHANCE_P);
  return {
    finding: `Spikes are followed by a lower λ_max(K) more often than windows anywhere in the same runs (p < ${CHANCE_P}) for ${countWord(beat.length)} of the ${countWord(rows.length)} architectures${beat.length ? ` (${listWords(beat.map(archName))})` : ''}.`,
    caption:
      'Spikes and drops of λ_max(K) under SGD on MNIST per architecture, mean ± std over seeds (ours; the paper shows this qualitatively).',
    columns: [
      { key: 'measure', header: 'measure', role: 'label' },
      ...rows.map((r) => ({ key: r.arch, header: archName(r), role: 'ours' as const })),
    ],
    rows: measures.map((m) => ({
      measure: cell(m.name),
      ...Object.fromEntries(rows.map((r) => [r.arch, m.cell(r)])),
    })),
    settings: { 'kernel-drops (as its traces record)': recordedSettings('kernel-drops') },
    experiment: 'kernel-drops',
  };
}

/** The CNN's learning-rate ladder per readout and raise factor: how each seed's run ended, the stages that lowered λ_max, the top rate. */
export function ladderFactorTableSpec(): TableSpec {
  const rows = ladderArchs().flatMap(ladderFactorRows);
  const seeds = [...new Set(rows.flatMap((r) => r.perSeed.map((p) => p.seed)))].sort((a, b) => a - b);
  const v = ladderFactorVerdict();
  const runs = v.byArch.reduce((s, a) => s + a.runs, 0);
  const diverged = v.byArch.reduce((s, a) => s + a.diverged, 0);
  const vanished = v.byArch.reduce((s, a) => s + a.vanished, 0);
  return {
    finding: `${v.survivedRuns} of ${runs} ladder runs completed every stage, ${v.climbedRuns === 0 ? 'none' : v.climbedRuns === v.survivedRuns ? 'all' : v.climbedRuns} of them with η higher at each raise; ${diverged} diverged and ${vanished} lost every unit.`,
    caption: `The learning-rate ladder of the 5-layer CNN: how each seed's run ended, per readout and raise factor (ours).`,
    columns: [
      { key: 'readout', header: 'readout', role: 'label' },
      { key: 'factor', header: 'factor', role: 'label' },
      ...seeds.map((s) => ({ key: `seed${s}`, header: `seed ${s}`, role: 'ours' as const })),
      { key: 'lower', header: 'lower λ_max\n(a)', role: 'ours' },
      { key: 'top', header: 'top η / η_crit(w_0)\n(b)', role: 'ours' },
    ],
    rows: rows.map((r) => ({
      readout: cell(readoutName(r.arch, true)),
      factor: cell(String(r.factor), r.factor),
      ...Object.fromEntries(
        seeds.map((s) => {
          const end = r.perSeed.find((p) => p.seed === s)?.end;
          return [`seed${s}`, end === undefined ? blank() : cell(end)];
        }),
      ),
      lower: cell(`${r.stagesWithDrop}/${r.stagesComplete}`, {
        withDrop: r.stagesWithDrop,
        complete: r.stagesComplete,
      }),
      top: r.survivorEtaMax === null ? blank() : cell(r.survivorEtaMax.toFixed(2), r.survivorEtaMax),
    })),
    settings: { 'cnn-ladder-factors (as its traces record)': recordedSettings(LADDER_FACTORS_EXP) },
    experiment: LADDER_FACTORS_EXP,
  };
}

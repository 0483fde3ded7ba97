/**
 * Each chapter's takeaway: the few claims a reader should leave with, each said as the paper makes
 * it, beside its status in the Reproduction report. The status is looked up, never written here, so
 * a takeaway cannot say more than the runs: a claim that did not reproduce shows "not reproduced".
 */
import type { Claim, ClaimStatus } from './claims/types';

/** One point of a takeaway: the claim in plain notation, and the report rows that judge it (with a short label each when several). */
export interface TakeawayPoint {
  text: string;
  claims: readonly { id: string; label?: string }[];
}

/** A point with its statuses looked up. */
export interface TakeawayLine {
  text: string;
  verdicts: { id: string; label?: string; status: ClaimStatus }[];
}

const POINTS: Record<string, readonly TakeawayPoint[]> = {
  'catapults-in-gd': [
    {
      text: 'Above η_crit = 2/λ_max, GD on a wide network need not diverge: the loss spikes, λ_max falls below 2/η, and training converges.',
      claims: [{ id: 'ch1-catapult-lambda' }],
    },
    {
      text: 'The uv model and the quadratic model show the same three regimes: lazy below η_crit, catapult up to about 2 η_crit, divergence above.',
      claims: [
        { id: 'ch1-uv-phases', label: 'uv model' },
        { id: 'ch1-nqm-thresholds', label: 'quadratic model' },
      ],
    },
    {
      text: 'The largest rate that still trains, η_max, is near the quadratic model’s prediction; for deeper ReLU nets Lewkowycz et al. report a larger one.',
      claims: [
        { id: 'ch1-eta-max', label: 'shallow net' },
        { id: 'ch1-eta-max-lewkowycz', label: 'deeper ReLU nets' },
      ],
    },
    {
      text: 'The spike lives in the top few eigen-directions of the tangent kernel.',
      claims: [{ id: 'ch1-pl5' }],
    },
  ],
  'sgd-spikes': [
    {
      text: 'SGD’s loss spikes start on steps whose mini-batch is above its own critical rate.',
      claims: [{ id: 'ch2-spike-start' }],
    },
    {
      text: 'During a spike the loss sits in the top eigen-directions of the batch kernel.',
      claims: [{ id: 'ch2-spike-pl5' }],
    },
    {
      text: 'After a large spike the kernel is flatter.',
      claims: [{ id: 'ch2-spike-kernel' }],
    },
    {
      text: 'Raising the rate again after each catapult gives another catapult, each leaving a flatter kernel.',
      claims: [
        { id: 'ch2-ladder-shallow', label: 'shallow' },
        { id: 'ch2-ladder-fcn', label: 'FCN' },
        { id: 'ch2-ladder-cnn', label: 'CNN' },
      ],
    },
    {
      text: 'On MNIST, each spike is followed by a drop of λ_max more often than chance.',
      claims: [
        { id: 'ch2-kernel-drop-fcn', label: 'FCN' },
        { id: 'ch2-kernel-drop-cnn', label: 'CNN' },
        { id: 'ch2-kernel-drop-resnet', label: 'ResNet' },
        { id: 'ch2-kernel-drop-vit', label: 'ViT' },
      ],
    },
  ],
  agop: [
    {
      text: 'Smaller batches align the network’s AGOP better with the true one, and test better.',
      claims: [
        { id: 'ch3-rank2-alignment', label: 'rank-2 alignment' },
        { id: 'ch3-rank2-test-loss', label: 'rank-2 test loss' },
        { id: 'ch3-rank4-alignment', label: 'rank-4 alignment' },
        { id: 'ch3-rank4-test-loss', label: 'rank-4 test loss' },
      ],
    },
    {
      text: 'Catapults are what does it: with every catapult removed, the gain over GD goes.',
      claims: [
        { id: 'ch3-catapult-removal-alignment', label: 'alignment' },
        { id: 'ch3-catapult-removal-test-loss', label: 'test loss' },
      ],
    },
    {
      text: 'Mini-batch noise without catapults does not raise the alignment above GD’s.',
      claims: [
        { id: 'ch3-rank2-noise-control', label: 'rank-2' },
        { id: 'ch3-rank4-noise-control', label: 'rank-4' },
      ],
    },
    {
      text: 'Under full-batch GD, a catapult raises the alignment, also at equal training loss.',
      claims: [
        { id: 'ch3-gd-catapult-alignment', label: 'rank-2' },
        { id: 'ch3-rank4-gd-catapult-alignment', label: 'rank-4' },
      ],
    },
    {
      text: 'Test performance tracks AGOP alignment, across batch sizes and optimizers.',
      claims: [
        { id: 'ch3-correlation', label: 'batch sizes' },
        { id: 'ch3-optimizers-rank2', label: 'optimizers, rank-2' },
        { id: 'ch3-optimizers-sweep-rank2', label: 'optimizers, rank-2, sweep setting' },
        { id: 'ch3-optimizers-mnist01', label: 'optimizers, MNIST 0 vs 1' },
        { id: 'ch3-optimizers-mnist35', label: 'optimizers, MNIST 3 vs 5' },
      ],
    },
  ],
};

/** The takeaway of chapter `slug` with every status from `claims`; throws naming a missing claim or chapter. */
export function takeaway(slug: string, claims: readonly Claim[]): TakeawayLine[] {
  const points = POINTS[slug];
  if (!points)
    throw new Error(`takeaway: no takeaway for chapter "${slug}"; add one to POINTS in src/site/takeaway.ts`);
  return points.map((p) => ({
    text: p.text,
    verdicts: p.claims.map((c) => {
      const claim = claims.find((x) => x.id === c.id);
      if (!claim)
        throw new Error(
          `takeaway: claim "${c.id}" of chapter "${slug}" is not in the report; fix POINTS in src/site/takeaway.ts`,
        );
      return { ...c, status: claim.status };
    }),
  }));
}

/** The claim ids every takeaway names, by chapter slug (for tests). */
export function takeawayClaimIds(): Record<string, string[]> {
  return Object.fromEntries(Object.entries(POINTS).map(([s, ps]) => [s, ps.flatMap((p) => p.claims.map((c) => c.id))]));
}

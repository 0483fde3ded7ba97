/**
 * The landing page's story at a glance: one finding per chapter, each a sentence of what the
 * chapter shows beside the measured number of one of its report claims (so the number is the
 * report's, computed from traces, and its status goes with it).
 */
import type { Claim } from './claims/types';

/** One chapter's finding: its lead sentence, the claim whose measured value backs it, and where to read on. */
export interface Finding {
  chapter: 1 | 2 | 3;
  slug: string;
  lead: string;
  claim: Claim;
}

/**
 * Which claim of each chapter carries its headline, with the chapter's one-line lead (plain notation): a
 * sentence, or one per status of the claim, so that the lead never says more than the runs' status does.
 */
const HEADLINES: readonly {
  chapter: 1 | 2 | 3;
  slug: string;
  claimId: string;
  lead: string | Partial<Record<Claim['status'], string>>;
}[] = [
  {
    chapter: 1,
    slug: 'catapults-in-gd',
    claimId: 'ch1-catapult-lambda',
    lead: 'Above η_crit = 2/λ_max, GD on a wide net need not blow up: the loss spikes, λ_max of the tangent kernel falls until the step is stable again, and training converges.',
  },
  {
    chapter: 2,
    slug: 'sgd-spikes',
    claimId: 'ch2-spike-start',
    lead: {
      reproduced: 'The loss spikes of SGD start on steps whose mini-batch is above its own critical rate.',
      'partly reproduced':
        'The loss spikes of SGD tend to start on steps whose mini-batch is above its own critical rate: more often than such steps occur, though not every spike does.',
      'not reproduced':
        'In our runs the loss spikes of SGD do not start on steps whose mini-batch is above its own critical rate more often than such steps occur.',
    },
  },
  {
    chapter: 3,
    slug: 'agop',
    claimId: 'ch3-catapult-removal-alignment',
    lead: {
      reproduced:
        'Small batches align the network’s AGOP with the true one better than GD does, and the catapults do it: capping every catapult-regime step removes the gain.',
      'partly reproduced':
        'Small batches align the network’s AGOP with the true one better than GD does; capping every catapult-regime step removes part of that gain, not all of it.',
      'not reproduced':
        'Small batches align the network’s AGOP with the true one better than GD does, but not through catapults: SGD with every catapult-regime step capped keeps most of the gain.',
    },
  },
];

/** The three findings, with their claims looked up in `claims`; throws naming a headline claim that is missing. */
export function landingFindings(claims: readonly Claim[]): Finding[] {
  return HEADLINES.map((h) => {
    const claim = claims.find((c) => c.id === h.claimId);
    if (!claim)
      throw new Error(
        `landing: headline claim "${h.claimId}" of chapter ${h.chapter} is not in the report; pick one of src/site/chapters/${h.slug}/claims.ts`,
      );
    const lead = typeof h.lead === 'string' ? h.lead : h.lead[claim.status];
    if (lead === undefined)
      throw new Error(
        `landing: chapter ${h.chapter}'s lead has no sentence for the status "${claim.status}" of claim "${h.claimId}"; add one to HEADLINES in src/site/landing.ts`,
      );
    return { chapter: h.chapter, slug: h.slug, lead, claim };
  });
}

/**
 * The landing page's story in three steps, one per chapter: each a sentence chosen by the statuses of
 * the report claims that back it (computed from traces at build time), so that a step never says more
 * than the runs do, and says so where they did not reproduce the papers. The claims go with it, and
 * the page shows their statuses beside the sentence.
 */
import type { Claim, ClaimStatus } from './claims/types';

/** One step of the story: its title (a question, so it claims nothing), its sentence, the claims that back it, and where to read on. */
export interface StoryStep {
  chapter: 1 | 2 | 3;
  slug: string;
  title: string;
  sentence: string;
  claims: Claim[];
}

/** Status of a claim by id, as the sentence builders read it. */
type StatusOf = (id: string) => ClaimStatus;

/** A sentence per status; a status without one has no sentence (the step fails the build, naming it). */
type ByStatus = Partial<Record<ClaimStatus, string>>;

/** Thrown when a step has no words for a status its claim has. */
class NoSentence extends Error {}

function pick(words: ByStatus, id: string, status: StatusOf): string {
  const s = words[status(id)];
  if (s === undefined) throw new NoSentence(`no sentence for the status "${status(id)}" of claim "${id}"`);
  return s;
}

/** Chapter 3: the alignment gain of small batches, then what capping the catapults and the noise control showed. */
function agopSentence(status: StatusOf): string {
  const ALIGN = 'ch3-rank2-alignment';
  const gain = pick(
    {
      reproduced: 'On the rank-2 task, small SGD batches align the network’s AGOP with the target’s better than GD',
      'partly reproduced':
        'On the rank-2 task, small SGD batches tend to align the network’s AGOP with the target’s better than GD',
      'not reproduced':
        'On the rank-2 task, small SGD batches do not align the network’s AGOP with the target’s better than GD in our runs',
    },
    ALIGN,
    status,
  );
  // with no gain there is nothing for catapults or noise to explain
  if (status(ALIGN) === 'not reproduced') return `${gain}.`;
  const removal = pick(
    {
      reproduced: ', and the catapults do it: capping every catapult-regime step removes the gain',
      'partly reproduced': '; capping every catapult-regime step removes part of that gain, not all of it',
      'not reproduced': ', but not through catapults: capping every catapult-regime step keeps most of the gain',
      'not yet run': '',
    },
    'ch3-catapult-removal-alignment',
    status,
  );
  const noise = pick(
    {
      reproduced: ', and mini-batch noise without catapults does not raise it',
      'not reproduced': ', and SGD below every batch’s critical rate gains too',
      'not yet run': '',
    },
    'ch3-rank2-noise-control',
    status,
  );
  return `${gain}${removal}${noise}.`;
}

/** The three steps: the claims each rests on (its first decides most of its words) and its sentence. */
const STORY: readonly {
  chapter: 1 | 2 | 3;
  slug: string;
  title: string;
  claimIds: readonly string[];
  sentence: (status: StatusOf) => string;
}[] = [
  {
    chapter: 1,
    slug: 'catapults-in-gd',
    title: 'What happens above the critical rate?',
    claimIds: ['ch1-catapult-lambda'],
    sentence: (s) =>
      pick(
        {
          reproduced:
            'Above η_crit = 2/λ_max, GD on a wide network need not blow up: the loss spikes, λ_max of the tangent kernel falls until the step is stable again, and training converges.',
          'partly reproduced':
            'Above η_crit = 2/λ_max, GD on a wide network can survive a loss spike in which λ_max of the tangent kernel falls until the step is stable again, though not in every run.',
          'not reproduced':
            'In our runs, GD on a wide network above η_crit = 2/λ_max does not settle by lowering λ_max of the tangent kernel.',
        },
        'ch1-catapult-lambda',
        s,
      ),
  },
  {
    chapter: 2,
    slug: 'sgd-spikes',
    title: 'Why does the loss of SGD spike?',
    claimIds: ['ch2-spike-start'],
    sentence: (s) =>
      pick(
        {
          reproduced: 'The loss spikes of SGD start on steps whose mini-batch is above its own critical rate.',
          'partly reproduced':
            'The loss spikes of SGD tend to start on steps whose mini-batch is above its own critical rate: more often than such steps occur, though not every spike does.',
          'not reproduced':
            'In our runs the loss spikes of SGD do not start on steps whose mini-batch is above its own critical rate more often than such steps occur.',
        },
        'ch2-spike-start',
        s,
      ),
  },
  {
    chapter: 3,
    slug: 'agop',
    title: 'Do catapults teach features?',
    claimIds: ['ch3-rank2-alignment', 'ch3-catapult-removal-alignment', 'ch3-rank2-noise-control'],
    sentence: agopSentence,
  },
];

/** The story's three steps with their claims looked up in `claims`; throws naming a missing claim or an unworded status. */
export function landingStory(claims: readonly Claim[]): StoryStep[] {
  return STORY.map((step) => {
    const byId = new Map<string, Claim>();
    for (const id of step.claimIds) {
      const claim = claims.find((c) => c.id === id);
      if (!claim)
        throw new Error(
          `landing: claim "${id}" of chapter ${step.chapter}'s step is not in the report; pick one of src/site/chapters/${step.slug}/claims.ts`,
        );
      byId.set(id, claim);
    }
    const status: StatusOf = (id) => {
      const c = byId.get(id);
      if (!c)
        throw new Error(
          `landing: chapter ${step.chapter}'s sentence reads claim "${id}", which its step does not list`,
        );
      return c.status;
    };
    try {
      return {
        chapter: step.chapter,
        slug: step.slug,
        title: step.title,
        sentence: step.sentence(status),
        claims: [...byId.values()],
      };
    } catch (e) {
      if (e instanceof NoSentence)
        throw new Error(
          `landing: chapter ${step.chapter}'s step has ${e.message}; add one to STORY in src/site/landing.ts`,
        );
      throw e;
    }
  });
}

/**
 * A row of the Reproduction report: one claim of the papers, the paper's number (if any), our
 * number computed from committed traces at build time, and a status computed from the same data.
 * Each chapter exports `claims(): Claim[]` from src/site/chapters/<slug>/claims.ts.
 */
export type ClaimStatus = 'reproduced' | 'partly reproduced' | 'not reproduced' | 'differs' | 'not yet run';

export interface Claim {
  /** Stable id, e.g. 'ch1-eta-max'. */
  id: string;
  chapter: 1 | 2 | 3;
  /** The claim in one sentence, our words. */
  claim: string;
  /** The paper's number as published (from src/site/paperNumbers.ts), or null if it gives none. */
  paper: string | null;
  /** Our measured number(s), formatted from traces. */
  ours: string;
  status: ClaimStatus;
  /** Settings and evidence in one or two sentences (seeds, widths, what differs and why). */
  detail: string;
  /** Experiment id that produced `ours` (links to its settings and data). */
  experiment: string;
  /** Page anchor of the figure that shows it, e.g. '/chapters/catapults-in-gd/#fig-eta-max'. */
  href?: string;
  /**
   * Where the expression that decides `status` lives (path from the repository root), when not in the
   * chapter's claims.ts that returns the claim; the report dates every rule against its traces.
   */
  ruleFile?: string;
  /** When its status rule was written against the traces it judges, from the repository's history (src/node/ruleHistory.ts). */
  ruleDating?: string;
}

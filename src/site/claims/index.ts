/**
 * Every chapter's claims for the Reproduction report. Chapter modules are picked up by file name
 * (src/site/claims/chapterN.ts exporting chapterNClaims), so adding a chapter needs no edit here.
 */
import type { Claim } from './types';

type ClaimModule = Record<string, unknown>;
const modules = import.meta.glob<ClaimModule>('./chapter*.ts', { eager: true });

/** All claims, chapter by chapter, computed from traces at build time. */
export function allClaims(): Claim[] {
  const out: Claim[] = [];
  for (const path of Object.keys(modules).sort()) {
    for (const [name, fn] of Object.entries(modules[path])) {
      if (/^chapter\d+Claims$/.test(name) && typeof fn === 'function') out.push(...(fn as () => Claim[])());
    }
  }
  return out;
}

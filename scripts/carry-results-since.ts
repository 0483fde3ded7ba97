/**
 * Records, in traces rerun by a pipeline that did not yet do so, since when their values stand:
 * each trace in content/traces (or DIR) that repeats every value of its version at git revision REV
 * gets that version's provenance.resultsSince (or commit), exactly as the pipeline now records it
 * when it writes a rerun (carriedResultsSince). Nothing else in the file changes.
 * Usage: `node --import tsx scripts/carry-results-since.ts REV [DIR]`.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { carriedResultsSince, isTraceFileName, parseTraceText, serializeTrace } from '../src/experiments/trace';
import { readTraceFile } from './pipeline/traceStore';
import { writeFileAtomic } from './pipeline/atomicWrite';
import { repoRoot } from './pipeline/provenance';

const [rev, dirArg] = process.argv.slice(2);
try {
  if (!rev)
    throw new Error(
      'usage: node --import tsx scripts/carry-results-since.ts REV [DIR] (REV: the git revision of the traces before the rerun)',
    );
  const root = repoRoot();
  const dir = resolve(process.cwd(), dirArg ?? 'content/traces');
  let carried = 0;
  let unchanged = 0;
  for (const exp of readdirSync(dir).filter((e) => statSync(join(dir, e)).isDirectory())) {
    for (const f of readdirSync(join(dir, exp)).filter(isTraceFileName)) {
      const path = join(dir, exp, f);
      let before: string;
      try {
        before = execFileSync('git', ['show', `${rev}:${relative(root, path)}`], {
          cwd: root,
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
          maxBuffer: 64 * 1024 * 1024,
        });
      } catch {
        continue; // new at this revision: its values are new
      }
      const now = readTraceFile(path);
      const since = carriedResultsSince(parseTraceText(before, `${rev}:${relative(root, path)}`), now);
      if (!since || now.provenance.resultsSince === since) {
        unchanged++;
        continue;
      }
      writeFileAtomic(path, serializeTrace({ ...now, provenance: { ...now.provenance, resultsSince: since } }));
      carried++;
    }
  }
  process.stdout.write(`${carried} traces now record since when their values stand, ${unchanged} unchanged (${dir})\n`);
} catch (e) {
  process.stderr.write(`error: ${(e as Error).message}\n`);
  process.exitCode = 1;
}

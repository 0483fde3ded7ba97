/**
 * CLI of the experiment pipeline:
 *   npm run experiments -- [--only id,…] [--profile paper|quick] [--seeds N] [--force] [--jobs N] [--shard i/N] [--out DIR]
 *   npm run experiments -- merge DIR… [--out DIR]
 *   npm run experiments -- list
 * Exit code 1 when any run fails (every other result is kept), 2 on bad arguments.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { EXPERIMENTS } from '../src/experiments/registry';
import { planExperiment, parseShard } from '../src/experiments/plan';
import { PROFILES, type ProfileName } from '../src/experiments/types';
import { runPipeline } from './pipeline/runPipeline';
import { mergeTraceDirs } from './pipeline/merge';
import { repoRoot } from './pipeline/provenance';

const DEFAULT_OUT = 'content/traces';

function positiveIntArg(name: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive integer, got "${v}"`);
    return n;
  };
}

function profileArg(v: string): ProfileName {
  if (!PROFILES.includes(v as ProfileName)) throw new InvalidArgumentError(`use one of ${PROFILES.join(', ')}`);
  return v as ProfileName;
}

function shardArg(v: string) {
  try {
    return parseShard(v);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

const outPath = (out: string) => resolve(process.cwd(), out);

const program = new Command()
  .name('experiments')
  .description('Run the registered experiments and write versioned traces (cached by config hash).')
  .option('--only <ids>', 'comma-separated experiment ids (default: all that run by default)', (v) => v.split(',').filter(Boolean))
  .option('--profile <name>', 'paper (what the site shows) or quick (seconds, for tests)', profileArg, 'paper')
  .option('--seeds <n>', 'override the number of seeds per grid point', positiveIntArg('--seeds'))
  .option('--force', 'rerun even when the stored trace is up to date', false)
  .option('--jobs <n>', 'worker threads (default: one per core)', positiveIntArg('--jobs'), availableParallelism())
  .option('--shard <i/N>', 'run only shard i of N (1-based, deterministic round-robin over sorted run keys)', shardArg)
  .option('--out <dir>', 'output folder', DEFAULT_OUT)
  .action(async (opts) => {
    const outDir = outPath(opts.out);
    if (opts.profile === 'quick' && outDir === resolve(repoRoot(), DEFAULT_OUT)) {
      process.stderr.write('warning: writing quick-profile traces into content/traces; the site build will find them stale\n');
    }
    const t0 = performance.now();
    const r = await runPipeline({
      only: opts.only,
      profile: opts.profile,
      seeds: opts.seeds,
      force: opts.force,
      jobs: opts.jobs,
      shard: opts.shard,
      outDir,
    });
    const secs = ((performance.now() - t0) / 1000).toFixed(1);
    const ran = r.written.length + r.failures.length;
    if (ran === 0) {
      process.stdout.write(`${r.upToDate} runs up to date\n`);
      return;
    }
    process.stdout.write(`${r.written.length} runs written, ${r.upToDate} runs up to date, ${r.failures.length} failed (${secs} s) → ${opts.out}\n`);
    if (r.failures.length) {
      for (const f of r.failures) process.stderr.write(`FAILED ${f.message}\n`);
      process.exitCode = 1;
    }
  });

program
  .command('list')
  .description('list registered experiments with their run counts per profile')
  .action(() => {
    for (const exp of EXPERIMENTS) {
      const counts = PROFILES.map((p) => `${p}: ${planExperiment(exp, p).length} runs`).join(', ');
      const flag = exp.runByDefault === false ? ' (only with --only)' : '';
      process.stdout.write(`${exp.id}${flag}\n  ${exp.title}. ${exp.description}\n  ${counts}\n`);
    }
  });

program
  .command('merge')
  .description('merge shard outputs into one folder (refuses conflicting duplicates)')
  .argument('<dirs...>', 'shard output folders')
  .option('--out <dir>', 'output folder', DEFAULT_OUT)
  .action((dirs: string[], opts: { out: string }) => {
    const r = mergeTraceDirs(dirs.map(outPath), outPath(opts.out));
    process.stdout.write(`merged ${r.runs} runs (${r.duplicates} identical duplicates) → ${opts.out}\n`);
  });

// Options of the root command must not swallow subcommand options such as merge's --out.
program.enablePositionalOptions();

program.parseAsync(process.argv).catch((e: Error) => {
  process.stderr.write(`error: ${e.message}\n`);
  process.exitCode = 2;
});

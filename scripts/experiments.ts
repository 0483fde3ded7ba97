/**
 * CLI of the experiment pipeline:
 *   npm run experiments -- [--only id,…] [--profile paper|quick] [--seeds N] [--force] [--jobs N] [--shard i/N] [--reuse DIR] [--out DIR]
 *   npm run experiments -- status [--only id,…] [--profile NAME] [--out DIR] [--json]
 *   npm run experiments -- merge DIR… [--out DIR]
 *   npm run experiments -- list
 * Exit codes: 0 done; 1 a run failed (every other result is kept) or merge refused its inputs;
 * 2 nothing started: bad arguments, unknown experiment, an --out that is not writable, or
 * uncommitted code for content/traces; 130 interrupted (SIGINT/SIGTERM; finished runs are kept).
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { EXPERIMENTS } from '../src/experiments/registry';
import { planExperiment, parseShard } from '../src/experiments/plan';
import { PROFILES, type ProfileName } from '../src/experiments/types';
import { defaultProtectedDir, planSelection, runPipeline, samePath } from './pipeline/runPipeline';
import { MergeRefusal, mergeTraceDirs } from './pipeline/merge';
import { cacheState } from './pipeline/traceStore';
import { currentSourceHash } from '../src/node/traceFiles';
import { repoRoot } from './pipeline/provenance';

const DEFAULT_OUT = 'content/traces';
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
const EXIT_INTERRUPTED = 130;

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

/** "a,b" → ["a", "b"]; an empty list ("", ",") is refused rather than meaning "everything". */
function onlyArg(v: string): string[] {
  const ids = [
    ...new Set(
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  if (ids.length === 0)
    throw new InvalidArgumentError(
      'give at least one experiment id, e.g. --only uv-catapult (see `npm run experiments -- list`)',
    );
  return ids;
}

function dirListArg(v: string, prev: string[] = []): string[] {
  return [...prev, v];
}

const outPath = (out: string) => resolve(process.cwd(), out);

const program = new Command()
  .name('experiments')
  .description('Run the registered experiments and write versioned traces (cached by config and source hash).')
  // Throw instead of exiting, so every usage error leaves with EXIT_USAGE (see the end of this file).
  .exitOverride()
  // Options of the root command must not swallow subcommand options such as merge's --out.
  .enablePositionalOptions()
  .option('--only <ids>', 'comma-separated experiment ids (default: all that run by default)', onlyArg)
  .option('--profile <name>', 'paper (what the site shows) or quick (seconds, for tests)', profileArg, 'paper')
  .option('--seeds <n>', 'override the number of seeds per grid point', positiveIntArg('--seeds'))
  .option('--force', 'rerun even when the stored trace is up to date', false)
  .option('--jobs <n>', 'worker threads (default: one per core)', positiveIntArg('--jobs'), availableParallelism())
  .option(
    '--shard <i/N>',
    'run only shard i of N of the runs to do (1-based, deterministic round-robin over sorted run keys)',
    shardArg,
  )
  .option(
    '--reuse <dir>',
    'treat runs up to date in DIR as done (repeatable; CI shards pass content/traces)',
    dirListArg,
  )
  .option('--out <dir>', 'output folder', DEFAULT_OUT)
  .action(async (opts) => {
    const outDir = outPath(opts.out);
    if (opts.profile === 'quick' && samePath(outDir, defaultProtectedDir())) {
      process.stderr.write(
        'warning: writing quick-profile traces into content/traces; the site build will find them stale\n',
      );
    }
    const controller = new AbortController();
    const interrupt = (signal: NodeJS.Signals) => {
      process.stderr.write(
        `\n${signal}: stopping the runs in progress (finished traces are kept; ${signal} again to quit at once)\n`,
      );
      controller.abort();
      process.once(signal, () => process.exit(EXIT_INTERRUPTED));
    };
    process.once('SIGINT', interrupt);
    process.once('SIGTERM', interrupt);
    const t0 = performance.now();
    const r = await runPipeline({
      only: opts.only,
      profile: opts.profile,
      seeds: opts.seeds,
      force: opts.force,
      jobs: opts.jobs,
      shard: opts.shard,
      reuse: (opts.reuse ?? []).map(outPath),
      outDir,
      signal: controller.signal,
    });
    process.removeListener('SIGINT', interrupt);
    process.removeListener('SIGTERM', interrupt);
    const secs = ((performance.now() - t0) / 1000).toFixed(1);
    const ran = r.written.length + r.failures.length;
    const others = r.otherShards ? `, ${r.otherShards} runs left to other shards` : '';
    if (r.interrupted) {
      const { abandoned, notStarted } = r.interrupted;
      process.stderr.write(
        `interrupted after ${secs} s: ${r.written.length} runs written and kept → ${opts.out}; ` +
          `${abandoned.length} abandoned (${abandoned.join(', ') || 'none'}), ${notStarted} not started. ` +
          'Rerun the same command to do the rest (finished runs are up to date).\n',
      );
      for (const f of r.failures) process.stderr.write(`FAILED ${f.message}\n`);
      process.exitCode = EXIT_INTERRUPTED;
      return;
    }
    if (ran === 0) {
      process.stdout.write(`${r.upToDate} runs up to date${others}\n`);
      return;
    }
    process.stdout.write(
      `${r.written.length} runs written, ${r.upToDate} runs up to date, ${r.failures.length} failed${others} (${secs} s) → ${opts.out}\n`,
    );
    if (r.failures.length) {
      for (const f of r.failures) process.stderr.write(`FAILED ${f.message}\n`);
      process.exitCode = EXIT_FAILED;
    }
  });

program
  .command('status')
  .description('count up-to-date, stale, missing and corrupt traces per experiment (exit 0 either way)')
  .option('--only <ids>', 'comma-separated experiment ids', onlyArg)
  .option('--profile <name>', 'paper or quick', profileArg, 'paper')
  .option('--out <dir>', 'traces folder to inspect', DEFAULT_OUT)
  .option(
    '--json',
    'print one JSON object: {profile, dir, toRun, experiments: {id: {runs, fresh, stale, missing, corrupt}}}',
    false,
  )
  .action((opts: { only?: string[]; profile: ProfileName; out: string; json: boolean }) => {
    const dir = outPath(opts.out);
    const experiments: Record<
      string,
      { runs: number; fresh: number; stale: number; missing: number; corrupt: number }
    > = {};
    for (const run of planSelection({ only: opts.only, profile: opts.profile })) {
      const e = (experiments[run.experiment] ??= { runs: 0, fresh: 0, stale: 0, missing: 0, corrupt: 0 });
      e.runs++;
      e[cacheState(dir, run, currentSourceHash(run.experiment, repoRoot())).state]++;
    }
    const toRun = Object.values(experiments).reduce((s, e) => s + e.runs - e.fresh, 0);
    if (opts.json) {
      process.stdout.write(JSON.stringify({ profile: opts.profile, dir: opts.out, toRun, experiments }) + '\n');
      return;
    }
    for (const [id, e] of Object.entries(experiments)) {
      process.stdout.write(
        `${id.padEnd(22)} ${e.fresh}/${e.runs} up to date${e.stale ? `, ${e.stale} stale` : ''}${e.missing ? `, ${e.missing} missing` : ''}${e.corrupt ? `, ${e.corrupt} corrupt` : ''}\n`,
      );
    }
    process.stdout.write(`${toRun} runs to do in ${opts.out} (${opts.profile} profile)\n`);
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
  .description(
    'merge shard outputs into one folder (checks every trace; refuses stale, broken, orphaned or conflicting files)',
  )
  .argument('<dirs...>', 'shard output folders')
  .option('--out <dir>', 'output folder', DEFAULT_OUT)
  .action((dirs: string[], opts: { out: string }) => {
    const r = mergeTraceDirs(dirs.map(outPath), outPath(opts.out));
    process.stdout.write(
      `merged ${r.runs} runs (${r.duplicates} identical duplicates; ${r.unchanged} already up to date, ${r.replaced} replaced stale files) → ${opts.out}\n`,
    );
  });

program.parseAsync(process.argv).catch((e: Error) => {
  if (e instanceof CommanderError) {
    // Commander has printed its message; --help and --version are not errors.
    process.exitCode = e.exitCode === 0 ? 0 : EXIT_USAGE;
    return;
  }
  process.stderr.write(`error: ${e.message}\n`);
  process.exitCode = e instanceof MergeRefusal ? EXIT_FAILED : EXIT_USAGE;
});

/**
 * CLI of the experiment pipeline:
 *   npm run experiments -- [--only id,…] [--profile paper|quick] [--seeds N] [--force] [--jobs N] [--shard i/N] [--reuse DIR] [--out DIR]
 *   npm run experiments -- status [--only id,…] [--profile NAME] [--out DIR] [--json] [--check]
 *   npm run experiments -- merge DIR… [--out DIR]
 *   npm run experiments -- audit [--seed S] [--count N] [--budget seconds] [--only id,…] [--dir DIR]
 *   npm run experiments -- list
 * Exit codes: 0 done (status: whatever it finds); 1 a run failed (every other result is kept), merge
 * refused its inputs, `status --check` found runs to do, or `audit` found a difference;
 * 2 nothing started: bad arguments, unknown experiment, an --out that is not writable, or
 * uncommitted code for content/traces; 130 interrupted (SIGINT/SIGTERM; finished runs are kept).
 */
import { randomInt } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { EXPERIMENTS } from '../src/experiments/registry';
import { planExperiment, parseShard } from '../src/experiments/plan';
import { PROFILES, type ProfileName } from '../src/experiments/types';
import { defaultProtectedDir, runPipeline, samePath } from './pipeline/runPipeline';
import { MergeRefusal, mergeTraceDirs } from './pipeline/merge';
import { CHECKOUT_PROFILE } from '../src/node/traceFiles';
import { MAX_SHARDS, traceStatus } from './pipeline/status';
import { auditTraces } from './pipeline/audit';

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

function nonNegativeIntArg(name: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a whole number ≥ 0, got "${v}"`);
    return n;
  };
}

function positiveNumberArg(name: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number, got "${v}"`);
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

/** The flags that regenerate what `status` looked at (after `npm run experiments`). */
function regenerateFlags(opts: { only?: string[]; profile: ProfileName; out: string }): string {
  const flags = [
    opts.profile === 'paper' ? '' : ` --profile ${opts.profile}`,
    opts.out === DEFAULT_OUT ? '' : ` --out ${opts.out}`,
    opts.only ? ` --only ${opts.only.join(',')}` : '',
  ].join('');
  return flags ? ` --${flags}` : '';
}

/** content/traces holds the paper profile only (every reader refuses another profile there). */
function refuseOtherProfile(profile: ProfileName, dir: string) {
  if (profile !== CHECKOUT_PROFILE && samePath(dir, defaultProtectedDir()))
    throw new Error(
      `content/traces holds ${CHECKOUT_PROFILE}-profile traces only; give --profile ${profile} another folder with --out (e.g. --out /tmp/traces-${profile})`,
    );
}

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
    'run only shard i of N of the runs to do (1-based; deterministic, balanced by the wall seconds recorded in content/traces)',
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
    refuseOtherProfile(opts.profile, outDir);
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
  .description(
    'count up-to-date, stale, missing and corrupt traces per experiment (exit 0; with --check, exit 1 when any run is to do)',
  )
  .option('--only <ids>', 'comma-separated experiment ids', onlyArg)
  .option('--profile <name>', 'paper or quick', profileArg, 'paper')
  .option('--out <dir>', 'traces folder to inspect', DEFAULT_OUT)
  .option(
    '--json',
    'print one JSON object: {profile, dir, toRun, experiments: {id: {runs, fresh, stale, missing, corrupt}}, problems: [{run, state, reason}], shards: {count, list, longestShardSeconds, longestRunSeconds, targetSeconds, cores, fits}}',
    false,
  )
  .option(
    '--cores <n>',
    'cores of a regeneration shard, for the shard plan',
    positiveIntArg('--cores'),
    availableParallelism(),
  )
  .option('--check', 'exit 1 when any run is stale, missing or corrupt (default: exit 0 whatever is found)', false)
  .action(
    (opts: { only?: string[]; profile: ProfileName; out: string; json: boolean; check: boolean; cores: number }) => {
      const dir = outPath(opts.out);
      refuseOtherProfile(opts.profile, dir);
      const r = traceStatus({ only: opts.only, profile: opts.profile, dir: opts.out, absDir: dir, cores: opts.cores });
      if (opts.json) {
        process.stdout.write(JSON.stringify(r) + '\n');
      } else {
        for (const [id, e] of Object.entries(r.experiments)) {
          process.stdout.write(
            `${id.padEnd(22)} ${e.fresh}/${e.runs} up to date${e.stale ? `, ${e.stale} stale` : ''}${e.missing ? `, ${e.missing} missing` : ''}${e.corrupt ? `, ${e.corrupt} corrupt` : ''}\n`,
          );
        }
        for (const p of r.problems.filter((p) => p.state === 'corrupt')) process.stdout.write(`corrupt: ${p.reason}\n`);
        process.stdout.write(`${r.toRun} runs to do in ${opts.out} (${opts.profile} profile)\n`);
        if (r.toRun > 0) {
          const p = r.shards;
          process.stdout.write(
            `shard plan: ${p.count} shard${p.count === 1 ? '' : 's'} of ${p.cores} cores, the longest ≈ ${Math.round(p.longestShardSeconds)} s (target ${p.targetSeconds} s${p.fits ? '' : p.longestRunSeconds > p.targetSeconds ? `, not reachable: the longest run alone takes ${Math.round(p.longestRunSeconds)} s` : `, not reachable within ${MAX_SHARDS} shards`})\n`,
          );
        }
      }
      if (opts.check && r.toRun > 0) {
        process.stderr.write(
          `status --check: ${r.toRun} runs to do in ${opts.out}; regenerate them with \`npm run experiments${regenerateFlags(opts)}\`\n`,
        );
        process.exitCode = EXIT_FAILED;
      }
    },
  );

program
  .command('audit')
  .description(
    'rerun randomly chosen cheap paper runs into a temp folder and require byte-identical traces (provenance aside); exit 1 on any difference',
  )
  .option(
    '--seed <n>',
    'seed of the random choice (default: random; printed, so a failure can be replayed)',
    nonNegativeIntArg('--seed'),
  )
  .option('--count <n>', 'at most this many runs', positiveIntArg('--count'), 3)
  .option(
    '--budget <seconds>',
    "the chosen runs' recorded wall seconds add up to at most this",
    positiveNumberArg('--budget'),
    30,
  )
  .option('--only <ids>', 'choose only among these experiments', onlyArg)
  .option('--dir <dir>', 'committed traces to audit', DEFAULT_OUT)
  .option('--jobs <n>', 'worker threads', positiveIntArg('--jobs'), Math.min(2, availableParallelism()))
  .action(
    async (opts: { seed?: number; count: number; budget: number; only?: string[]; dir: string; jobs: number }) => {
      const seed = opts.seed ?? randomInt(0, 2 ** 31);
      const replay = `npm run experiments -- audit --seed ${seed} --count ${opts.count} --budget ${opts.budget}${opts.only ? ` --only ${opts.only.join(',')}` : ''}${opts.dir !== DEFAULT_OUT ? ` --dir ${opts.dir}` : ''}`;
      process.stdout.write(`audit seed ${seed} (replay: ${replay})\n`);
      const t0 = performance.now();
      const r = await auditTraces({
        seed,
        count: opts.count,
        budget: opts.budget,
        only: opts.only,
        dir: outPath(opts.dir),
        jobs: opts.jobs,
        log: (l) => process.stdout.write(`${l}\n`),
      });
      const secs = ((performance.now() - t0) / 1000).toFixed(1);
      if (r.diffs.length === 0) {
        process.stdout.write(`audit: ${r.chosen.length} runs reproduced byte for byte (${secs} s)\n`);
        return;
      }
      for (const d of r.diffs) process.stderr.write(`DIFFERS ${d.message}\n`);
      process.stderr.write(
        `audit: ${new Set(r.diffs.map((d) => d.run)).size} of ${r.chosen.length} runs do not reproduce their committed traces (${secs} s); reruns kept in ${r.rerunDir}. ` +
          `Replay with \`${replay}\`; if the committed trace was edited, regenerate it with \`npm run experiments -- --only <experiment> --force\`\n`,
      );
      process.exitCode = EXIT_FAILED;
    },
  );

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

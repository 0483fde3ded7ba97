/**
 * Progress reporting: one bar per running job (steps done/total and ETA) plus an overall bar on
 * a TTY; plain, greppable log lines otherwise (CI logs, test runs).
 */
import cliProgress from 'cli-progress';
import type { PlannedRun } from '../../src/experiments/plan';

export interface Reporter {
  log(line: string): void;
  start(run: PlannedRun): void;
  progress(run: PlannedRun, done: number, total: number): void;
  done(run: PlannedRun, wallSeconds: number): void;
  fail(run: PlannedRun, message: string): void;
  stop(): void;
}

const label = (run: PlannedRun) => `${run.experiment}/${run.runKey}`;

/** Bars via cli-progress; `total` is the number of runs to perform. */
export function ttyReporter(total: number, stream: NodeJS.WriteStream = process.stderr): Reporter {
  const multi = new cliProgress.MultiBar(
    {
      stream,
      clearOnComplete: false,
      hideCursor: true,
      format: '{name} |{bar}| {value}/{total} {unit} | ETA {eta_formatted}',
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  const overall = multi.create(total, 0, { name: 'all runs'.padEnd(32), unit: 'runs' });
  const bars = new Map<string, cliProgress.SingleBar>();
  return {
    log: (line) => multi.log(line + '\n'),
    start(run) {
      bars.set(label(run), multi.create(1, 0, { name: label(run).slice(0, 32).padEnd(32), unit: 'steps' }));
    },
    progress(run, done, totalSteps) {
      const bar = bars.get(label(run));
      if (!bar) return;
      if (bar.getTotal() !== totalSteps) bar.setTotal(totalSteps);
      bar.update(done);
    },
    done(run, wallSeconds) {
      const bar = bars.get(label(run));
      if (bar) multi.remove(bar);
      bars.delete(label(run));
      overall.increment();
      multi.log(`done ${label(run)} in ${wallSeconds.toFixed(2)} s\n`);
    },
    fail(run, message) {
      const bar = bars.get(label(run));
      if (bar) multi.remove(bar);
      bars.delete(label(run));
      overall.increment();
      multi.log(`FAILED ${message}\n`);
    },
    stop: () => multi.stop(),
  };
}

/** One line per event, progress at most every 10 s per run. */
export function plainReporter(
  total: number,
  write: (line: string) => void = (l) => process.stderr.write(l + '\n'),
): Reporter {
  let finished = 0;
  const lastLog = new Map<string, number>();
  return {
    log: write,
    start(run) {
      lastLog.set(label(run), Date.now());
      write(`start ${label(run)}`);
    },
    progress(run, done, totalSteps) {
      const now = Date.now();
      if (now - (lastLog.get(label(run)) ?? 0) < 10_000) return;
      lastLog.set(label(run), now);
      write(`  ${label(run)}: ${done}/${totalSteps} steps`);
    },
    done(run, wallSeconds) {
      finished++;
      write(`[${finished}/${total}] done ${label(run)} in ${wallSeconds.toFixed(2)} s`);
    },
    fail(_run, message) {
      finished++;
      write(`[${finished}/${total}] FAILED ${message}`);
    },
    stop() {},
  };
}

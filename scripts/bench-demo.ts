/**
 * Browser benchmark of a demo island on the built site (Chapter 1's catapult demo, with --demo sgd
 * Chapter 2's "Watch SGD spike", with --demo agop Chapter 3's "Watch the AGOP learn"): opens the page
 * in Debian Chromium, runs the demo for a fixed wall time and reports steps/s (worker-side and
 * end-to-end), for the AGOP demo also AGOP refreshes per second (computed in the worker) and heatmap
 * redraws per second (drawn on the page), the longest main-thread task seen by a
 * PerformanceObserver('longtask'), and the JavaScript the page and the run downloaded (bytes per
 * file and in all). Steps/s is capped by the demo's pace (maxStepsPerSecond of its worker spec) on
 * machines faster than it.
 *
 *   npm run build:site && npx tsx scripts/bench-demo.ts [--demo catapult|sgd|agop] [--page /path/] [--seconds 10] [--query "m=1024"] [--port 4321]
 *
 * Starts `astro preview` on 127.0.0.1:<port> (default 4321) unless --base points at a server that is already up.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { Command } from 'commander';
import { chromium } from '@playwright/test';

const program = new Command()
  .option('--demo <name>', 'which island: catapult (Chapter 1), sgd (Chapter 2) or agop (Chapter 3)', 'catapult')
  .option('--page <path>', 'page that hosts the demo (default: DEMO_PAGE, else the first built page in dist/ with it)')
  .option('--base <url>', 'site origin; when omitted, astro preview is started on 127.0.0.1:<port>')
  .option('--port <n>', 'port of the astro preview this script starts (when --base is omitted)', '4321')
  .option('--seconds <s>', 'wall time to run the demo', '10')
  .option('--query <q>', 'extra demo URL state, e.g. "m=2048&eta=0.5"', '')
  .option('--chromium <path>', 'Chromium executable', '/usr/bin/chromium')
  .parse();
const opts = program.opts<{
  demo: string;
  page?: string;
  base?: string;
  port: string;
  seconds: string;
  query: string;
  chromium: string;
}>();

/** Each island's marker attribute and the window handle its client exposes. */
const DEMOS = {
  catapult: { marker: 'data-catapult-demo', handle: '__catapultDemo' },
  sgd: { marker: 'data-sgd-spike-demo', handle: '__sgdSpikeDemo' },
  agop: { marker: 'data-agop-demo', handle: '__agopDemo' },
} as const;
if (!(opts.demo in DEMOS))
  throw new Error(`bench-demo: --demo must be one of ${Object.keys(DEMOS).join(', ')}, got ${opts.demo}`);
const { marker, handle } = DEMOS[opts.demo as keyof typeof DEMOS];

/** What the benchmark reads from either island's window handle. */
type Handle = {
  run(): {
    backend: string | null;
    state: Record<string, unknown>;
    regime?: string;
    series: { steps: number[]; agopStep?: number[] };
  };
  spikes?(): { diverged: boolean }[];
  /** The AGOP demo: model AGOP blocks drawn into its heatmap so far. */
  heatmapDraws?(): number;
};

/** Same lookup as the demos' e2e specs (tests/e2e/*Demo.spec.ts): the first built page whose HTML holds the island. */
function findDemoPage(dir = 'dist'): string {
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.html') ? [join(d, e.name)] : [],
    );
  const hit = walk(dir)
    .sort()
    .find((f) => readFileSync(f, 'utf8').includes(marker));
  if (!hit)
    throw new Error(
      `bench-demo: no page in ${dir}/ contains the ${opts.demo} demo; run "npm run build:site" or pass --page`,
    );
  return ('/' + relative(dir, hit).split(sep).join('/')).replace(/index\.html$/, '');
}
const pagePath = opts.page ?? process.env.DEMO_PAGE ?? findDemoPage();

const seconds = Number(opts.seconds);
if (!(seconds > 0)) throw new Error(`bench-demo: --seconds must be a positive number, got ${opts.seconds}`);

async function waitForServer(url: string, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    try {
      const r = await fetch(url);
      if (r.ok || r.status === 404) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(
    `bench-demo: no server at ${url} after ${timeoutMs} ms; run "npm run build:site" first or pass --base`,
  );
}

const port = Number(opts.port);
if (!Number.isInteger(port) || port <= 0 || port > 65535)
  throw new Error(`bench-demo: --port must be a port number, got ${opts.port}`);
let server: ChildProcess | null = null;
const base = opts.base ?? `http://127.0.0.1:${port}`;
if (!opts.base) {
  server = spawn('npx', ['astro', 'preview', '--host', '127.0.0.1', '--port', String(port)], {
    stdio: 'ignore',
    detached: true,
  });
}

try {
  await waitForServer(base, 30_000);
  const browser = await chromium.launch({ executablePath: opts.chromium });
  const context = await browser.newContext();
  const page = await context.newPage();
  // Every JavaScript file the page and the demo's worker request (the worker's requests are the context's).
  const jsUrls = new Set<string>();
  context.on('request', (r) => {
    if (new URL(r.url()).pathname.endsWith('.js')) jsUrls.add(r.url());
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  // maxSteps at its upper bound so the run lasts the whole measurement.
  const query = ['steps=20000', opts.query].filter(Boolean).join('&');
  await page.goto(`${base}${pagePath}?${query}`);
  const demo = page.locator(`[${marker}]`).first();
  await demo.waitFor();
  // Long tasks during page load are not the demo's; count from the moment Run is pressed.
  await page.evaluate(() => ((window as unknown as { __longTasks: number[] }).__longTasks.length = 0));
  await demo.getByRole('button', { name: 'Run', exact: true }).click();
  const stepsSoFar = () =>
    page.evaluate(
      (h) => (window as unknown as Record<string, Handle | undefined>)[h]?.run().series.steps.length ?? 0,
      handle,
    );
  /** AGOP refreshes recorded and heatmap redraws so far (null for the demos without them). */
  const agopSoFar = () =>
    page.evaluate((h) => {
      const demoHandle = (window as unknown as Record<string, Handle | undefined>)[h];
      const refreshes = demoHandle?.run().series.agopStep?.length;
      return refreshes === undefined ? null : { refreshes, draws: demoHandle?.heatmapDraws?.() ?? 0 };
    }, handle);
  await page.waitForFunction(
    (h) => ((window as unknown as Record<string, Handle | undefined>)[h]?.run().series.steps.length ?? 0) > 0,
    handle,
    { timeout: 60_000 },
  );
  const t0 = Date.now();
  const s0 = await stepsSoFar();
  const a0 = await agopSoFar();
  await page.waitForTimeout(seconds * 1000);
  const s1 = await stepsSoFar();
  const a1 = await agopSoFar();
  const elapsed = (Date.now() - t0) / 1000;
  await demo.getByRole('button', { name: 'Pause', exact: true }).click();
  const result = await page.evaluate(
    ([h, m]) => {
      const demoHandle = (window as unknown as Record<string, Handle>)[h];
      const run = demoHandle.run();
      const tasks = (window as unknown as { __longTasks: number[] }).__longTasks;
      return {
        backend: run.backend,
        state: run.state,
        regime: run.regime ?? null,
        spikes: demoHandle.spikes ? demoHandle.spikes().filter((e) => !e.diverged).length : null,
        workerSpeed: document.querySelector(`[${m}] .ro-speed`)?.textContent ?? '',
        longTasks: tasks.length,
        longestTaskMs: tasks.length ? Math.max(...tasks) : 0,
      };
    },
    [handle, marker] as const,
  );
  await browser.close();
  // Sizes as served (uncompressed), fetched again: the browser does not report a worker's response sizes.
  const jsFiles: Record<string, number> = {};
  for (const url of jsUrls) jsFiles[new URL(url).pathname] = (await (await fetch(url)).arrayBuffer()).byteLength;
  const stepsPerSecond = (s1 - s0) / elapsed;
  console.log(
    JSON.stringify(
      {
        page: pagePath,
        backend: result.backend,
        demo: opts.demo,
        settings: result.state,
        seconds: Number(elapsed.toFixed(2)),
        steps: s1 - s0,
        stepsPerSecond: Number(stepsPerSecond.toFixed(1)),
        ...(a0 && a1
          ? {
              agopRefreshesPerSecond: Number(((a1.refreshes - a0.refreshes) / elapsed).toFixed(1)),
              heatmapRedrawsPerSecond: Number(((a1.draws - a0.draws) / elapsed).toFixed(1)),
            }
          : {}),
        workerReadout: result.workerSpeed,
        regime: result.regime,
        spikes: result.spikes,
        longTasksOver50ms: result.longTasks,
        longestMainThreadTaskMs: result.longestTaskMs,
        jsBytes: Object.values(jsFiles).reduce((a, b) => a + b, 0),
        jsFiles,
      },
      null,
      2,
    ),
  );
} finally {
  if (server?.pid) process.kill(-server.pid);
}

/**
 * Browser tests against the built site (run `npm run build:site` first; `npm test` does), served by
 * `astro preview` on 127.0.0.1, in Debian's Chromium at /usr/bin/chromium (never a downloaded browser).
 */
import { defineConfig } from '@playwright/test';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// E2E_PORT lets two checkouts test side by side on one machine.
const PORT = Number(process.env.E2E_PORT ?? 4321);

export default defineConfig({
  testDir: './tests/e2e',
  workers: 2,
  timeout: 120_000,
  // Assertions wait for conditions that surely come (a worker's next steps, a redraw); on a loaded
  // 2-core machine those take seconds, so give every auto-waiting assertion and poll 30 s, not 5.
  expect: { timeout: 30_000 },
  reporter: [['list']],
  fullyParallel: false,
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: `npx astro preview --host 127.0.0.1 --port ${PORT}`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});

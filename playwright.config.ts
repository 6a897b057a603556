import { defineConfig, devices } from '@playwright/test';

/**
 * Browser tests of the built admin UI, served by the API under /admin.
 * `scripts/e2e-server.mjs` starts the built API on E2E_PORT (default 3100; `npm test` picks a free one) against a
 * test database;
 * set E2E_BASE_URL to point at a server that is already running elsewhere.
 */
const chromium = {
  executablePath: process.env.CHROME_BIN ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

const port = process.env.E2E_PORT ?? '3100';

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test/output/playwright',
  reporter: [['list'], ['json', { outputFile: 'test/output/playwright-results.json' }]],
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  use: {
    baseURL: process.env.E2E_BASE_URL ?? `http://127.0.0.1:${port}`,
    launchOptions: chromium,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      // Debian's Chromium, not a Playwright download (`playwright install` cannot download here).
      use: { ...devices['Desktop Chrome'], channel: undefined, launchOptions: chromium },
    },
  ],
  webServer: {
    command: 'node scripts/e2e-server.mjs',
    url: `http://127.0.0.1:${port}/health`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
    stdout: 'pipe',
    // SIGTERM, not Playwright's default SIGKILL: e2e-server.mjs stops the API and drops its database on exit.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
  },
});

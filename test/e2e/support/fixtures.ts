import { test as base, expect } from '@playwright/test';

import { E2EServer, type E2EServerOptions } from './e2e-server';

/**
 * Errors the page reports: uncaught exceptions, and console errors (Content-Security-Policy violations and failed
 * loads surface only there). A journey fails on any it did not `allow`.
 */
export class PageErrors {
  private readonly seen: string[] = [];
  private readonly allowed: RegExp[] = [];

  record(message: string): void {
    this.seen.push(message);
  }

  /** Tolerate errors matching `pattern` (e.g. failed requests while the journey's server is down on purpose). */
  allow(pattern: RegExp): void {
    this.allowed.push(pattern);
  }

  unexpected(): string[] {
    return this.seen.filter((message) => !this.allowed.some((pattern) => pattern.test(message)));
  }
}

interface JourneyFixtures {
  pageErrors: PageErrors;
}

interface JourneyWorkerFixtures {
  /** `test.use({ serverOptions })`: the file's tests run against their own server with these settings. */
  serverOptions: E2EServerOptions | null;
  /** That server (started once for the file's tests, stopped after them), or null for Playwright's own. */
  server: E2EServer | null;
}

export const test = base.extend<JourneyFixtures, JourneyWorkerFixtures>({
  serverOptions: [null, { scope: 'worker', option: true }],
  server: [
    async ({ serverOptions }, use) => {
      if (!serverOptions) {
        await use(null);
        return;
      }
      const server = new E2EServer(serverOptions);
      await server.start();
      await use(server);
      await server.stop();
    },
    { scope: 'worker', timeout: 90_000 },
  ],
  baseURL: async ({ baseURL, server }, use) => {
    await use(server ? server.url : baseURL);
  },
  pageErrors: [
    async ({ page }, use) => {
      const errors = new PageErrors();
      page.on('pageerror', (error) => errors.record(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.record(message.text());
      });
      await use(errors);
      expect(errors.unexpected(), 'errors in the page').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

// Jest configuration of the benchmark suite only (`npm run bench`). The root jest.config.js never matches
// bench/, so `npm test` does not run these: they are measurements, not timed tests.
const root = require('../jest.config.js');

const integration = root.projects.find((p) => p.displayName === 'integration');

/** @type {import('jest').Config} */
module.exports = {
  rootDir: '..',
  globalSetup: '<rootDir>/bench/global-setup.ts',
  transform: integration.transform,
  transformIgnorePatterns: integration.transformIgnorePatterns,
  moduleFileExtensions: integration.moduleFileExtensions,
  testEnvironment: 'node',
  setupFiles: ['<rootDir>/test/support/setup-env.ts'],
  testMatch: ['<rootDir>/bench/**/*.bench.ts'],
  testTimeout: 600_000,
  verbose: true,
};

import { cpSync, existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import testGlobalSetup from '../test/support/global-setup';

const ROOT = join(__dirname, '..');
/** Where the benchmark runs the built server from (under node_modules: ignored by git, lint and format). */
export const BENCH_BUILD_DIR = join(ROOT, 'node_modules', '.cache', 'courseloom-bench', 'server');
export const BENCH_BUILD_ENV = 'COURSELOOM_BENCH_BUILD';

/**
 * The test suites' global setup (PostgreSQL, Redis, the build, the migrated template database), then a private
 * copy of the built server: other runs in the same tree may rebuild dist/ while the benchmark's processes start.
 */
export default async function benchGlobalSetup(): Promise<void> {
  await testGlobalSetup();
  const dist = join(ROOT, 'dist', 'server');
  const entries = ['server/src/main.js', 'server/src/worker.js'].map((e) => join(dist, e));
  for (let attempt = 0; ; attempt++) {
    try {
      if (!entries.every((e) => existsSync(e))) throw new Error('dist/server is incomplete');
      const before = statSync(entries[0]).mtimeMs;
      rmSync(BENCH_BUILD_DIR, { recursive: true, force: true });
      cpSync(dist, BENCH_BUILD_DIR, { recursive: true });
      if (statSync(entries[0]).mtimeMs !== before) throw new Error('dist/server changed while copying');
      break;
    } catch (err) {
      if (attempt >= 120) throw err;
      await new Promise((r) => setTimeout(r, 1000)); // another run is rebuilding dist/: wait for it
    }
  }
  process.env[BENCH_BUILD_ENV] = BENCH_BUILD_DIR;
}

// `npm test`: every suite — server unit + integration + security + faults (Jest, real PostgreSQL and Redis), admin UI unit
// tests (Vitest via `ng test`) and the browser tests (Playwright in Debian's Chromium against the real backend).
// Prints each suite's counts and one closing line "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';

const OUT = 'test/output';
mkdirSync(OUT, { recursive: true });

const only = process.argv.slice(2); // e.g. `npm test -- server ui`
const suites = [
  {
    name: 'server (jest: unit, integration, security, faults)',
    key: 'server',
    cmd: ['npx', ['jest', '--json', `--outputFile=${OUT}/jest-results.json`]],
    report: `${OUT}/jest-results.json`,
    count: (r) => ({
      passed: r.numPassedTests,
      failed: r.numFailedTests + r.numRuntimeErrorTestSuites,
      skipped: r.numPendingTests + r.numTodoTests,
    }),
  },
  {
    name: 'admin UI unit (ng test: vitest)',
    key: 'ui',
    cmd: [
      'npx',
      [
        'ng',
        'test',
        '--watch=false',
        '--reporters=json',
        '--reporters=default',
        `--output-file=${OUT}/ui-unit-results.json`,
      ],
    ],
    report: `${OUT}/ui-unit-results.json`,
    count: (r) => ({
      passed: r.numPassedTests,
      failed: r.numFailedTests,
      skipped: r.numPendingTests + (r.numTodoTests ?? 0),
    }),
  },
  {
    name: 'browser (playwright: chromium)',
    key: 'e2e',
    cmd: ['npx', ['playwright', 'test']],
    report: `${OUT}/playwright-results.json`,
    count: (r) => ({
      passed: r.stats.expected + r.stats.flaky,
      failed: r.stats.unexpected,
      skipped: r.stats.skipped,
    }),
  },
].filter((s) => only.length === 0 || only.includes(s.key));

/** A free local port for the browser tests' server, so a developer's server on 3100 never collides. */
const freePort = () =>
  new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
const e2ePort = process.env.E2E_PORT ?? String(await freePort());

const build = spawnSync('node', ['scripts/ensure-built.mjs', 'server', 'ui'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const rows = [];
for (const suite of suites) {
  rmSync(suite.report, { force: true });
  const started = Date.now();
  console.log(`\n=== ${suite.name} ===`);
  const [cmd, args] = suite.cmd;
  const run = spawnSync(cmd, args, {
    stdio: 'inherit',
    env: { ...process.env, NG_CLI_ANALYTICS: 'false', E2E_PORT: e2ePort },
  });
  let counts = { passed: 0, failed: 0, skipped: 0 };
  if (existsSync(suite.report)) counts = suite.count(JSON.parse(readFileSync(suite.report, 'utf8')));
  // A runner that crashed before reporting, or exited non-zero with no failed test, still fails the run.
  const crashed = run.status !== 0 && counts.failed === 0;
  rows.push({ ...suite, ...counts, crashed, exit: run.status, seconds: (Date.now() - started) / 1000 });
}

const total = rows.reduce(
  (t, r) => ({
    passed: t.passed + r.passed,
    failed: t.failed + r.failed + (r.crashed ? 1 : 0),
    skipped: t.skipped + r.skipped,
  }),
  { passed: 0, failed: 0, skipped: 0 },
);
console.log('\n=== summary ===');
for (const r of rows) {
  const note = r.crashed ? `  (exited ${r.exit} without a failed test: counted as 1 failure)` : '';
  console.log(
    `${r.name.padEnd(44)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed ${String(r.skipped).padStart(3)} skipped  ${r.seconds.toFixed(0)} s${note}`,
  );
}
console.log(
  `${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`,
);
process.exit(total.failed > 0 || total.passed === 0 ? 1 : 0);

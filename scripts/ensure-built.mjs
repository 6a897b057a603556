// Builds the server and/or the admin UI when their sources are newer than the last build.
// Usage: node scripts/ensure-built.mjs [server] [ui]   (both when no argument is given)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const TARGETS = {
  server: {
    sources: [
      'server/src',
      'migrations',
      'contracts',
      'scripts/build-contract-schemas.mjs',
      'tsconfig.json',
      'tsconfig.server.json',
      'nest-cli.json',
      'package-lock.json',
    ],
    output: 'dist/server/server/src/main.js',
    stamp: 'dist/.server-built',
    command: ['npm', ['run', '--silent', 'build:server']],
  },
  ui: {
    sources: ['admin-ui', 'angular.json', 'tsconfig.json', 'package-lock.json'],
    output: 'dist/admin-ui/browser/index.html',
    stamp: 'dist/.ui-built',
    command: ['npx', ['ng', 'build']],
  },
};

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

export function ensureBuilt(name) {
  const t = TARGETS[name];
  const stampTime = existsSync(t.stamp) && existsSync(t.output) ? statSync(t.stamp).mtimeMs : 0;
  const sourceTime = Math.max(...t.sources.map(newestMtime));
  if (stampTime >= sourceTime) return;
  console.log(`Building ${name}…`);
  const started = Date.now();
  const [cmd, args] = t.command;
  const result = spawnSync(cmd, args, {
    stdio: 'inherit',
    env: { ...process.env, NG_CLI_ANALYTICS: 'false' },
  });
  if (result.status !== 0) {
    console.error(`Building ${name} failed.`);
    process.exit(result.status ?? 1);
  }
  mkdirSync('dist', { recursive: true });
  writeFileSync(t.stamp, new Date().toISOString());
  console.log(`Built ${name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const names = process.argv.slice(2);
  for (const name of names.length ? names : ['server', 'ui']) ensureBuilt(name);
}

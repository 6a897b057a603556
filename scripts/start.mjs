// `npm start` (api) and `npm run worker`: build what is not built, create the database if missing, run.
import { spawn, spawnSync } from 'node:child_process';
import { ensureBuilt } from './ensure-built.mjs';

const role = process.argv[2] === 'worker' ? 'worker' : 'api';
ensureBuilt('server');
if (role === 'api') {
  ensureBuilt('ui');
  const created = spawnSync(process.execPath, ['dist/server/server/src/cli/db-create.js'], {
    stdio: 'inherit',
  });
  if (created.status !== 0) process.exit(created.status ?? 1);
}

const entry = role === 'api' ? 'dist/server/server/src/main.js' : 'dist/server/server/src/worker.js';
const child = spawn(process.execPath, ['--enable-source-maps', entry], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

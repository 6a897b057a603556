// Container healthchecks (docker/compose.yml): `node docker/healthcheck.cjs api|worker`; exit 0 healthy, 1 not.
// api: GET /health (PostgreSQL and Redis answer; the API only listens after migrations ran).
// worker: the worker process has no HTTP, so check that its PostgreSQL and Redis answer with its own settings.
'use strict';
const role = process.argv[2];
const fail = (err) => {
  process.stderr.write(`unhealthy: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
};
setTimeout(() => fail(new Error('no answer within 5 s')), 5000).unref();

if (role === 'api') {
  fetch(`http://127.0.0.1:${process.env.PORT || 3000}/health`)
    .then((res) => (res.ok ? process.exit(0) : fail(new Error(`/health answered ${res.status}`))))
    .catch(fail);
} else if (role === 'worker') {
  const { Client } = require('pg');
  const { Redis } = require('ioredis');
  const pg = new Client({ connectionString: process.env.DATABASE_URL });
  const redis = new Redis(process.env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  Promise.all([pg.connect().then(() => pg.query('SELECT 1')), redis.connect().then(() => redis.ping())])
    .then(() => process.exit(0))
    .catch(fail);
} else {
  fail(new Error('usage: node docker/healthcheck.cjs api|worker'));
}

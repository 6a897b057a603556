// Container healthchecks (docker/Dockerfile, docker/compose.yml): `node docker/healthcheck.cjs api|worker [ready|live]`;
// exit 0 healthy, 1 not. Both ask the process's own probes (docs/queue.md, "Metrics and health"):
// api: GET /health/<ready|live> on PORT; worker: the same on METRICS_PORT (its only HTTP).
// ready (the default): PostgreSQL, Redis and migrations; live: the process serves.
'use strict';
const [role, probe = 'ready'] = process.argv.slice(2);
const fail = (err) => {
  process.stderr.write(`unhealthy: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
};
setTimeout(() => fail(new Error('no answer within 5 s')), 5000).unref();

const port =
  role === 'api' ? process.env.PORT || 3000 : role === 'worker' ? process.env.METRICS_PORT : undefined;
if (!['api', 'worker'].includes(role) || !['ready', 'live'].includes(probe)) {
  fail(new Error('usage: node docker/healthcheck.cjs api|worker [ready|live]'));
} else if (!port) {
  fail(new Error('the worker serves its probes on METRICS_PORT: set it'));
} else {
  fetch(`http://127.0.0.1:${port}/health/${probe}`)
    .then((res) => (res.ok ? process.exit(0) : fail(new Error(`/health/${probe} answered ${res.status}`))))
    .catch(fail);
}

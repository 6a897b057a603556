import { Agent, request } from 'node:http';

export interface PollerResult {
  latencies: number[];
  errors: number;
  seconds: number;
}

/**
 * The dashboard's real load: `count` pollers, each on its own keep-alive connection, each asking once every
 * `intervalMs` from its own random moment (browsers are not synchronized), for `durationMs`. Latency is measured
 * per request, from send to the last byte.
 */
export async function runPollers(
  url: string,
  headers: Record<string, string>,
  { count = 100, intervalMs = 3000, durationMs = 15_000 } = {},
): Promise<PollerResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: count });
  const latencies: number[] = [];
  let errors = 0;
  const started = Date.now();
  const ask = (): Promise<void> =>
    new Promise((resolve) => {
      const t0 = performance.now();
      const req = request(url, { agent, headers }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) latencies.push(performance.now() - t0);
          else errors++;
          resolve();
        });
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end();
    });
  const poller = async (): Promise<void> => {
    await new Promise((r) => setTimeout(r, Math.random() * intervalMs));
    while (Date.now() - started < durationMs) {
      const next = Date.now() + intervalMs;
      await ask();
      await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
    }
  };
  await Promise.all(Array.from({ length: count }, poller));
  agent.destroy();
  return { latencies, errors, seconds: (Date.now() - started) / 1000 };
}

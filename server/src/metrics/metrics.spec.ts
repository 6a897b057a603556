import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DelayedError, UnrecoverableError } from 'bullmq';
import { metricsAuthorized, registry, timeStep } from './metrics';

async function stepCount(kind: string, outcome: string): Promise<number> {
  const metric = await registry.getSingleMetric('courseloom_step_duration_seconds')!.get();
  return metric.values
    .filter(
      (v) =>
        (v as { metricName?: string }).metricName?.endsWith('_count') &&
        v.labels.kind === kind &&
        v.labels.outcome === outcome,
    )
    .reduce((n, v) => n + v.value, 0);
}

describe('metrics', () => {
  describe('metricsAuthorized', () => {
    it('lets anyone read when no METRICS_TOKEN is set', () => {
      expect(metricsAuthorized(undefined, undefined)).toBe(true);
    });

    it('with a token, takes only "Bearer <token>"', () => {
      const token = 'a-long-metrics-token';
      expect(metricsAuthorized(`Bearer ${token}`, token)).toBe(true);
      expect(metricsAuthorized(`bearer ${token}`, token)).toBe(true);
      expect(metricsAuthorized(undefined, token)).toBe(false);
      expect(metricsAuthorized(token, token)).toBe(false);
      expect(metricsAuthorized(`Bearer ${token}x`, token)).toBe(false);
      expect(metricsAuthorized('Bearer ', token)).toBe(false);
    });
  });

  describe('timeStep', () => {
    it.each([
      ['written', async () => 'written', 'written'],
      ['skipped', async () => 'skipped', 'skipped'],
      ['requeued', async () => Promise.reject(new DelayedError()), 'requeued'],
      ['cancelled', async () => Promise.reject(new UnrecoverableError('The job was cancelled')), 'cancelled'],
      ['failed', async () => Promise.reject(new UnrecoverableError('model refused')), 'failed'],
      ['retried', async () => Promise.reject(new Error('500 from the model')), 'retried'],
    ])('labels a step that ends %s', async (_, run, outcome) => {
      const kind = `spec_${outcome}`;
      await timeStep(kind, run).catch(() => undefined);
      await expect(stepCount(kind, outcome)).resolves.toBe(1);
    });

    it('passes the result and the error through unchanged', async () => {
      await expect(timeStep('spec_pass', async () => 'written')).resolves.toBe('written');
      const err = new Error('boom');
      await expect(timeStep('spec_pass', () => Promise.reject(err))).rejects.toBe(err);
    });
  });
});

describe('the Grafana dashboard (docker/grafana)', () => {
  it('queries only metrics this registry defines', () => {
    const path = join(__dirname, '..', '..', '..', 'docker', 'grafana', 'courseloom-dashboard.json');
    const text = readFileSync(path, 'utf8');
    const used = new Set(
      [...text.matchAll(/\b(courseloom_[a-z0-9_]+|bullmq_[a-z_]+|webhook_[a-z_]+)\b/g)].map((m) =>
        // a histogram's series (_bucket, _count, _sum) belong to its family; bullmq_job_count is a family itself
        registry.getSingleMetric(m[1]) ? m[1] : m[1].replace(/_(bucket|count|sum)$/, ''),
      ),
    );
    expect(used.size).toBeGreaterThan(10);
    expect([...used].filter((name) => !registry.getSingleMetric(name))).toEqual([]);
  });
});

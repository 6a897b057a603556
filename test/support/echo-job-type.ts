import { INestApplication, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { info, success } from '../../server/src/jobs/engine/job-log';
import { JobQueue } from '../../server/src/jobs/engine/job-queue';
import { JobRow, JobStore } from '../../server/src/jobs/engine/job-store';
import {
  JobTypeDefinition,
  PhaseDefinition,
  RegisterJobType,
  StepContext,
} from '../../server/src/jobs/engine/job-type';
import type { StepItem } from '../../server/src/jobs/engine/step-store';

/** The worked example of docs/extending.md: a test-only job type that runs through the real engine. */
export interface EchoParams {
  /** The items to echo (uuids, in order). */
  items: string[];
  /** Item index (1-based) whose step always fails in run 0 (a retry of the job then succeeds). */
  fail_item?: number;
  /** Item index whose step fails its first `flaky_times` attempts, then succeeds. */
  flaky_item?: number;
  flaky_times?: number;
  /** How long each step works (aborted by a cancel). */
  slow_ms?: number;
}

const params = (job: JobRow): EchoParams => job.params as unknown as EchoParams;
/** The step row's item: its title and order. */
const itemOf = (id: string, i: number): StepItem => ({
  item_id: id,
  item_title: `item ${i + 1}`,
  parent_item_id: null,
  project_position: i,
  lesson_position: null,
});

@RegisterJobType()
@Injectable()
export class EchoJobType implements JobTypeDefinition, OnModuleInit {
  readonly name = 'echo';
  /** Steps started and running now, and the most at once (what the tests look at). */
  readonly started: string[] = [];
  private running = 0;
  peak = 0;

  constructor(private readonly db: DataSource) {}

  async onModuleInit(): Promise<void> {
    // A real job type's table comes from a migration; this one exists only in the test databases.
    await this.db.query(`CREATE TABLE IF NOT EXISTS echo_results (job_id uuid NOT NULL, item_id uuid NOT NULL,
      output text NOT NULL, PRIMARY KEY (job_id, item_id))`);
  }

  private async written(job: JobRow, q: Pick<EntityManager, 'query'> = this.db): Promise<Set<string>> {
    const rows: { item_id: string }[] = await q.query(`SELECT item_id FROM echo_results WHERE job_id = $1`, [
      job.id,
    ]);
    return new Set(rows.map((r) => r.item_id));
  }

  readonly phases: PhaseDefinition<null, string>[] = [
    {
      kind: 'echo',
      status: 'generating_lessons',
      step: 'lessons',
      findMissing: async (job) => {
        const done = await this.written(job);
        return params(job)
          .items.map(itemOf)
          .filter((item) => !done.has(item.item_id));
      },
      load: async (job, itemId) => {
        const i = params(job).items.indexOf(itemId);
        if (i < 0) return null;
        return { item: itemOf(itemId, i), done: (await this.written(job)).has(itemId), input: null };
      },
      runStep: async (ctx: StepContext<null>) => {
        this.started.push(ctx.item_id);
        this.peak = Math.max(this.peak, ++this.running);
        try {
          const p = params(ctx.job);
          const index = p.items.indexOf(ctx.item_id) + 1;
          if (p.slow_ms) await abortableWait(p.slow_ms, ctx.signal);
          if (index === p.fail_item && ctx.job.retry_count === 0)
            throw new Error(`item ${index} cannot be echoed`);
          if (index === p.flaky_item && ctx.attempt <= (p.flaky_times ?? 0))
            throw new Error(`item ${index} flaked`);
          return { value: `echo of ${ctx.work.item.item_title}`, model: 'none', duration_ms: p.slow_ms ?? 0 };
        } finally {
          this.running--;
        }
      },
      writeResult: async (m, ctx, result) => {
        const rows: unknown[] = await m.query(
          `INSERT INTO echo_results (job_id, item_id, output) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1`,
          [ctx.job.id, ctx.item_id, result.value],
        );
        return rows.length === 1 ? 'written' : 'skipped';
      },
      messages: {
        started: (work) => info(`Echoing ${work.item.item_title}`),
        done: (work) => success(`Echoed ${work.item.item_title}`),
        what: (t) => `echo of "${t}"`,
        outOfScope: (itemId) => `the item ${itemId} is not one of this job's items`,
      },
    },
  ];

  async start(job: JobRow) {
    const items = params(job).items.length;
    return {
      logs: [info(`Echo job: ${items} items`)],
      items_total: items,
      items_completed: (await this.written(job)).size,
    };
  }

  async finalize(m: EntityManager, job: JobRow) {
    return [success(`Echoed ${(await this.written(job, m)).size} items`)];
  }
}

function abortableWait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });
}

/** Add it to a test app: `startTestApp({ imports: [EchoJobModule] })`. */
@Module({ providers: [EchoJobType] })
export class EchoJobModule {}

/** The producer's side: the job row (type and params) in one transaction, then its queue entry. */
export async function queueEcho(
  app: INestApplication,
  owner: { id: string; organization_id: string },
  courseId: string,
  p: EchoParams,
): Promise<string> {
  const row = await app.get(DataSource).transaction((m) =>
    app.get(JobStore).insert(m, {
      course_id: courseId,
      user_id: owner.id,
      organization_id: owner.organization_id,
      auto_publish: false,
      job_type: 'echo',
      params: { ...p },
    }),
  );
  await app.get(JobQueue).addJob('echo', { job_id: row.id, retry: 0 });
  return row.id;
}

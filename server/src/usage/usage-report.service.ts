import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { UsageReport, UsageSums } from '../../../contracts/api';
import { UsersService } from '../accounts/users.service';

type Dimension = 'total' | 'model' | 'user' | 'job_type' | 'day';

interface SumRow {
  dim: Dimension;
  model: string | null;
  user_id: string | null;
  job_type: string | null;
  day: string | null;
  calls: number;
  prompt_tokens: string;
  completion_tokens: string;
  cached_tokens: string;
  known: string;
  unpriced: number;
}

/**
 * One statement, one snapshot: every grouping of the month's rows comes from the same scan (GROUPING SETS), so each
 * list adds up exactly to the totals; costs are summed as numeric and rounded in SQL. The organization is the
 * courses' (generation_usage belongs to a course); the plan reads the organization's courses by index, then each
 * course's rows of the month by range on generation_usage_course_idx (docs/costs.md, "The usage report").
 */
const REPORT_SQL = `
  SELECT CASE WHEN GROUPING(g.model) = 0 THEN 'model' WHEN GROUPING(g.user_id) = 0 THEN 'user'
              WHEN GROUPING(g.job_type) = 0 THEN 'job_type'
              WHEN GROUPING(to_char(g.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')) = 0 THEN 'day'
              ELSE 'total' END AS dim,
         g.model, g.user_id, g.job_type, to_char(g.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
         count(*)::int AS calls,
         COALESCE(sum(g.prompt_tokens), 0)::text AS prompt_tokens,
         COALESCE(sum(g.completion_tokens), 0)::text AS completion_tokens,
         COALESCE(sum(g.cached_tokens), 0)::text AS cached_tokens,
         round(COALESCE(sum(g.cost_usd), 0), 6)::text AS known,
         (count(*) FILTER (WHERE g.cost_usd IS NULL))::int AS unpriced
    FROM generation_usage g JOIN courses c ON c.id = g.course_id
   WHERE c.organization_id = $1 AND g.created_at >= $2 AND g.created_at < $3
   GROUP BY GROUPING SETS ((), (g.model), (g.user_id), (g.job_type),
                           (to_char(g.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')))`;

@Injectable()
export class UsageReportService {
  constructor(
    private readonly db: DataSource,
    private readonly users: UsersService,
  ) {}

  /** The organization's calls of `month` (`YYYY-MM`, UTC). */
  async month(organizationId: string, month: string): Promise<UsageReport> {
    const [year, m] = month.split('-').map(Number);
    const from = new Date(Date.UTC(year, m - 1, 1));
    const to = new Date(Date.UTC(year, m, 1));
    const [rows, users] = await Promise.all([
      this.db.query<SumRow[]>(REPORT_SQL, [organizationId, from, to]),
      this.users.list(organizationId),
    ]);
    const emails = new Map(users.map((u) => [u.id, u.email]));
    const of = (dim: Dimension) => rows.filter((r) => r.dim === dim);
    const byCost = (a: UsageSums, b: UsageSums) => (b.cost_usd ?? 0) - (a.cost_usd ?? 0) || b.calls - a.calls;
    const total = of('total')[0];
    return {
      month,
      totals: total
        ? sums(total)
        : sums({
            calls: 0,
            prompt_tokens: '0',
            completion_tokens: '0',
            cached_tokens: '0',
            known: '0',
            unpriced: 0,
          }),
      by_model: of('model')
        .map((r) => ({ model: r.model ?? '', ...sums(r) }))
        .sort(byCost),
      by_user: of('user')
        .map((r) => ({
          user_id: r.user_id,
          email: r.user_id ? (emails.get(r.user_id) ?? null) : null,
          ...sums(r),
        }))
        .sort(byCost),
      by_job_type: of('job_type')
        .map((r) => ({ job_type: r.job_type, ...sums(r) }))
        .sort(byCost),
      by_day: of('day')
        .map((r) => ({ day: r.day!, ...sums(r) }))
        .sort((a, b) => a.day.localeCompare(b.day)),
    };
  }
}

function sums(
  r: Pick<SumRow, 'calls' | 'prompt_tokens' | 'completion_tokens' | 'cached_tokens' | 'known' | 'unpriced'>,
): UsageSums {
  const known = Number(r.known);
  return {
    calls: r.calls,
    prompt_tokens: Number(r.prompt_tokens),
    completion_tokens: Number(r.completion_tokens),
    cached_tokens: Number(r.cached_tokens),
    // Unknown stays unknown: null only when nothing known was spent (docs/costs.md, "Unknown prices").
    cost_usd: r.unpriced > 0 && known === 0 ? null : known,
    unpriced_calls: r.unpriced,
  };
}

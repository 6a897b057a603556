import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { OrganizationSettings } from '../../../contracts/api';
import { PaymentRequiredError } from '../common/domain-error';

/** How long one process trusts its reading of an organization's month spend (docs/costs.md, "Budgets"). */
export const BUDGET_CACHE_MS = 2000;

/** The organization's monthly budget and what its model calls cost this month (UTC calendar month). */
export interface MonthlyBudgetState {
  budget_usd: number | null;
  spent_usd: number;
  /** YYYY-MM (UTC). */
  month: string;
}

type Queryable = Pick<DataSource | EntityManager, 'query'>;

const usd = (n: number): string => `$${n.toFixed(2)}`;

/** "The organization's monthly model budget of $50.00 is used up ($50.12 spent in 2026-11)", or null with room left. */
export function monthlyBudgetMessage(s: MonthlyBudgetState, extraUsd = 0): string | null {
  if (s.budget_usd === null) return null;
  const spent = s.spent_usd + extraUsd;
  if (spent < s.budget_usd) return null;
  return `The organization's monthly model budget of ${usd(s.budget_usd)} is used up (${usd(spent)} spent in ${s.month})`;
}

/**
 * The organization's budgets (docs/costs.md, "Budgets and estimates"): its two settings (columns of `organizations`
 * that only this service reads and writes) and its month spend — the sum of `generation_usage.cost_usd` of its
 * courses this month. The sum is not kept in a counter row (every step of the organization would update that one row
 * under its transaction's lock); it is read with the month's index range and trusted for BUDGET_CACHE_MS per process,
 * plus what this process saw spent since. A budget can therefore be passed by the steps that finish within that
 * window — cents, not dollars.
 */
@Injectable()
export class OrgBudgets {
  private readonly cache = new Map<string, { at: number; state: MonthlyBudgetState }>();

  constructor(private readonly db: DataSource) {}

  async settings(organizationId: string, q: Queryable = this.db): Promise<OrganizationSettings> {
    const rows: { monthly_budget_usd: string | null; default_job_cap_usd: string | null }[] = await q.query(
      `SELECT monthly_budget_usd, default_job_cap_usd FROM organizations WHERE id = $1`,
      [organizationId],
    );
    const r = rows[0];
    return {
      monthly_budget_usd: r?.monthly_budget_usd == null ? null : Number(r.monthly_budget_usd),
      default_job_cap_usd: r?.default_job_cap_usd == null ? null : Number(r.default_job_cap_usd),
    };
  }

  async saveSettings(organizationId: string, s: OrganizationSettings): Promise<void> {
    await this.db.query(
      `UPDATE organizations SET monthly_budget_usd = $2, default_job_cap_usd = $3 WHERE id = $1`,
      [organizationId, s.monthly_budget_usd, s.default_job_cap_usd],
    );
    this.cache.delete(organizationId);
  }

  /** The budget and this month's spend, fresh from PostgreSQL. */
  async read(organizationId: string, q: Queryable = this.db): Promise<MonthlyBudgetState> {
    const rows: { budget: string | null; spent: string; month: string }[] = await q.query(
      `SELECT o.monthly_budget_usd AS budget, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM') AS month,
              (SELECT COALESCE(sum(u.cost_usd), 0) FROM courses c
               JOIN generation_usage u ON u.course_id = c.id
                 AND u.created_at >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
               WHERE c.organization_id = o.id) AS spent
       FROM organizations o WHERE o.id = $1`,
      [organizationId],
    );
    const r = rows[0];
    const state: MonthlyBudgetState = {
      budget_usd: r?.budget == null ? null : Number(r.budget),
      spent_usd: Number(r?.spent ?? 0),
      month: r?.month ?? new Date().toISOString().slice(0, 7),
    };
    this.cache.set(organizationId, { at: Date.now(), state });
    return state;
  }

  /** The state, from this process's reading of the last BUDGET_CACHE_MS if there is one. */
  async current(organizationId: string): Promise<MonthlyBudgetState> {
    const hit = this.cache.get(organizationId);
    if (hit && Date.now() - hit.at < BUDGET_CACHE_MS) return hit.state;
    if (this.cache.size > 10_000) this.cache.clear();
    return this.read(organizationId);
  }

  /** A model call of the organization cost `usd` (added to this process's reading until it is read again). */
  spent(organizationId: string, usd: number | null | undefined): void {
    const hit = this.cache.get(organizationId);
    if (hit && usd) hit.state = { ...hit.state, spent_usd: hit.state.spent_usd + usd };
  }

  /** Why a job of the organization must pause (its monthly budget used up, counting `extraUsd`), or null. */
  async exhaustedReason(organizationId: string, extraUsd = 0): Promise<string | null> {
    const state = await this.current(organizationId);
    return monthlyBudgetMessage(state, extraUsd);
  }

  /** 402 naming the budget when the month's budget is used up (new jobs, resumes, synchronous model calls). */
  async assertRoom(organizationId: string, q: Queryable = this.db): Promise<void> {
    const message = monthlyBudgetMessage(await this.read(organizationId, q));
    if (message) throw new PaymentRequiredError(message);
  }
}

import { Module } from '@nestjs/common';
import { OrgBudgets } from './org-budgets';
import { OrgModelCallLimiter } from './org-model-call-limiter';

/**
 * Limits on model calls that are not the queue's: the per-organization limit of the synchronous endpoints, and the
 * organization's budgets (org-budgets.ts: the monthly budget, the default job cap — docs/costs.md). The
 * cluster-wide budget itself is the MODEL_CALL_GATEWAY port (model-call-gateway.ts), provided by the jobs module.
 */
@Module({
  providers: [OrgModelCallLimiter, OrgBudgets],
  exports: [OrgModelCallLimiter, OrgBudgets],
})
export class ModelBudgetModule {}

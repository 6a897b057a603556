import { Module } from '@nestjs/common';
import { OrgModelCallLimiter } from './org-model-call-limiter';

/**
 * Limits on model calls that are not the queue's: the per-organization limit of the synchronous endpoints. The
 * cluster-wide budget itself is the MODEL_CALL_GATEWAY port (model-call-gateway.ts), provided by the jobs module.
 */
@Module({
  providers: [OrgModelCallLimiter],
  exports: [OrgModelCallLimiter],
})
export class ModelBudgetModule {}

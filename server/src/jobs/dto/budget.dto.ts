import { applyDecorators } from '@nestjs/common';
import { IsIn, IsNumber, IsOptional, IsUUID, Max, Min, ValidateIf } from 'class-validator';
import {
  BUDGET_MAX_USD,
  REGENERATION_TARGETS,
  type RegenerationTarget,
  type ResumeJobRequest,
} from '../../../../contracts/api';

/** An optional cost cap in USD: a positive amount, at most BUDGET_MAX_USD, with at most 6 decimals. */
export const MaxCostUsd = (): PropertyDecorator =>
  applyDecorators(
    IsOptional(),
    IsNumber(
      { allowNaN: false, allowInfinity: false, maxDecimalPlaces: 6 },
      { message: 'max_cost_usd must be an amount in USD' },
    ),
    Min(0.000001, { message: 'max_cost_usd must be above 0' }),
    Max(BUDGET_MAX_USD, { message: `max_cost_usd must be at most ${BUDGET_MAX_USD}` }),
  );

/** POST …/jobs/:jobId/resume (docs/queue.md, "Paused jobs"). */
export class ResumeJobDto implements ResumeJobRequest {
  @MaxCostUsd()
  max_cost_usd?: number;
}

/** GET …/:courseId/estimate — the whole course, or (`target` and `id`) one part to regenerate. */
export class EstimateQuery {
  @IsOptional()
  @IsIn(REGENERATION_TARGETS)
  target?: RegenerationTarget;

  @ValidateIf((q: EstimateQuery) => q.target !== undefined)
  @IsUUID('all', { message: 'id must be a UUID (with target)' })
  id?: string;
}

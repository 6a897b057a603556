import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { MaxCostUsd } from './budget.dto';
import {
  REGENERATION_INSTRUCTIONS_MAX,
  REGENERATION_TARGETS,
  type RegenerateRequest,
  type RegenerationTarget,
} from '../../../../contracts/api';
import { Trim } from '../../curriculum/dto/validation';

/** POST …/generate/:courseId/regenerate (docs/regeneration.md). NUL characters are refused before this (400). */
export class RegenerateDto implements RegenerateRequest {
  @IsIn(REGENERATION_TARGETS)
  target: RegenerationTarget;

  /** The project (project_lessons) or lesson (lesson_tasks) to regenerate. */
  @IsUUID('all', { message: 'id must be a UUID' })
  id: string;

  /** Guidance for the model ("more hands-on, fewer definitions"); blank means none. */
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(REGENERATION_INSTRUCTIONS_MAX)
  instructions?: string;

  /** The job's cost cap (default: the organization's default job cap). */
  @MaxCostUsd()
  max_cost_usd?: number;
}

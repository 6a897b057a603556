import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  COURSE_LEVELS,
  type ApproveOutlineRequest,
  type CourseLevel,
  type GenerateOutlinesRequest,
  type Outline,
  type OutlineProject,
} from '../../../../../contracts/api';
import { COUNT_LIMITS } from '../../../generation/generation.constants';
import { LANGUAGE_PATTERN, LIMITS } from '../../curriculum-limits';
import { IsOptionalNonNull, Trim } from '../../dto/validation';

const LANGUAGE_MESSAGE = { message: 'language must be a language tag such as en or pt-BR' };

/** Fields describing who the course is for, shared by the outline request and the approval. */
abstract class CourseAudienceDto {
  @Trim()
  @IsString()
  @MinLength(1, { message: 'topic must not be empty' })
  @MaxLength(LIMITS.topic)
  topic: string;

  @IsOptionalNonNull()
  @Trim()
  @IsString()
  @MaxLength(LIMITS.audience)
  audience?: string;

  @IsOptionalNonNull()
  @IsIn(COURSE_LEVELS)
  level?: CourseLevel;

  @IsOptionalNonNull()
  @IsString()
  @MaxLength(LIMITS.language)
  @Matches(LANGUAGE_PATTERN, LANGUAGE_MESSAGE)
  language?: string;
}

/** POST /api/admin/curriculum/generate/outlines */
export class GenerateOutlinesDto extends CourseAudienceDto implements GenerateOutlinesRequest {
  @IsOptionalNonNull()
  @IsInt()
  @Min(COUNT_LIMITS.projects.min)
  @Max(COUNT_LIMITS.projects.max)
  project_count?: number;

  @IsOptionalNonNull()
  @IsInt()
  @Min(COUNT_LIMITS.proposals.min)
  @Max(COUNT_LIMITS.proposals.max)
  proposals?: number;
}

export class OutlineProjectDto implements OutlineProject {
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.title)
  title: string;

  @IsString()
  @MaxLength(LIMITS.projectDescription)
  description: string;

  @IsArray()
  @ArrayMaxSize(LIMITS.objectives)
  @IsString({ each: true })
  @MaxLength(LIMITS.objective, { each: true })
  objectives: string[];
}

export class OutlineDto implements Outline {
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.title)
  title: string;

  @IsString()
  @MaxLength(LIMITS.courseDescription)
  description: string;

  @IsArray()
  @ArrayMinSize(1, { message: 'projects must hold at least one project' })
  @ArrayMaxSize(LIMITS.projects)
  @ValidateNested({ each: true })
  @Type(() => OutlineProjectDto)
  projects: OutlineProjectDto[];
}

/** POST /api/admin/curriculum/generate/outlines/approve */
export class ApproveOutlineDto extends CourseAudienceDto implements ApproveOutlineRequest {
  @ValidateNested()
  @Type(() => OutlineDto)
  outline: OutlineDto;

  @IsOptional()
  @IsUUID('4', { message: 'generation_id must be the id a GenerateOutlinesResponse carried' })
  generation_id?: string;
}

/** `:courseId` of the manual path. */
export class CourseIdParams {
  @IsUUID('all', { message: 'courseId must be a UUID' })
  courseId: string;
}

/** POST …/:courseId/lessons — every project without lessons, or just `project_id`. */
export class GenerateLessonsDto {
  @IsOptionalNonNull()
  @IsUUID('all', { message: 'project_id must be a UUID' })
  project_id?: string;

  /** Lessons per project (default 3). */
  @IsOptionalNonNull()
  @IsInt()
  @Min(COUNT_LIMITS.lessonsPerProject.min)
  @Max(COUNT_LIMITS.lessonsPerProject.max)
  lesson_count?: number;
}

/** POST …/:courseId/tasks — every lesson without tasks, or just `lesson_id`. */
export class GenerateTasksDto {
  @IsOptionalNonNull()
  @IsUUID('all', { message: 'lesson_id must be a UUID' })
  lesson_id?: string;

  /** Tasks per lesson (default 3). */
  @IsOptionalNonNull()
  @IsInt()
  @Min(COUNT_LIMITS.tasksPerLesson.min)
  @Max(COUNT_LIMITS.tasksPerLesson.max)
  task_count?: number;
}

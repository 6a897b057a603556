import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { COURSE_LEVELS, CourseLevel, TASK_KINDS, TaskKind } from '../../../../contracts/api';
import { LANGUAGE_PATTERN, LIMITS } from '../curriculum-limits';
import { IsOptionalNonNull, Trim } from './validation';

/** Fields common to projects, lessons and tasks: a new title, and a new 0-based position among siblings. */
abstract class PatchItemDto {
  @IsOptionalNonNull()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.title)
  title?: string;

  /** Moves the item among its siblings (the others shift); 0 is first. */
  @IsOptionalNonNull()
  @IsInt()
  @Min(0)
  @Max(LIMITS.projects * LIMITS.lessonsPerProject)
  position?: number;
}

export class PatchCourseDto {
  @IsOptionalNonNull()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.title)
  title?: string;

  @IsOptionalNonNull()
  @IsString()
  @MaxLength(LIMITS.courseDescription)
  description?: string;

  @IsOptionalNonNull()
  @IsString()
  @MaxLength(LIMITS.topic)
  topic?: string;

  @IsOptionalNonNull()
  @IsString()
  @MaxLength(LIMITS.audience)
  audience?: string;

  /** null clears it. */
  @IsOptional()
  @IsIn(COURSE_LEVELS)
  level?: CourseLevel | null;

  @IsOptionalNonNull()
  @IsString()
  @MaxLength(LIMITS.language)
  @Matches(LANGUAGE_PATTERN, { message: 'language must be a language tag such as en or pt-BR' })
  language?: string;

  /** Keep the course published when a regeneration or restore changes it (docs/regeneration.md). */
  @IsOptionalNonNull()
  @IsBoolean()
  auto_publish_updates?: boolean;
}

export class PatchProjectDto extends PatchItemDto {
  @IsOptionalNonNull()
  @IsString()
  @MaxLength(LIMITS.projectDescription)
  description?: string;

  @IsOptionalNonNull()
  @IsArray()
  @ArrayMaxSize(LIMITS.objectives)
  @IsString({ each: true })
  @MaxLength(LIMITS.objective, { each: true })
  objectives?: string[];
}

export class PatchLessonDto extends PatchItemDto {
  @IsOptionalNonNull()
  @IsString()
  @MaxLength(LIMITS.summary)
  summary?: string;

  /** Markdown. */
  @IsOptionalNonNull()
  @IsString()
  @MaxLength(LIMITS.content)
  content?: string;

  /** null clears it. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(LIMITS.minutes)
  estimated_minutes?: number | null;
}

export class PatchTaskDto extends PatchItemDto {
  /** Markdown. */
  @IsOptionalNonNull()
  @IsString()
  @MaxLength(LIMITS.instructions)
  instructions?: string;

  @IsOptionalNonNull()
  @IsIn(TASK_KINDS)
  kind?: TaskKind;

  /** null clears it. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(LIMITS.minutes)
  estimated_minutes?: number | null;
}

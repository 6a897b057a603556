import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { COURSE_STATUSES, CourseStatus } from '../../../../contracts/api';
import { CourseListQuery } from '../course-query.service';

export class ListCoursesQuery implements CourseListQuery {
  @IsOptional()
  @IsIn(COURSE_STATUSES)
  status?: CourseStatus;

  /** Case-insensitive substring of the title. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  page: number = 1;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  page_size: number = 20;
}

import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import type { CourseDetail, CourseListResponse } from '../../../contracts/api';
import { AuthUser } from '../accounts/auth/auth-user';
import { CurrentUser } from '../accounts/auth/auth.decorators';
import { CourseEditService } from './course-edit.service';
import { CoursePublishService } from './course-publish.service';
import { CourseQueryService } from './course-query.service';
import { IdParams } from './dto/id-params.dto';
import { ListCoursesQuery } from './dto/list-courses.query';
import { PatchCourseDto, PatchLessonDto, PatchProjectDto, PatchTaskDto } from './dto/patch-dtos';
import { ApiResponse } from '@nestjs/swagger';
import { ApiErrors, ApiReturns, schemaRef } from '../openapi/api-contract';

/** Courses of the signed-in user's organization and their trees. Every PATCH answers with the whole course. */
@Controller('admin/curriculum')
export class CoursesController {
  constructor(
    private readonly queries: CourseQueryService,
    private readonly edits: CourseEditService,
    private readonly publishing: CoursePublishService,
  ) {}

  @Get('courses')
  @ApiReturns('CourseListResponse')
  list(@CurrentUser() user: AuthUser, @Query() query: ListCoursesQuery): Promise<CourseListResponse> {
    return this.queries.list(user.organization_id, query);
  }

  @Get('courses/:id')
  @ApiReturns('CourseDetail')
  get(@CurrentUser() user: AuthUser, @Param() { id }: IdParams): Promise<CourseDetail> {
    return this.queries.detail(user.organization_id, id);
  }

  @Patch('courses/:id')
  @ApiReturns('CourseDetail')
  @ApiErrors(409)
  async patchCourse(
    @CurrentUser() user: AuthUser,
    @Param() { id }: IdParams,
    @Body() body: PatchCourseDto,
  ): Promise<CourseDetail> {
    return this.queries.detail(
      user.organization_id,
      await this.edits.patchCourse(user.organization_id, id, body),
    );
  }

  @Delete('courses/:id')
  @HttpCode(204)
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiErrors(409)
  deleteCourse(@CurrentUser() user: AuthUser, @Param() { id }: IdParams): Promise<void> {
    return this.edits.deleteCourse(user.organization_id, id);
  }

  @Post('courses/:id/publish')
  @HttpCode(200)
  @ApiReturns('CourseDetail')
  @ApiResponse({ status: 409, description: 'The tree is incomplete', schema: schemaRef('PublishConflict') })
  async publish(@CurrentUser() user: AuthUser, @Param() { id }: IdParams): Promise<CourseDetail> {
    await this.publishing.publish(user.organization_id, id);
    return this.queries.detail(user.organization_id, id);
  }

  @Post('courses/:id/unpublish')
  @HttpCode(200)
  @ApiReturns('CourseDetail')
  @ApiErrors(409)
  async unpublish(@CurrentUser() user: AuthUser, @Param() { id }: IdParams): Promise<CourseDetail> {
    await this.publishing.unpublish(user.organization_id, id);
    return this.queries.detail(user.organization_id, id);
  }

  @Patch('projects/:id')
  @ApiReturns('CourseDetail')
  @ApiErrors(409)
  async patchProject(
    @CurrentUser() user: AuthUser,
    @Param() { id }: IdParams,
    @Body() body: PatchProjectDto,
  ): Promise<CourseDetail> {
    return this.queries.detail(user.organization_id, await this.edits.patchProject(user, id, body));
  }

  @Patch('lessons/:id')
  @ApiReturns('CourseDetail')
  @ApiErrors(409)
  async patchLesson(
    @CurrentUser() user: AuthUser,
    @Param() { id }: IdParams,
    @Body() body: PatchLessonDto,
  ): Promise<CourseDetail> {
    return this.queries.detail(user.organization_id, await this.edits.patchLesson(user, id, body));
  }

  @Patch('tasks/:id')
  @ApiReturns('CourseDetail')
  @ApiErrors(409)
  async patchTask(
    @CurrentUser() user: AuthUser,
    @Param() { id }: IdParams,
    @Body() body: PatchTaskDto,
  ): Promise<CourseDetail> {
    return this.queries.detail(user.organization_id, await this.edits.patchTask(user, id, body));
  }
}

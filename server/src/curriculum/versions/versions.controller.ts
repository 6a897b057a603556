import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import type { RestoreVersionResponse, VersionDetail, VersionListResponse } from '../../../../contracts/api';
import { AuthUser } from '../../accounts/auth/auth-user';
import { CurrentUser } from '../../accounts/auth/auth.decorators';
import { IdParams } from '../dto/id-params.dto';
import { CourseVersionsService } from './course-versions.service';
import { ListVersionsQuery, VersionParams } from './dto/versions.dto';
import { ApiErrors, ApiReturns } from '../../openapi/api-contract';

/** Versions of a course's parts, within the signed-in user's organization (docs/regeneration.md, "Versions"). */
@Controller('admin/curriculum/courses/:id/versions')
export class VersionsController {
  constructor(private readonly versions: CourseVersionsService) {}

  @Get()
  @ApiReturns('VersionListResponse')
  list(
    @CurrentUser() user: AuthUser,
    @Param() { id }: IdParams,
    @Query() { item }: ListVersionsQuery,
  ): Promise<VersionListResponse> {
    return this.versions.list(user.organization_id, id, item);
  }

  @Get(':versionId')
  @ApiReturns('VersionDetail')
  get(@CurrentUser() user: AuthUser, @Param() { id, versionId }: VersionParams): Promise<VersionDetail> {
    return this.versions.get(user.organization_id, id, versionId);
  }

  @Post(':versionId/restore')
  @HttpCode(200)
  @ApiReturns('RestoreVersionResponse')
  @ApiErrors(409)
  restore(
    @CurrentUser() user: AuthUser,
    @Param() { id, versionId }: VersionParams,
  ): Promise<RestoreVersionResponse> {
    return this.versions.restore(user, id, versionId);
  }
}

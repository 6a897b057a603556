import { Controller, Get, Logger, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { AuthUser } from '../../accounts/auth/auth-user';
import { CurrentUser } from '../../accounts/auth/auth.decorators';
import { IdParams } from '../dto/id-params.dto';
import { CourseExportService } from './course-export.service';
import { ExportFormatQuery } from './export-format.query';
import { ApiResponse } from '@nestjs/swagger';
import { ApiErrors, schemaRef } from '../../openapi/api-contract';

@Controller('admin/curriculum')
export class CourseExportController {
  private readonly logger = new Logger(CourseExportController.name);

  constructor(private readonly exports: CourseExportService) {}

  /**
   * The course as a download, streamed (docs/export.md). 404 for another organization's course, 409 for an LMS
   * package of a course without lessons. A failure mid-stream cuts the connection, so no truncated file looks whole.
   */
  @Get('courses/:id/export')
  @ApiResponse({
    status: 200,
    description: 'The download, by `format` (docs/export.md)',
    content: {
      'application/zip': { schema: { type: 'string', format: 'binary' } },
      'application/vnd.ims.imsccv1p3': { schema: { type: 'string', format: 'binary' } },
      'text/markdown': { schema: { type: 'string' } },
      'application/json': { schema: schemaRef('CourseExportJson') },
    },
  })
  @ApiErrors(409)
  async export(
    @CurrentUser() user: AuthUser,
    @Param() { id }: IdParams,
    @Query() { format }: ExportFormatQuery,
    @Res() res: Response,
  ): Promise<void> {
    const download = await this.exports.open(user.organization_id, id, format);
    res.status(200);
    res.setHeader('Content-Type', download.contentType);
    res.setHeader('Content-Disposition', download.contentDisposition);
    res.setHeader('Cache-Control', 'no-store');
    try {
      await pipeline(download.stream, res);
    } catch (err) {
      if (!res.writableFinished) {
        const error = (err as Error).message;
        this.logger.warn({ msg: 'Export download ended early', course_id: id, format, error });
      }
    }
  }
}

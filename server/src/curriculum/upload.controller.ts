import { Body, Controller, Headers, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { ApproveOutlineResponse } from '../../../contracts/api';
import { AuthUser } from '../accounts/auth/auth-user';
import { CurrentUser } from '../accounts/auth/auth.decorators';
import { OutlineUploadService, UploadedOutline } from './outline-upload.service';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import { ApiErrors, ApiReturns } from '../openapi/api-contract';

@Controller('admin/curriculum')
export class UploadController {
  constructor(private readonly uploads: OutlineUploadService) {}

  /**
   * 201 `{course_id}`: a draft course from an outline, sent as the multipart field `file` (Markdown or JSON,
   * at most UPLOAD_MAX_BYTES) or as a JSON body. The body is validated by the outline schema (zod), which names
   * the path of a bad field; the Markdown parser names the line.
   */
  @Post('upload')
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({
    description: 'An outline: the multipart field `file` (Markdown or JSON), or a JSON body (docs/export.md)',
    schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } },
  })
  @ApiReturns('ApproveOutlineResponse', 201)
  @ApiErrors(413)
  @UseInterceptors(FileInterceptor('file'))
  upload(
    @CurrentUser() user: AuthUser,
    @UploadedFile() file: UploadedOutline['file'],
    @Body() body: unknown,
    @Headers('content-length') contentLength: string | undefined,
  ): Promise<ApproveOutlineResponse> {
    return this.uploads.upload(user.organization_id, user.id, {
      file,
      json: body,
      bodyBytes: contentLength ? Number(contentLength) : undefined,
    });
  }
}

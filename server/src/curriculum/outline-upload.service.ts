import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ApproveOutlineResponse } from '../../../contracts/api';
import { AppConfig } from '../config/app-config';
import { DomainError, InvalidInputError } from '../common/domain-error';
import { assertNoNulCharacters } from '../http/nul-characters';
import { CourseTreeWriter } from './course-tree-writer';
import { readExportedUpload } from './outline/exported-upload';
import { parseJsonOutline, parseOutlineFile } from './outline/outline-parser';
import { OutlineTree } from './outline/outline-tree';

export interface UploadedOutline {
  /** A multipart `file` (Markdown or JSON). */
  file?: { buffer: Buffer; originalname: string; size: number };
  /** Or the JSON tree as the request body. */
  json?: unknown;
  /** Bytes of the request body, for the size limit of a JSON upload. */
  bodyBytes?: number;
}

/** Upload: parse first (nothing is written when the outline is malformed), then write the tree in one transaction. */
@Injectable()
export class OutlineUploadService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: CourseTreeWriter,
    private readonly config: AppConfig,
  ) {}

  async upload(
    organizationId: string,
    userId: string,
    upload: UploadedOutline,
  ): Promise<ApproveOutlineResponse> {
    // A markdown-zip or a Markdown export: read back as the export wrote it (docs/export.md).
    const exported = await readExportedUpload(upload);
    const tree = exported.decode(this.parse(exported.upload));
    // PostgreSQL cannot store U+0000 (escaped as \u0000 in a JSON file, or a Markdown file's bytes).
    assertNoNulCharacters(tree);
    const courseId = await this.dataSource.transaction((manager) =>
      this.writer.createCourse(manager, organizationId, userId, tree),
    );
    return { course_id: courseId };
  }

  private parse({ file, json, bodyBytes }: UploadedOutline): OutlineTree {
    const max = this.config.UPLOAD_MAX_BYTES;
    if (file) {
      const extra = json && typeof json === 'object' ? Object.keys(json) : [];
      if (extra.length > 0)
        throw new InvalidInputError(`Unknown field "${extra[0]}": send only the multipart field 'file'`);
      if (file.size > max) throw new DomainError('too_large', `The file is larger than ${max} bytes`);
      if (file.buffer.includes(0))
        throw new InvalidInputError('The file contains NUL bytes: upload UTF-8 text (Markdown or JSON)');
      return parseOutlineFile(file.buffer, file.originalname);
    }
    if ((bodyBytes ?? 0) > max) throw new DomainError('too_large', `The outline is larger than ${max} bytes`);
    if (json === undefined || json === null || (typeof json === 'object' && Object.keys(json).length === 0)) {
      throw new InvalidInputError(
        "Send the outline as a multipart field 'file' (Markdown or JSON) or as a JSON body",
      );
    }
    return parseJsonOutline(json);
  }
}

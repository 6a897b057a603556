import { IsIn } from 'class-validator';
import { EXPORT_FORMATS, ExportFormat } from '../../../../contracts/api';

export class ExportFormatQuery {
  /** One of EXPORT_FORMATS (docs/export.md); anything else, or none, → 400. */
  @IsIn(EXPORT_FORMATS, { message: `format must be one of: ${EXPORT_FORMATS.join(', ')}` })
  format!: ExportFormat;
}

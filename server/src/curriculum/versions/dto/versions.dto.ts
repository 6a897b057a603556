import { IsOptional, IsUUID } from 'class-validator';
import { IdParams } from '../../dto/id-params.dto';

/** `GET courses/:id/versions?item=`: without `item`, every version of the course. */
export class ListVersionsQuery {
  /** The project, lesson or task whose versions to list. */
  @IsOptional()
  @IsUUID('all', { message: 'item must be a UUID' })
  item?: string;
}

/** `courses/:id/versions/:versionId`. */
export class VersionParams extends IdParams {
  @IsUUID('all', { message: 'versionId must be a UUID' })
  versionId: string;
}

import { IsUUID } from 'class-validator';

/** `:id` of a course, project, lesson or task. */
export class IdParams {
  @IsUUID('all', { message: 'id must be a UUID' })
  id: string;
}

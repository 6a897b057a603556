import { Transform } from 'class-transformer';
import { IsIn, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { API_KEY_NAME_MAX, type CreateApiKeyRequest, type UserRole } from '../../../../../contracts/api';

/** POST /api/admin/api-keys (owners). The name shows in logs and "edited by", so it stays one printable line. */
export class CreateApiKeyDto implements CreateApiKeyRequest {
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString({ message: 'name must be a string' })
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(API_KEY_NAME_MAX, { message: `name must be at most ${API_KEY_NAME_MAX} characters` })
  // eslint-disable-next-line no-control-regex
  @Matches(/^[^\u0000-\u001f\u007f]*$/, { message: 'name must not contain control characters' })
  name: string;

  @IsIn(['owner', 'admin'], { message: 'role must be admin or owner' })
  role: UserRole;
}

export class ApiKeyIdParam {
  @IsUUID('all', { message: 'id must be a UUID' })
  id: string;
}

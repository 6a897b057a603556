import { IsEmail, IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import type { UserRole } from '../../../../contracts/api';
import { PASSWORD_MAX_BYTES, PASSWORD_MIN_LENGTH } from '../password-hasher';

export class CreateUserDto {
  @IsEmail()
  @MaxLength(254)
  email: string;

  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH)
  @MaxLength(PASSWORD_MAX_BYTES)
  password: string;

  @IsIn(['owner', 'admin'])
  role: UserRole;
}

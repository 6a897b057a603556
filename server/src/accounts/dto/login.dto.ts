import { IsString, MaxLength, MinLength } from 'class-validator';
import type { LoginRequest } from '../../../../contracts/api';

export class LoginDto implements LoginRequest {
  @IsString()
  @MinLength(3)
  @MaxLength(254)
  email: string;

  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password: string;
}

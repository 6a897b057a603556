import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { ApiKeyAuthenticator } from './api-keys/api-key-authenticator';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { ApiKeysService } from './api-keys/api-keys.service';
import { AuthGuard } from './auth/auth.guard';
import { authSecret, SessionTokenService } from './auth/session-token.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { Organization } from './entities/organization.entity';
import { User } from './entities/user.entity';
import { LoginRateLimiter } from './login-rate-limiter';
import { PasswordHasher } from './password-hasher';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

/**
 * Organizations, users, API keys, sign-in and the global AuthGuard. Other modules use `@CurrentUser()`, `@Roles()`,
 * `@Public()` from `./auth` and, outside Nest guards, `SessionTokenService`.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([Organization, User]),
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        // A ready-made key: given a string, jsonwebtoken tries (and fails) to parse it as a public key on every
        // verify, which was the API's largest CPU cost per request.
        const key = createSecretKey(Buffer.from(authSecret(config)));
        return {
          secretOrKeyProvider: () => key,
          signOptions: { algorithm: 'HS256' },
          verifyOptions: { algorithms: ['HS256'] },
        };
      },
    }),
  ],
  controllers: [AuthController, UsersController, ApiKeysController],
  providers: [
    AuthService,
    UsersService,
    PasswordHasher,
    LoginRateLimiter,
    SessionTokenService,
    ApiKeysService,
    ApiKeyAuthenticator,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [SessionTokenService, UsersService],
})
export class AccountsModule {}

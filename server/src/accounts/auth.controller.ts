import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { LoginResponse, UserView } from '../../../contracts/api';
import { AppConfig } from '../config/app-config';
import { AuthUser } from './auth/auth-user';
import { CurrentUser, Public } from './auth/auth.decorators';
import { extractSessionToken, SESSION_COOKIE_NAME, sessionCookieOptions } from './auth/session-cookie';
import { AuthService } from './auth.service';
import { LoginDto } from './dto/login.dto';
import { UsersService } from './users.service';
import { ApiResponse } from '@nestjs/swagger';
import { ApiErrors, ApiReturns } from '../openapi/api-contract';

@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly config: AppConfig,
  ) {}

  /** 200 `{access_token, expires_at, user}` and the same token in an httpOnly session cookie. */
  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiReturns('LoginResponse')
  @ApiErrors(401, 429)
  async login(
    @Body() body: LoginDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<LoginResponse> {
    const result = await this.auth.login(body.email, body.password, req.ip ?? 'unknown');
    res.cookie(SESSION_COOKIE_NAME, result.access_token, this.cookieOptions());
    return result;
  }

  /** Revokes the token (cookie or bearer) and clears the cookie; 204 whether or not a session was open. */
  @Public()
  @Post('logout')
  @HttpCode(204)
  @ApiResponse({ status: 204, description: 'Signed out' })
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(extractSessionToken(req));
    const { maxAge: _maxAge, ...options } = this.cookieOptions();
    res.clearCookie(SESSION_COOKIE_NAME, options);
  }

  @Get('me')
  @ApiReturns('UserView')
  me(@CurrentUser() user: AuthUser): Promise<UserView> {
    return this.users.get(user.id);
  }

  private cookieOptions(): ReturnType<typeof sessionCookieOptions> {
    return sessionCookieOptions(this.config.isProduction, this.config.AUTH_TOKEN_TTL_SECONDS);
  }
}

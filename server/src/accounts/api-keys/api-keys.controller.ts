import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post } from '@nestjs/common';
import type { ApiKeyListResponse, CreatedApiKey } from '../../../../contracts/api';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyIdParam, CreateApiKeyDto } from './dto/api-key.dto';
import { ApiResponse } from '@nestjs/swagger';
import { ApiReturns } from '../../openapi/api-contract';

/** API keys for machines: admins see them (never their secrets), owners create and revoke them. */
@Controller('admin/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Get()
  @ApiReturns('ApiKeyListResponse')
  async list(@CurrentUser() user: AuthUser): Promise<ApiKeyListResponse> {
    return { api_keys: await this.keys.list(user.organization_id) };
  }

  /** 201 with the key in `key`, the only time it is shown; no cache may keep it. */
  @Post()
  @Roles('owner')
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  @ApiReturns('CreatedApiKey', 201)
  create(@CurrentUser() user: AuthUser, @Body() body: CreateApiKeyDto): Promise<CreatedApiKey> {
    return this.keys.create(user, body);
  }

  @Delete(':id')
  @Roles('owner')
  @HttpCode(204)
  @ApiResponse({ status: 204, description: 'Revoked' })
  revoke(@CurrentUser() user: AuthUser, @Param() p: ApiKeyIdParam): Promise<void> {
    return this.keys.revoke(user, p.id);
  }
}

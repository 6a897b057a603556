import { Body, Controller, Get, Post } from '@nestjs/common';
import type { UserListResponse, UserView } from '../../../contracts/api';
import { AuthUser } from './auth/auth-user';
import { CurrentUser, Roles } from './auth/auth.decorators';
import { CreateUserDto } from './dto/create-user.dto';
import { UsersService } from './users.service';
import { ApiErrors, ApiReturns } from '../openapi/api-contract';

/** Owners manage the users of their own organization. */
@Controller('admin/users')
@Roles('owner')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiReturns('UserListResponse')
  async list(@CurrentUser() user: AuthUser): Promise<UserListResponse> {
    return { users: await this.users.list(user.organization_id) };
  }

  @Post()
  @ApiReturns('UserView', 201)
  @ApiErrors(409)
  create(@CurrentUser() user: AuthUser, @Body() body: CreateUserDto): Promise<UserView> {
    return this.users.create(user.organization_id, body);
  }
}

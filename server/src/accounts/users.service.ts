import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { UserRole, UserView } from '../../../contracts/api';
import { AppConfig } from '../config/app-config';
import { NotFoundError } from '../common/domain-error';
import { bcryptCost } from './password-hasher';
import { createUserAccount, findUserRows, UserRow } from './user-accounts';

export function toUserView(row: UserRow): UserView {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    is_operator: row.is_operator,
    organization: { id: row.organization_id, name: row.organization_name },
    created_at: new Date(row.created_at).toISOString(),
  };
}

/** Users of an organization, as owners manage them. */
@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async get(userId: string): Promise<UserView> {
    const [row] = await findUserRows(this.dataSource.manager, 'u.id = $1', [userId]);
    if (!row) throw new NotFoundError('User');
    return toUserView(row);
  }

  async list(organizationId: string): Promise<UserView[]> {
    return (await findUserRows(this.dataSource.manager, 'u.organization_id = $1', [organizationId])).map(
      toUserView,
    );
  }

  async create(
    organizationId: string,
    input: { email: string; password: string; role: UserRole },
  ): Promise<UserView> {
    const row = await this.dataSource.transaction((manager) =>
      createUserAccount(manager, { ...input, organizationId }, bcryptCost(this.config)),
    );
    return toUserView(row);
  }
}

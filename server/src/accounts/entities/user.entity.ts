import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { UserRole } from '../../../../contracts/api';

/** An admin or owner of one organization. Emails are stored lower-cased and unique whatever their case. */
@Entity({ name: 'users' })
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organization_id: string;

  @Column({ type: 'text' })
  email: string;

  /** bcrypt hash; never leaves the accounts module. */
  @Column({ name: 'password_hash', type: 'text', select: false })
  password_hash: string;

  @Column({ type: 'text' })
  role: UserRole;

  /** An operator of the installation (Bull Board, cluster-wide actions), whatever the organization. */
  @Column({ name: 'is_operator', type: 'boolean', default: false })
  is_operator: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  created_at: Date;
}

import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { CourseLevel, CourseStatus } from '../../../../contracts/api';

@Entity({ name: 'courses' })
export class Course {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organization_id: string;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  created_by: string | null;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ type: 'text', default: '' })
  topic: string;

  @Column({ type: 'text', default: '' })
  audience: string;

  @Column({ type: 'text', nullable: true })
  level: CourseLevel | null;

  @Column({ type: 'text', default: 'en' })
  language: string;

  @Column({ type: 'text', default: 'draft' })
  status: CourseStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updated_at: Date;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  published_at: Date | null;

  /** Regenerating or restoring a part keeps a published course published only when true (docs/regeneration.md). */
  @Column({ name: 'auto_publish_updates', type: 'boolean', default: false })
  auto_publish_updates: boolean;

  /** Why a published course went back to review; cleared when it is published again. */
  @Column({ name: 'review_notice', type: 'text', nullable: true })
  review_notice: string | null;
}

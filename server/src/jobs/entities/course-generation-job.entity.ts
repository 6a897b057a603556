import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { JobLogEntry, JobStatus, JobStep } from '../../../../contracts/api';

/** The plan's `course_generation_jobs` row. Writes go through JobStore's compare-and-set SQL, never `save()`. */
@Entity({ name: 'course_generation_jobs' })
export class CourseGenerationJob {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'course_id', type: 'uuid' }) courseId: string;
  @Column({ name: 'user_id', type: 'uuid' }) userId: string;
  @Column({ name: 'organization_id', type: 'uuid' }) organizationId: string;
  @Column({ type: 'text' }) status: JobStatus;
  @Column({ name: 'current_step', type: 'text', nullable: true }) currentStep: JobStep | null;
  @Column({ name: 'current_item', type: 'text', nullable: true }) currentItem: string | null;
  @Column({ name: 'items_completed', type: 'int' }) itemsCompleted: number;
  @Column({ name: 'items_total', type: 'int' }) itemsTotal: number;
  @Column({ type: 'jsonb' }) logs: JobLogEntry[];
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'started_at', type: 'timestamptz', nullable: true }) startedAt: Date | null;
  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true }) completedAt: Date | null;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
  @Column({ name: 'error_message', type: 'text', nullable: true }) errorMessage: string | null;
  @Column({ name: 'failed_step', type: 'text', nullable: true }) failedStep: JobStep | null;
  @Column({ name: 'retry_count', type: 'int' }) retryCount: number;
  @Column({ name: 'auto_publish', type: 'boolean' }) autoPublish: boolean;
  @Column({ name: 'prompt_tokens', type: 'bigint' }) promptTokens: string;
  @Column({ name: 'completion_tokens', type: 'bigint' }) completionTokens: string;
}

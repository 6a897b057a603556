import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { TaskKind } from '../../../../contracts/api';

@Entity({ name: 'tasks' })
export class Task {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'lesson_id', type: 'uuid' })
  lesson_id: string;

  /** 0-based, unique within the lesson. */
  @Column({ type: 'int' })
  position: number;

  @Column({ type: 'text' })
  title: string;

  /** Markdown. */
  @Column({ type: 'text', default: '' })
  instructions: string;

  @Column({ type: 'text' })
  kind: TaskKind;

  @Column({ name: 'estimated_minutes', type: 'int', nullable: true })
  estimated_minutes: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  created_at: Date;
}

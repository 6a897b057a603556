import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'lessons' })
export class Lesson {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'project_id', type: 'uuid' })
  project_id: string;

  /** 0-based, unique within the project. */
  @Column({ type: 'int' })
  position: number;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', default: '' })
  summary: string;

  /** Markdown. */
  @Column({ type: 'text', default: '' })
  content: string;

  @Column({ name: 'estimated_minutes', type: 'int', nullable: true })
  estimated_minutes: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  created_at: Date;
}

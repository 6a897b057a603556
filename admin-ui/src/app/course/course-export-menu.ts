import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { CourseStatus, ExportFormat } from '@contracts/api';
import { MatButtonModule } from '@angular/material/button';
import { MatMenuModule } from '@angular/material/menu';

/** The six export formats, in menu order (what each contains: docs/export.md). */
export const EXPORT_MENU: readonly { format: ExportFormat; label: string; hint: string }[] = [
  { format: 'scorm12', label: 'SCORM 1.2', hint: 'Moodle, TalentLMS, most LMSs' },
  { format: 'scorm2004', label: 'SCORM 2004 (4th edition)', hint: 'LMSs with SCORM 2004' },
  { format: 'imscc', label: 'IMS Common Cartridge 1.3', hint: 'Canvas, Moodle, Blackboard' },
  { format: 'markdown', label: 'Markdown (one file)', hint: 'uploads back as a course' },
  { format: 'markdown-zip', label: 'Markdown (zip of files)', hint: 'a folder per project' },
  { format: 'json', label: 'JSON', hint: 'the course tree, for scripts' },
];

/**
 * **Export** on the course page: plain links to the export endpoint, so the browser downloads the streamed file
 * itself (the session cookie authenticates the GET). A draft course exports too, with a warning.
 */
@Component({
  selector: 'cl-course-export-menu',
  imports: [MatButtonModule, MatMenuModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <button matButton="outlined" type="button" data-testid="export-menu" [matMenuTriggerFor]="menu">
      Export
    </button>
    <mat-menu #menu="matMenu" xPosition="before">
      @if (isDraft()) {
        <p class="export-warning" role="note" data-testid="export-draft-warning">
          This course is a draft: the export has what is written so far.
        </p>
      }
      @for (item of items; track item.format) {
        <a mat-menu-item [href]="url(item.format)" download [attr.data-testid]="'export-' + item.format">
          <span>{{ item.label }}</span>
          <small class="hint">{{ item.hint }}</small>
        </a>
      }
    </mat-menu>
  `,
  styles: `
    .export-warning {
      margin: 0.25rem 1rem 0.5rem;
      max-width: 18rem;
      font-size: 0.85rem;
      color: var(--mat-sys-error, #b3261e);
    }
    .hint {
      margin-left: 0.5rem;
      opacity: 0.7;
    }
  `,
})
export class CourseExportMenu {
  readonly courseId = input.required<string>();
  readonly status = input.required<CourseStatus>();

  protected readonly items = EXPORT_MENU;
  protected readonly isDraft = computed(() => this.status() === 'draft' || this.status() === 'generating');

  protected url(format: ExportFormat): string {
    return `/api/admin/curriculum/courses/${encodeURIComponent(this.courseId())}/export?format=${format}`;
  }
}

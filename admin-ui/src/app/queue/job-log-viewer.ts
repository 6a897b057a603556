import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  afterRenderEffect,
  input,
  viewChild,
} from '@angular/core';
import type { JobLogEntry } from '@contracts/api';
import { MatProgressBarModule } from '@angular/material/progress-bar';

import { clockTime } from '../shared/format';
import type { JobLogs } from './queue-store';

/** Lines closer than this to the bottom count as "at the bottom": new lines keep it in view. */
const STICK_PX = 24;

/** A job's log: timestamp, coloured level, message; follows new lines unless the user scrolled up. */
@Component({
  selector: 'cl-job-log-viewer',
  imports: [MatProgressBarModule],
  template: `
    <section class="viewer" data-testid="job-logs" aria-label="Job log">
      @if (errorMessage(); as message) {
        <p class="job-error" role="alert" data-testid="job-error"><strong>Error:</strong> {{ message }}</p>
      }
      @if (logs()?.loading && !logs()?.entries?.length) {
        <mat-progress-bar mode="indeterminate" />
      }
      @if (logs()?.error; as error) {
        <p class="load-error" role="alert">{{ error }}</p>
      }
      <!-- A polite live region: screen readers announce new lines without moving focus (it is only focusable so the
        keyboard can scroll it); following the tail changes scrollTop, never focus. -->
      <div
        class="lines"
        #scroller
        (scroll)="onScroll()"
        tabindex="0"
        role="log"
        aria-live="polite"
        aria-relevant="additions"
        aria-label="Log lines"
        data-testid="log-lines"
      >
        @for (entry of logs()?.entries ?? []; track $index) {
          <div class="line" [class]="'line level-' + entry.level" data-testid="log-line">
            <time [attr.datetime]="entry.timestamp">{{ time(entry) }}</time>
            <span class="level" data-testid="log-level"> [{{ entry.level.toUpperCase() }}] </span>
            <span class="message">{{ entry.message }}</span>
          </div>
        } @empty {
          @if (!logs()?.loading) {
            <div class="line empty">No log lines yet.</div>
          }
        }
      </div>
    </section>
  `,
  styles: `
    .viewer {
      padding: 8px 0 16px;
    }
    .lines {
      max-height: 280px;
      overflow: auto;
      background: #111827;
      color: #e5e7eb;
      border-radius: 6px;
      padding: 8px 12px;
      font:
        12px/1.6 ui-monospace,
        SFMono-Regular,
        Menlo,
        Consolas,
        monospace;
    }
    .line {
      white-space: pre-wrap;
      word-break: break-word;
    }
    time {
      color: #9ca3af;
    }
    .level {
      font-weight: 600;
      white-space: pre;
    }
    .level-info .level {
      color: #93c5fd;
    }
    .level-success .level {
      color: #86efac;
    }
    .level-warning .level {
      color: #fcd34d;
    }
    .level-error .level,
    .level-error .message {
      color: #fca5a5;
    }
    .empty {
      color: #9ca3af;
    }
    .job-error,
    .load-error {
      color: var(--mat-sys-error);
      margin: 0 0 8px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class JobLogViewer {
  readonly logs = input<JobLogs | undefined>();
  /** The job's error message (failed jobs). */
  readonly errorMessage = input<string | null>(null);

  private readonly scroller = viewChild.required<ElementRef<HTMLElement>>('scroller');
  private followTail = true;

  constructor() {
    afterRenderEffect({
      write: () => {
        this.logs(); // re-run when lines arrive
        const element = this.scroller().nativeElement;
        if (this.followTail) {
          element.scrollTop = element.scrollHeight;
        }
      },
    });
  }

  protected onScroll(): void {
    const element = this.scroller().nativeElement;
    this.followTail = element.scrollHeight - element.scrollTop - element.clientHeight <= STICK_PX;
  }

  protected time(entry: JobLogEntry): string {
    return clockTime(entry.timestamp);
  }
}

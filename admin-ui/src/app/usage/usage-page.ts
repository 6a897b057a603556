import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import type { UsageSums } from '@contracts/api';
import { MatButtonModule } from '@angular/material/button';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { errorMessage } from '../shared/api-error';
import { formatCost, unpricedNote } from '../shared/cost';
import { UsageApi } from './usage-api';
import { UsageChart } from './usage-chart';

/** One breakdown of the month: named rows of sums. */
interface UsageGroup {
  id: string;
  title: string;
  rows: { name: string; sums: UsageSums }[];
}

/** This month in UTC, as the API counts months: `YYYY-MM`. */
export const currentMonth = (now = new Date()): string => now.toISOString().slice(0, 7);

/** The organization's model calls, tokens and cost of one month, by model, user, job type and day (docs/costs.md). */
@Component({
  selector: 'cl-usage-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, MatTableModule, MatTooltipModule, UsageChart],
  templateUrl: './usage-page.html',
  styleUrl: './usage-page.scss',
})
export class UsagePage {
  private readonly api = inject(UsageApi);
  protected readonly month = signal(currentMonth());
  protected readonly report = rxResource({
    params: () => this.month(),
    stream: ({ params }) => this.api.month(params),
  });
  protected readonly columns = ['name', 'calls', 'prompt', 'completion', 'cached', 'cost'];
  protected readonly formatCost = formatCost;
  protected readonly unpricedNote = unpricedNote;
  protected readonly errorMessage = errorMessage;

  /** The three breakdowns, each as named rows of sums. */
  protected readonly groups = computed((): UsageGroup[] => {
    const r = this.report.value();
    if (!r) {
      return [];
    }
    return [
      { id: 'model', title: 'By model', rows: r.by_model.map((s) => ({ name: s.model, sums: s })) },
      {
        id: 'user',
        title: 'By user',
        rows: r.by_user.map((s) => ({ name: s.email ?? '(deleted user)', sums: s })),
      },
      {
        id: 'job-type',
        title: 'By job type',
        rows: r.by_job_type.map((s) => ({ name: this.jobTypeName(s.job_type), sums: s })),
      },
    ];
  });

  protected pick(value: string): void {
    if (/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) {
      this.month.set(value);
    }
  }

  protected step(by: number): void {
    const [year, m] = this.month().split('-').map(Number);
    this.month.set(currentMonth(new Date(Date.UTC(year, m - 1 + by, 1))));
  }

  protected cost(sums: UsageSums): string {
    return formatCost(sums.cost_usd, sums.unpriced_calls);
  }

  protected tokens(n: number): string {
    return n.toLocaleString('en-US');
  }

  protected jobTypeName(jobType: string | null): string {
    return jobType === null ? 'synchronous (outlines, manual)' : jobType.replaceAll('_', ' ');
  }
}

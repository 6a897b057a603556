import {
  ChangeDetectionStrategy,
  Component,
  type ElementRef,
  effect,
  input,
  viewChild,
  type OnDestroy,
} from '@angular/core';
import type { UsageReport } from '@contracts/api';
import type { Chart } from 'chart.js';

/**
 * Calls and cost per day of the month, as a bar chart. Chart.js is imported when the chart first draws, so it is
 * fetched with the Usage page and never grows the console's initial bundle.
 */
@Component({
  selector: 'cl-usage-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<div class="chart">
    <canvas #canvas data-testid="usage-chart" aria-label="Cost per day" role="img"></canvas>
  </div>`,
  styles: `
    .chart {
      position: relative;
      height: 240px;
      max-width: 960px;
    }
  `,
})
export class UsageChart implements OnDestroy {
  readonly days = input.required<UsageReport['by_day']>();
  readonly month = input.required<string>();
  private readonly canvas = viewChild.required<ElementRef<HTMLCanvasElement>>('canvas');
  private chart: Chart | null = null;
  private drawn = 0;

  constructor() {
    effect(() => {
      void this.draw(this.month(), this.days());
    });
  }

  ngOnDestroy(): void {
    this.chart?.destroy();
    this.chart = null;
  }

  private async draw(month: string, days: UsageReport['by_day']): Promise<void> {
    const turn = ++this.drawn;
    const { labels, cost, calls } = series(month, days);
    const context = this.canvas().nativeElement.getContext?.('2d');
    if (!context) {
      return; // no canvas (a test's DOM): nothing to draw on
    }
    const { Chart, registerables } = await import('chart.js');
    if (turn !== this.drawn) {
      return; // a newer month arrived meanwhile
    }
    Chart.register(...registerables);
    this.chart?.destroy();
    this.chart = new Chart(context, {
      type: 'bar',
      data: {
        labels,
        datasets: [
          { label: 'Cost (USD)', data: cost, yAxisID: 'cost', backgroundColor: '#3f51b5' },
          { label: 'Calls', data: calls, yAxisID: 'calls', type: 'line', borderColor: '#ff9800' },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          cost: { position: 'left', beginAtZero: true },
          calls: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false } },
        },
      },
    });
  }
}

/** Every day of the month (1…31), with zero on days without calls. */
export function series(
  month: string,
  days: UsageReport['by_day'],
): { labels: string[]; cost: number[]; calls: number[] } {
  const [year, m] = month.split('-').map(Number);
  const length = new Date(Date.UTC(year, m, 0)).getUTCDate();
  const byDay = new Map(days.map((d) => [Number(d.day.slice(8, 10)), d]));
  const labels: string[] = [];
  const cost: number[] = [];
  const calls: number[] = [];
  for (let day = 1; day <= length; day++) {
    labels.push(String(day));
    cost.push(byDay.get(day)?.cost_usd ?? 0);
    calls.push(byDay.get(day)?.calls ?? 0);
  }
  return { labels, cost, calls };
}

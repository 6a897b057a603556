import { IsOptional, Matches } from 'class-validator';

export class UsageQuery {
  /** A UTC month, `YYYY-MM`; the current month when absent. */
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month must be a month like 2026-11 (YYYY-MM)' })
  month?: string;
}

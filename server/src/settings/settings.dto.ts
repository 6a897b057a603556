import { IsNumber, Max, Min, ValidateIf } from 'class-validator';
import { BUDGET_MAX_USD, type OrganizationSettings } from '../../../contracts/api';

const amount = (field: string): PropertyDecorator => {
  const decorators = [
    // null clears the setting; a missing field is refused (a PUT says both).
    ValidateIf((_o, v: unknown) => v !== null),
    IsNumber(
      { allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 },
      { message: `${field} must be an amount in USD (at most 2 decimals) or null` },
    ),
    Min(0.01, { message: `${field} must be at least 0.01 (or null for none)` }),
    Max(BUDGET_MAX_USD, { message: `${field} must be at most ${BUDGET_MAX_USD}` }),
  ];
  return (target, key) => decorators.forEach((d) => d(target, key));
};

/** PUT /api/admin/settings (owners). docs/costs.md, "Budgets and estimates". */
export class OrganizationSettingsDto implements OrganizationSettings {
  @amount('monthly_budget_usd')
  monthly_budget_usd: number | null;

  @amount('default_job_cap_usd')
  default_job_cap_usd: number | null;
}

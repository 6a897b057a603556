import { Body, Controller, Get, Put } from '@nestjs/common';
import type { OrganizationSettingsView } from '../../../contracts/api';
import { AuthUser, CurrentUser, Roles } from '../accounts/auth';
import { OrgBudgets } from '../model-budget/org-budgets';
import { OrganizationSettingsDto } from './settings.dto';
import { ApiReturns } from '../openapi/api-contract';

/** The organization's budgets: admins read them, owners change them (docs/costs.md, "Budgets and estimates"). */
@Controller('admin/settings')
export class SettingsController {
  constructor(private readonly budgets: OrgBudgets) {}

  @Get()
  @ApiReturns('OrganizationSettingsView')
  get(@CurrentUser() user: AuthUser): Promise<OrganizationSettingsView> {
    return this.view(user.organization_id);
  }

  @Put()
  @ApiReturns('OrganizationSettingsView')
  @Roles('owner')
  async put(
    @CurrentUser() user: AuthUser,
    @Body() body: OrganizationSettingsDto,
  ): Promise<OrganizationSettingsView> {
    await this.budgets.saveSettings(user.organization_id, body);
    return this.view(user.organization_id);
  }

  private async view(organizationId: string): Promise<OrganizationSettingsView> {
    const [settings, month] = await Promise.all([
      this.budgets.settings(organizationId),
      this.budgets.read(organizationId),
    ]);
    return { ...settings, month: month.month, month_spent_usd: Math.round(month.spent_usd * 1e6) / 1e6 };
  }
}

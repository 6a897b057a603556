import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import type {
  WebhookDeliveryListResponse,
  WebhookDeliveryView,
  WebhookEndpointView,
  WebhookListResponse,
  WebhookSecretResponse,
} from '../../../contracts/api';
import { AuthUser, CurrentUser, Roles } from '../accounts/auth';
import {
  CreateWebhookDto,
  DeliveryIdParams,
  DeliveryListQuery,
  UpdateWebhookDto,
  WebhookIdParams,
} from './dto/webhook.dto';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { ApiResponse } from '@nestjs/swagger';
import { ApiReturns } from '../openapi/api-contract';

/** Webhook endpoints and their delivery logs: owners only, scoped to their organization (docs/webhooks.md). */
@Controller('admin/webhooks')
@Roles('owner')
export class WebhooksController {
  constructor(
    private readonly endpoints: WebhookEndpointsService,
    private readonly deliveries: WebhookDeliveriesService,
  ) {}

  @Get()
  @ApiReturns('WebhookListResponse')
  async list(@CurrentUser() user: AuthUser): Promise<WebhookListResponse> {
    return { endpoints: await this.endpoints.list(user.organization_id) };
  }

  @Post()
  @HttpCode(201)
  @ApiReturns('WebhookSecretResponse', 201)
  create(@CurrentUser() user: AuthUser, @Body() body: CreateWebhookDto): Promise<WebhookSecretResponse> {
    return this.endpoints.create(user.organization_id, user.id, body);
  }

  @Get(':id')
  @ApiReturns('WebhookEndpointView')
  get(@CurrentUser() user: AuthUser, @Param() { id }: WebhookIdParams): Promise<WebhookEndpointView> {
    return this.endpoints.get(user.organization_id, id);
  }

  @Patch(':id')
  @ApiReturns('WebhookEndpointView')
  update(
    @CurrentUser() user: AuthUser,
    @Param() { id }: WebhookIdParams,
    @Body() body: UpdateWebhookDto,
  ): Promise<WebhookEndpointView> {
    return this.endpoints.update(user.organization_id, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiResponse({ status: 204, description: 'Deleted' })
  remove(@CurrentUser() user: AuthUser, @Param() { id }: WebhookIdParams): Promise<void> {
    return this.endpoints.remove(user.organization_id, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiReturns('WebhookSecretResponse')
  rotate(@CurrentUser() user: AuthUser, @Param() { id }: WebhookIdParams): Promise<WebhookSecretResponse> {
    return this.endpoints.rotateSecret(user.organization_id, id);
  }

  @Get(':id/deliveries')
  @ApiReturns('WebhookDeliveryListResponse')
  deliveriesOf(
    @CurrentUser() user: AuthUser,
    @Param() { id }: WebhookIdParams,
    @Query() query: DeliveryListQuery,
  ): Promise<WebhookDeliveryListResponse> {
    return this.deliveries.list(user.organization_id, id, query.page ?? 1);
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @ApiReturns('WebhookDeliveryView', 202)
  redeliver(
    @CurrentUser() user: AuthUser,
    @Param() { id, deliveryId }: DeliveryIdParams,
  ): Promise<WebhookDeliveryView> {
    return this.deliveries.redeliver(user.organization_id, id, deliveryId);
  }
}

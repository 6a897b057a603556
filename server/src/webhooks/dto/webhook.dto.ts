import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import {
  WEBHOOK_DESCRIPTION_MAX,
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_URL_MAX,
  type CreateWebhookRequest,
  type UpdateWebhookRequest,
  type WebhookEventType,
} from '../../../../contracts/api';

const url = (): PropertyDecorator => {
  const decorators = [
    IsUrl(
      {
        protocols: ['http', 'https'],
        require_protocol: true,
        require_tld: false,
        require_valid_protocol: true,
      },
      { message: 'url must be an http:// or https:// URL' },
    ),
    MaxLength(WEBHOOK_URL_MAX),
  ];
  return (target, key) => decorators.forEach((d) => d(target, key));
};

const events = (): PropertyDecorator => {
  const decorators = [
    IsArray(),
    ArrayNotEmpty({ message: 'events must name at least one event' }),
    ArrayMaxSize(WEBHOOK_EVENT_TYPES.length),
    ArrayUnique(),
    IsIn(WEBHOOK_EVENT_TYPES, {
      each: true,
      message: `each event must be one of: ${WEBHOOK_EVENT_TYPES.join(', ')}`,
    }),
  ];
  return (target, key) => decorators.forEach((d) => d(target, key));
};

/** POST /api/admin/webhooks (owners). */
export class CreateWebhookDto implements CreateWebhookRequest {
  @url()
  url: string;

  @events()
  events: WebhookEventType[];

  @IsOptional()
  @IsString()
  @MaxLength(WEBHOOK_DESCRIPTION_MAX)
  description?: string;
}

/** PATCH /api/admin/webhooks/:id (owners). */
export class UpdateWebhookDto implements UpdateWebhookRequest {
  @IsOptional()
  @url()
  url?: string;

  @IsOptional()
  @events()
  events?: WebhookEventType[];

  @IsOptional()
  @IsString()
  @MaxLength(WEBHOOK_DESCRIPTION_MAX)
  description?: string;

  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class WebhookIdParams {
  @IsUUID('all', { message: 'id must be a UUID' })
  id: string;
}

export class DeliveryIdParams extends WebhookIdParams {
  @IsUUID('all', { message: 'deliveryId must be a UUID' })
  deliveryId: string;
}

export class DeliveryListQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  page?: number;
}

import { Module } from '@nestjs/common';
import { PriceTable } from './price-table';

/** Prices of model calls (docs/costs.md). */
@Module({
  providers: [PriceTable],
  exports: [PriceTable],
})
export class PricingModule {}

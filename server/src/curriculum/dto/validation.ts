import { Transform } from 'class-transformer';
import { ValidateIf } from 'class-validator';

/** Optional, but never null: for columns that are NOT NULL (`@IsOptional` would let `null` through). */
export const IsOptionalNonNull = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined);

/** Trims strings (titles), leaving other values for the validators to refuse. */
export const Trim = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

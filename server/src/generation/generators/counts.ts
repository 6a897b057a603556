import { InvalidInputError } from '../../common/domain-error';

/** `value` (or `fallback` when absent) if it is a whole number within `limits`; else an InvalidInputError. */
export function countWithin(
  name: string,
  value: number | undefined,
  fallback: number,
  limits: { min: number; max: number },
): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < limits.min || n > limits.max) {
    throw new InvalidInputError(`${name} must be a whole number from ${limits.min} to ${limits.max}`);
  }
  return n;
}

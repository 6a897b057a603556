import { jsonSchema, type JSONSchema7, type Schema } from 'ai';
import { z } from 'zod';
import { stripNulCharacters } from './strip-nul';

/** JSON Schema keywords strict structured-output modes (OpenAI's among them) reject; the prompt states them instead. */
const UNSUPPORTED_KEYWORDS = new Set(['minLength', 'maxLength', 'pattern', 'format', '$schema']);

function strip(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strip);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (UNSUPPORTED_KEYWORDS.has(key)) continue;
    // Keys of `properties` are field names, not keywords: keep them all.
    out[key] =
      key === 'properties'
        ? Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, strip(v)]))
        : strip(value);
  }
  return out;
}

/** The full JSON Schema of a zod schema (lengths included), for prompts in JSON mode. */
export function describeSchema(schema: z.ZodType): JSONSchema7 {
  return z.toJSONSchema(schema, { target: 'draft-7', io: 'output', unrepresentable: 'any' }) as JSONSchema7;
}

/**
 * The schema handed to the AI SDK: a JSON Schema providers accept (counts and enums kept, string lengths left to
 * the prompt), validated on our side with the full zod schema — so nothing that breaks a bound gets through.
 * NUL characters are removed before validation, so the bounds apply to what is stored.
 */
export function toWireSchema<T>(schema: z.ZodType<T>): Schema<T> {
  // Converting a zod schema to JSON Schema costs milliseconds of CPU: once per schema object, not once per call.
  const cached = wireSchemas.get(schema);
  if (cached) return cached as Schema<T>;
  const wire = jsonSchema<T>(strip(describeSchema(schema)) as JSONSchema7, {
    validate: (value) => {
      // U+0000 (from an escaped \u0000) is removed first: PostgreSQL cannot store it, and it is never content.
      const result = schema.safeParse(stripNulCharacters(value));
      return result.success ? { success: true, value: result.data } : { success: false, error: result.error };
    },
  });
  wireSchemas.set(schema, wire);
  return wire;
}

const wireSchemas = new WeakMap<z.ZodType, Schema<unknown>>();

import type { LanguageModelMiddleware } from 'ai';

/**
 * Models now and then emit U+0000, which PostgreSQL text and jsonb cannot store: it is removed from model output
 * before it is parsed and validated, so such an answer is neither a failed step nor a failed insert.
 * See docs/generation.md.
 */
const NUL = '\u0000';

/** `value` with U+0000 removed from every string (keys included); other values unchanged. */
export function stripNulCharacters<T>(value: T): T {
  if (typeof value === 'string') return (value.includes(NUL) ? value.replaceAll(NUL, '') : value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => stripNulCharacters(item)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value))
      out[key.replaceAll(NUL, '')] = stripNulCharacters(child);
    return out as T;
  }
  return value;
}

/**
 * Removes raw U+0000 from the answer's text (and tool-call input) before the SDK parses it as JSON: inside a JSON
 * string a raw control character is a parse error. Escaped ones (`\u0000`) are removed after parsing
 * (`stripNulCharacters` in the schema's validation).
 */
export const stripNulMiddleware: LanguageModelMiddleware = {
  specificationVersion: 'v3',
  wrapGenerate: async ({ doGenerate }) => {
    const result = await doGenerate();
    return {
      ...result,
      content: result.content.map((part) => {
        if (part.type === 'text' && part.text.includes(NUL))
          return { ...part, text: part.text.replaceAll(NUL, '') };
        if (part.type === 'tool-call' && part.input.includes(NUL))
          return { ...part, input: part.input.replaceAll(NUL, '') };
        return part;
      }),
    };
  },
};

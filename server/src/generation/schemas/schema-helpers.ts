import { z } from 'zod';

/** A trimmed, non-blank string of at most `max` characters. */
export const text = (max: number, min = 1): z.ZodString => z.string().trim().min(min).max(max);

/** Minutes a learner needs: a whole number from 5 to 240. */
export const estimatedMinutes = (): z.ZodNumber => z.number().int().min(5).max(240);

/** Fails when two titles in `items` are equal ignoring case and spacing. */
export function uniqueTitles<T extends { title: string }>(
  items: T[],
  ctx: z.RefinementCtx,
  path: string,
): void {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const key = item.title.toLowerCase().replace(/\s+/g, ' ').trim();
    if (seen.has(key)) {
      ctx.addIssue({
        code: 'custom',
        message: `duplicate title "${item.title}"`,
        path: [path, index, 'title'],
      });
    }
    seen.add(key);
  });
}

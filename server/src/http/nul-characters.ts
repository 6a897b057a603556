import type { NextFunction, Request, Response } from 'express';
import { InvalidInputError } from '../common/domain-error';

/**
 * PostgreSQL text and jsonb cannot hold U+0000: a NUL character reaching a query fails it with a 500. Requests are
 * checked once at the edge, so every endpoint answers 400 naming the field, before anything is written.
 */

/** The path (`projects[0].title`) of the first string or key holding U+0000 in `value`, or undefined. */
export function findNulCharacter(value: unknown, root = ''): string | undefined {
  // Iterative: a deeply nested body must not overflow the stack.
  const stack: { value: unknown; path: string }[] = [{ value, path: root }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return path || '(body)';
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], path: `${path}[${i}]` });
    } else if (current !== null && typeof current === 'object') {
      const entries = Object.entries(current);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i];
        const childPath = join(path, key.replaceAll('\u0000', '\\0'));
        if (key.includes('\u0000')) return childPath;
        stack.push({ value: child, path: childPath });
      }
    }
  }
  return undefined;
}

const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);

/** Throws InvalidInputError (400) `<path>: must not contain NUL characters` when `value` holds one. */
export function assertNoNulCharacters(value: unknown, root = ''): void {
  const path = findNulCharacter(value, root);
  if (path !== undefined) throw new InvalidInputError(`${path}: must not contain NUL characters`, { path });
}

/** Express middleware (after the body parsers): the parsed body and the query string. */
export function rejectNulCharacters(req: Request, _res: Response, next: NextFunction): void {
  try {
    assertNoNulCharacters(req.body);
    if (req.url.includes('%00')) assertNoNulCharacters(req.query, 'query');
    next();
  } catch (err) {
    next(err);
  }
}

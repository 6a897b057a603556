import { TAG_HEADER_PREFIX } from '../generation.constants';

/**
 * Request tags as HTTP headers `x-courseloom-<key>`. Keys are reduced to `[a-z0-9-]`, values to printable ASCII
 * (at most 200 characters), so a tag can never break a request.
 */
export function tagHeaders(tags: Record<string, string> | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [rawKey, rawValue] of Object.entries(tags ?? {})) {
    const key = rawKey
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '');
    if (!key || rawValue === undefined || rawValue === null) continue;
    const value = String(rawValue)
      .replace(/[^\x20-\x7e]+/g, ' ')
      .trim()
      .slice(0, 200);
    headers[`${TAG_HEADER_PREFIX}${key}`] = value;
  }
  return headers;
}

/** Only same-app paths are followed after sign-in: no `//host` or absolute URLs (open redirects). */
export function safeReturnUrl(value: string | null | undefined, fallback = '/curriculum'): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) {
    return fallback;
  }
  return value.startsWith('/login') ? fallback : value;
}

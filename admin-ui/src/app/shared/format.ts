/** Small pure formatters shared by the pages. */

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "2 min ago", "1 hr ago", "3 days ago"; "--" for no date. */
export function relativeTime(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) {
    return '--';
  }
  const then = Date.parse(iso);
  if (Number.isNaN(then)) {
    return '--';
  }
  const seconds = Math.max(0, Math.floor((now - then) / 1000));
  if (seconds < 45) {
    return 'just now';
  }
  if (seconds < HOUR) {
    return `${Math.max(1, Math.round(seconds / MINUTE))} min ago`;
  }
  if (seconds < DAY) {
    return `${Math.floor(seconds / HOUR)} hr ago`;
  }
  const days = Math.floor(seconds / DAY);
  return days === 1 ? '1 day ago' : `${days} days ago`;
}

/** "45s", "4m 32s", "1h 05m"; "--" while running (null). */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) {
    return '--';
  }
  const total = Math.round(seconds);
  if (total < MINUTE) {
    return `${total}s`;
  }
  if (total < HOUR) {
    return `${Math.floor(total / MINUTE)}m ${total % MINUTE}s`;
  }
  const minutes = Math.floor((total % HOUR) / MINUTE);
  return `${Math.floor(total / HOUR)}h ${String(minutes).padStart(2, '0')}m`;
}

/** "10:30:45" in the viewer's time zone (24-hour clock). */
export function clockTime(iso: string | Date): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(date.getTime())) {
    return '--:--:--';
  }
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

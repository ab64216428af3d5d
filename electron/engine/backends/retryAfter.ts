/**
 * `Retry-After` of a 429 or 503 answer (RFC 9110 §10.2.3): delay-seconds or an HTTP date. The wait
 * is capped, so a server asking for an hour does not stall a session that has other backends.
 */

/** The longest wait a `Retry-After` may impose before the pool moves on. */
export const MAX_RETRY_AFTER_MS = 30_000;

/** Milliseconds to wait, or null when the header is absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | null {
  if (!header) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Math.min(MAX_RETRY_AFTER_MS, Number(value) * 1000);
  const at = Date.parse(value);
  if (Number.isNaN(at)) return null;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, at - now));
}

// How a `Retry-After` is read, by the widget (proxy-client.ts) and the proxy (server/upstream.ts) alike. A file of
// its own rather than part of rules.ts: the script-tag file carries rules.ts (the launcher checks session ids and
// objects), and this is needed only once a reply has failed, by the conversation's code.

/** The longest wait a `Retry-After` is taken at: a wrong clock or a typo must not lock a retry for longer. */
const MAX_RETRY_AFTER = 86_400;

/**
 * `Retry-After` (delta-seconds or an HTTP date) as whole seconds from `now`, at most a day;
 * `undefined` when absent or unreadable.
 */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed), MAX_RETRY_AFTER);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.min(MAX_RETRY_AFTER, Math.max(0, Math.ceil((date - now) / 1000)));
}

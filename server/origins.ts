// The origin allowlist (ALLOWED_ORIGINS, allowedOrigins) as entries, and why an entry could never match an
// Origin header; shared by createProxy and the CLI's environment, so each names the setting it was given.
import { withoutCredentials } from './upstream.js';

/** The entries of a comma list or an array, trimmed, empty ones dropped. */
export function originEntries(allowed: string | readonly string[] | undefined): string[] {
  return (typeof allowed === 'string' ? allowed.split(',') : (allowed ?? [])).map((entry) => entry.trim()).filter(Boolean);
}

/**
 * Why browsers would never send this entry as their `Origin` (scheme, host and port only), or undefined
 * when they can: an origin (a trailing slash is allowed) or the lone `*`. `name` is the setting, for the message.
 */
export function originEntryProblem(entry: string, name: string): string | undefined {
  if (entry === '*') return undefined;
  const quoted = `${name} entry "${withoutCredentials(entry)}"`;
  if (entry.includes('*')) return `${quoted} has a wildcard inside it, which never matches: list each origin, or use * alone for any origin.`;
  let url: URL | undefined;
  try {
    url = new URL(entry);
  } catch {
    url = undefined;
  }
  if (!url || url.origin === 'null') return `${quoted} is not an origin like https://example.com.`;
  if (url.username || url.password || url.pathname !== '/' || url.search || url.hash || /[?#]/.test(entry)) {
    return `${quoted} is more than an origin: a browser's Origin is only scheme, host and port, like https://example.com, never a path, query or user.`;
  }
  return undefined;
}

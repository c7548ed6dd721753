// The rules the widget and the proxy share (server/ imports this file too): no DOM, no Node, so
// each side keeps the same rule rather than a copy that can drift.

/** A plain JSON object: not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A session id is an opaque token (UUIDs, ULIDs and the like), never free text, bounded to
 * something safe to store and send back. The widget and the proxy take the same ids both ways:
 * an id the agent hands out must be one the proxy takes back.
 */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export function isSessionId(value: unknown): value is string {
  return typeof value === 'string' && SESSION_ID_PATTERN.test(value);
}

/**
 * Hides `secret` (an API key, an account token) wherever it appears in a text, as `[redacted]`: the
 * proxy applies it to every string bound for a log line or an error message. No secret, no change.
 */
export function redactor(secret: string | undefined): (text: string) => string {
  return (text) => (secret && text.includes(secret) ? text.split(secret).join('[redacted]') : text);
}

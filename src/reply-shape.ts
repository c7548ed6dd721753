// The documented success shape (SPEC §2), read by the widget (proxy-client.ts) and the proxy (server/upstream.ts)
// alike. A file of its own rather than part of rules.ts, as retry-after.ts is: only the conversation's code reads
// replies, and the script-tag file carries rules.ts.
import { isRecord, isSessionId } from './rules.js';

/**
 * `{success: true, response, session_id, metadata}` with a string `response` and a `session_id` that can be sent
 * back (one the widget could not send back would end the conversation at its next message), rebuilt from those
 * fields; `undefined` when it does not hold. A `metadata` that is not an object (missing, `null`, a string) is `{}`:
 * the reply itself is still good. What it holds is as found: each side keeps what it takes from it.
 */
export function successShape(value: unknown): { success: true; response: string; session_id: string; metadata: Record<string, unknown> } | undefined {
  if (!isRecord(value) || value.success !== true || typeof value.response !== 'string' || !isSessionId(value.session_id)) return undefined;
  return { success: true, response: value.response, session_id: value.session_id, metadata: isRecord(value.metadata) ? value.metadata : {} };
}

// Feedback on replies: the body the widget POSTs, and its delivery to the site's webhook, signed, after the
// visitor has had the answer. Web-standard (fetch, crypto.subtle), like the proxy.
import { describeError } from './upstream.js';
import type { FeedbackRecord, FeedbackRequestBody } from './wire.js';
import { isSessionId, redactor } from '../src/rules.js';

/** The longest rated reply taken, in characters; longer gets 400. */
export const MAX_FEEDBACK_REPLY_CHARS = 8000;

export type ParsedFeedback = { ok: true; body: FeedbackRequestBody } | { ok: false; message: string };

/**
 * `{session_id, message_id, rating, reply?}`: ids are tokens by the session-id rule (the widget's message ids
 * are UUIDs, and it stores them by that rule), `rating` is `up`, `down` or `null` (cleared), `reply` a string
 * of at most MAX_FEEDBACK_REPLY_CHARS characters. Other fields are dropped, as chat drops them.
 */
export function parseFeedback(value: Record<string, unknown>, countCharacters: (text: string, limit: number) => number): ParsedFeedback {
  const { session_id: sessionId, message_id: messageId, rating, reply } = value;
  if (!isSessionId(sessionId)) return { ok: false, message: '"session_id" must be a token of up to 128 letters, digits and "-_.:".' };
  if (!isSessionId(messageId)) return { ok: false, message: '"message_id" must be a token of up to 128 letters, digits and "-_.:".' };
  if (rating !== 'up' && rating !== 'down' && rating !== null) return { ok: false, message: '"rating" must be "up", "down" or null.' };
  const body: FeedbackRequestBody = { session_id: sessionId, message_id: messageId, rating };
  if (reply === undefined || reply === null) return { ok: true, body };
  if (typeof reply !== 'string') return { ok: false, message: '"reply" must be a string.' };
  if (countCharacters(reply, MAX_FEEDBACK_REPLY_CHARS) > MAX_FEEDBACK_REPLY_CHARS) {
    return { ok: false, message: `"reply" is longer than ${MAX_FEEDBACK_REPLY_CHARS} characters.` };
  }
  return { ok: true, body: { ...body, reply } };
}

/** The record as it is sent and logged: the fields in a fixed order, `received_at` last. */
export function feedbackRecord(body: FeedbackRequestBody, receivedAt: Date): FeedbackRecord {
  return { ...body, received_at: receivedAt.toISOString() };
}

/** `sha256=` and the hex HMAC-SHA-256 of exactly these bytes under the secret: the `X-Thinnest-Signature` header. */
export async function signature(body: string, secret: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(body)));
  return `sha256=${Array.from(mac, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

export interface Webhook {
  url: string;
  secret: string;
  timeoutMs: number;
}

/**
 * POSTs one record to the webhook, once (no retry: a receiver that acted and then failed to answer would
 * count it twice). Resolves with `undefined` on a 2xx, or a one-line reason otherwise; never rejects, and the
 * reason names the webhook by its origin only, so no credentials, secret path or secret reach the log.
 */
export async function deliverFeedback(webhook: Webhook, record: FeedbackRecord, send: typeof fetch = fetch): Promise<string | undefined> {
  const target = new URL(webhook.url);
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-Thinnest-Signature': '' };
  // fetch refuses URLs with credentials; https://user:pass@host/ means Basic authentication.
  if (target.username || target.password) {
    headers.Authorization = `Basic ${btoa(`${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`)}`;
    target.username = '';
    target.password = '';
  }
  const body = JSON.stringify(record);
  headers['X-Thinnest-Signature'] = await signature(body, webhook.secret);
  const hide = [webhook.secret, webhook.url, target.href, headers.Authorization].map((secret) => redactor(secret));
  const name = `feedback webhook ${target.origin}`;
  try {
    const response = await send(target.href, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual', // the signature and credentials go to the configured URL only
      signal: AbortSignal.timeout(webhook.timeoutMs),
    });
    await response.body?.cancel().catch(() => {});
    if (response.status >= 200 && response.status <= 299) return undefined;
    return `${name} answered ${response.status}`;
  } catch (error) {
    if (error instanceof DOMException && error.name === 'TimeoutError') return `${name} did not answer within ${webhook.timeoutMs} ms`;
    return `${name} could not be reached: ${hide.reduce((text, redact) => redact(text), describeError(error)).slice(0, 300)}`;
  }
}

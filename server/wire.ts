// The shapes of SPEC §1 and §2, shared by the proxy, the mock agent and their tests.

/** What the widget POSTs and what the proxy forwards upstream: nothing else. */
export interface ChatRequestBody {
  message: string;
  session_id?: string;
}

/** The upstream success shape, which the proxy passes to the widget. */
export interface ChatSuccess {
  success: true;
  response: string;
  session_id: string;
  metadata: { model?: string; latency_ms?: number };
}

/** Stable error codes; the widget reads only the HTTP status, logs and tools read these. */
export type ProxyErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'not_found'
  | 'forbidden_origin'
  | 'payload_too_large'
  | 'rate_limited'
  | 'daily_limit'
  | 'upstream_error'
  | 'bad_gateway'
  | 'gateway_timeout'
  | 'method_not_allowed'
  | 'request_timeout'
  | 'headers_too_large'
  | 'internal_error'
  /** 499, logged and counted only: the visitor stopped waiting (the widget's stop button, or leaving), so nobody reads it. */
  | 'client_closed'
  /** 503: the proxy was shutting down and could wait no longer for the agent's answer (`interrupt()`); try again shortly. */
  | 'shutting_down';

export interface ChatFailure {
  success: false;
  error: { code: ProxyErrorCode; message: string };
}

/** The upstream chat URL for an agent. */
export function chatUrl(apiBase: string, agentId: string): string {
  return `${apiBase.replace(/\/+$/, '')}/v1/agents/${encodeURIComponent(agentId)}/chat`;
}

/** A rating of one reply: thumbs up, thumbs down, or cleared. */
export type FeedbackRating = 'up' | 'down' | null;

/** What the widget POSTs to the feedback route: nothing else is kept. */
export interface FeedbackRequestBody {
  session_id: string;
  message_id: string;
  rating: FeedbackRating;
  /** The rated reply's text, when the widget sends it. */
  reply?: string;
}

/** What the proxy POSTs to FEEDBACK_WEBHOOK_URL (signed) or logs: the feedback and when it arrived (ISO time). */
export interface FeedbackRecord extends FeedbackRequestBody {
  received_at: string;
}

/** The proxy's answer to accepted feedback (202): delivery happens afterwards, so it says only that it arrived. */
export interface FeedbackAccepted {
  success: true;
}

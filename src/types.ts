/** Who wrote a message. */
export type Role = 'user' | 'assistant';

/** Where a visitor's message stands. Assistant messages have no status. */
export type MessageStatus = 'pending' | 'failed';

/** A failed send, as a value: what went wrong in plain words and whether retrying can help. */
export interface ChatError {
  /** Stable machine-readable code, e.g. `timeout`, `rate_limited`, `server_error`. */
  code: string;
  /** HTTP status from the proxy, or 0 when no response arrived. */
  status: number;
  /** The reason in plain words, ready to show to a visitor. */
  message: string;
  /** Whether sending the same text again can succeed. */
  retryable: boolean;
  /** For `429`: seconds the proxy asked us to wait (`Retry-After`). */
  retryAfter?: number;
}

/** Facts the upstream returns about a reply. */
export interface ReplyMetadata {
  model?: string;
  latency_ms?: number;
  [key: string]: unknown;
}

/** One bubble of the transcript. Messages are immutable: a change makes a new object. */
export interface ChatMessage {
  /** Unique within the transcript. */
  id: string;
  role: Role;
  /** Visitor text (plain) or assistant reply (markdown source). */
  text: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  /** Visitor messages only: in flight or failed. Absent once delivered. */
  status?: MessageStatus;
  /** Why a failed message failed. */
  error?: ChatError;
  /** For a rate-limited failure: when a retry may go out (ms since the epoch). */
  retryAt?: number;
  /** Assistant messages: what the upstream said about the reply. */
  metadata?: ReplyMetadata;
}

/** A visitor's rating of a reply (`feedback`). */
export type Rating = 'up' | 'down';

/** The body the widget POSTs to `proxy-url`: exactly the upstream body. */
export interface ChatRequestBody {
  message: string;
  session_id?: string;
  /** With `page-context`: the page the message was written on; the proxy forwards it only with `PAGE_CONTEXT=1`. */
  page?: { path: string; title: string };
}

/** The documented success shape, from the upstream through the proxy. */
export interface ChatReplyBody {
  success: true;
  response: string;
  session_id: string;
  metadata?: ReplyMetadata;
}

/** The documented error shape. */
export interface ChatErrorBody {
  success: false;
  error: { code: string; message: string };
}

export type Persist = 'local' | 'session' | 'none';
export type Mode = 'inline' | 'bubble';
export type Position = 'bottom-right' | 'bottom-left';
export type Theme = 'auto' | 'light' | 'dark';

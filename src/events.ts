import type { Rating, ReplyMetadata } from './types.js';

/** Detail of `thinnest-chat-send`: the visitor is about to send this text. Cancelable. */
export interface SendEventDetail {
  message: string;
  sessionId: string;
}

/** Detail of `thinnest-chat-reply`: an assistant reply arrived. */
export interface ReplyEventDetail {
  message: string;
  sessionId: string;
  metadata: ReplyMetadata;
}

/** Detail of `thinnest-chat-error`: a send failed (or the widget is misconfigured). */
export interface ErrorEventDetail {
  code: string;
  status: number;
  message: string;
  retryable: boolean;
}

/** Detail of `thinnest-chat-session`: a session started, was adopted from the server, or reset. */
export interface SessionEventDetail {
  sessionId: string | null;
  previous: string | null;
}

/** Detail of `thinnest-chat-toggle`: the bubble opened or closed. */
export interface ToggleEventDetail {
  open: boolean;
}

/** Detail of `thinnest-chat-feedback`: the visitor rated a reply (`feedback`), or took the rating back (`null`). */
export interface FeedbackEventDetail {
  messageId: string;
  rating: Rating | null;
  sessionId: string | null;
  /** The rated reply's markdown. */
  message: string;
}

/** Every event the element fires, by name. */
export interface ThinnestChatEventMap {
  'thinnest-chat-send': CustomEvent<SendEventDetail>;
  'thinnest-chat-reply': CustomEvent<ReplyEventDetail>;
  'thinnest-chat-error': CustomEvent<ErrorEventDetail>;
  'thinnest-chat-session': CustomEvent<SessionEventDetail>;
  'thinnest-chat-toggle': CustomEvent<ToggleEventDetail>;
  'thinnest-chat-feedback': CustomEvent<FeedbackEventDetail>;
}

export type ThinnestChatEventName = keyof ThinnestChatEventMap;
type DetailOf<K extends ThinnestChatEventName> = ThinnestChatEventMap[K] extends CustomEvent<infer D> ? D : never;

/** Creates one of the element's events: always `bubbles` and `composed`; only send is cancelable. */
export function createChatEvent<K extends ThinnestChatEventName>(name: K, detail: DetailOf<K>): ThinnestChatEventMap[K] {
  return new CustomEvent(name, {
    detail,
    bubbles: true,
    composed: true,
    cancelable: name === 'thinnest-chat-send',
  }) as ThinnestChatEventMap[K];
}

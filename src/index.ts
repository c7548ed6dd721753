/**
 * thinnest-chat: importing this module defines `<thinnest-chat>`.
 * @packageDocumentation
 */
import './define.js';

export { ThinnestChat } from './thinnest-chat.js';
export type {
  ErrorEventDetail,
  FeedbackEventDetail,
  ReplyEventDetail,
  SendEventDetail,
  SessionEventDetail,
  ThinnestChatEventMap,
  ThinnestChatEventName,
  ToggleEventDetail,
} from './events.js';
export { englishStrings } from './english.js';
export type { ChatStrings } from './strings.js';
// Locales are separate modules (`thinnest-chat/locales/de` …), never imported here: the script-tag file stays small.
export { LOCALE_EVENT, registerLocale } from './locale-registry.js';
export type { ChatError, ChatMessage, Mode, Persist, Position, ReplyMetadata, Theme } from './types.js';

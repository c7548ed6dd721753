/**
 * thinnest-chat: importing this module defines `<thinnest-chat>`.
 * @packageDocumentation
 */
import './define.js';
export { ThinnestChat } from './thinnest-chat.js';
export type { ErrorEventDetail, ReplyEventDetail, SendEventDetail, SessionEventDetail, ThinnestChatEventMap, ThinnestChatEventName, ToggleEventDetail, } from './events.js';
export { englishStrings, type ChatStrings } from './strings.js';
export type { ChatError, ChatMessage, Mode, Persist, Position, ReplyMetadata, Theme } from './types.js';

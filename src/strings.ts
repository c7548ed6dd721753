import type { answeredFailureEnglish } from './answered-failure-strings.js';
import type { teaserEnglish } from './teaser-strings.js';
import type { feedbackEnglish } from './feedback-strings.js';
import type { waitingEnglish } from './waiting-strings.js';
import type { dataControlsEnglish } from './data-controls-strings.js';
import { isRecord } from './rules.js';

/**
 * Every user-visible text of the widget, including accessible names. `{name}` placeholders
 * are filled by `format()`. Site owners override any subset through the `strings` property
 * (or the `strings` JSON attribute); missing keys fall back to English one by one.
 *
 * The English here is what the launcher file shows. A key shown only by a chunk's code is not here:
 * its English is kept in that chunk (`*-strings.ts`), which falls back to it when no locale or override
 * sets the key; english.ts joins them all into the whole English the package exports as `englishStrings`.
 */
export const launcherEnglish = {
  chatTitle: 'Chat',
  placeholder: 'Type a message…',
  transcriptLabel: 'Conversation',
  composerLabel: 'Message',
  sendButton: 'Send message',
  stopButton: 'Stop',
  retryButton: 'Retry sending',
  retryIn: 'Retry in {seconds} s',
  editButton: 'Edit',
  newSessionButton: 'Start a new conversation',
  downloadConversation: 'Download conversation',
  deleteConversation: 'Delete conversation',
  copyCode: 'Copy code',
  copied: 'Copied',
  copyReply: 'Copy reply',
  replyShortened: '(reply shortened)',
  openChat: 'Open chat',
  closeChat: 'Close chat',
  suggestionsLabel: 'Suggestions',
  typing: 'The assistant is typing…',
  you: 'You',
  assistant: 'Assistant',
  sending: 'Sending…',
  notDelivered: 'Not delivered',
  counter: '{count} / {max}',
  tooLong: 'Over the limit by {over}.',
  unreadLabel: 'New reply',
  errorBadGateway: 'The chat service could not be reached. Try again.',
  errorTimeout: 'No answer after {seconds} s. Check your connection and try again.',
  errorNetwork: 'The connection dropped before a reply arrived. Try again.',
  errorOffline: 'You are offline. Your message is kept here: retry once you are back online.',
  errorStopped: 'Stopped before a reply arrived.',
  errorInterrupted: 'This message may not have been delivered.',
  errorMisconfigured: 'The chat is not set up correctly on this site.',
};

/** The words a chunk keeps the English of (a failure the proxy answered, the teaser's, the rating controls', a long wait's, deleting the conversation). */
type ChunkStrings = typeof answeredFailureEnglish & typeof teaserEnglish & typeof feedbackEnglish & typeof waitingEnglish & typeof dataControlsEnglish;
/** The widget's words as it resolves them: a chunk's, absent in English, fall back to the English that chunk keeps. */
export type ChatStrings = typeof launcherEnglish & Partial<ChunkStrings>;
/** Every word of the widget: a locale has them all. */
export type LocaleStrings = Required<ChatStrings>;
export type StringKey = keyof ChatStrings;

/** Fills `{name}` placeholders. Unknown placeholders stay as they are. */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : whole,
  );
}

/**
 * English with each layer laid over it in turn (a locale, then the site's overrides), key by
 * key: a key a layer lacks keeps the one below. Non-string values are ignored; a key no code
 * reads is carried along and never shown.
 */
export function resolveStrings(...layers: unknown[]): ChatStrings {
  const result: Record<string, string> = { ...launcherEnglish };
  for (const layer of layers) {
    if (!isRecord(layer)) continue;
    for (const [key, value] of Object.entries(layer)) if (typeof value === 'string') result[key] = value;
  }
  return result as ChatStrings;
}

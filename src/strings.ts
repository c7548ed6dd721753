/**
 * Every user-visible text of the widget, including accessible names. `{name}` placeholders
 * are filled by `format()`. Site owners override any subset through the `strings` property
 * (or the `strings` JSON attribute); missing keys fall back to English one by one.
 *
 * The English here is what the launcher file shows. A key shown only by a chunk's code is empty
 * here, and its English is kept in that chunk (`*-strings.ts`), which falls back to it; english.ts
 * joins them into the whole English the package exports as `englishStrings`.
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
  copyCode: 'Copy code',
  copied: 'Copied',
  copyReply: 'Copy reply',
  // With `feedback` on, in feedback-strings.ts:
  feedbackUp: '',
  feedbackDown: '',
  feedbackThanks: '',
  feedbackRemoved: '',
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
  dismissTeaser: '', // teaser-strings.ts
  // A failure's words (but errorBadGateway, which the element shows when the conversation's code cannot be fetched),
  // in failure-strings.ts:
  errorBadRequest: '',
  errorUnavailable: '',
  errorTooLarge: '',
  errorRateLimited: '',
  errorRateLimitedFor: '',
  errorDailyLimit: '',
  errorServer: '',
  errorBadGateway: 'The chat service could not be reached. Try again.',
  errorBusy: '',
  errorGatewayTimeout: '',
  errorTimeout: '',
  errorNetwork: '',
  errorOffline: '',
  errorInvalidResponse: '',
  errorStopped: '',
  errorInterrupted: '',
  errorMisconfigured: '',
  errorUnknown: '',
};

export type ChatStrings = typeof launcherEnglish;
export type StringKey = keyof ChatStrings;

/** Fills `{name}` placeholders. Unknown placeholders stay as they are. */
export function format(template: string, values: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : whole,
  );
}

/**
 * English with each layer laid over it in turn (a locale, then the site's overrides), key by
 * key: a key a layer lacks keeps the one below. Non-string values are ignored.
 */
export function resolveStrings(...layers: unknown[]): ChatStrings {
  const result: ChatStrings = { ...launcherEnglish };
  for (const layer of layers) {
    if (!layer || typeof layer !== 'object') continue;
    for (const key of Object.keys(launcherEnglish) as StringKey[]) {
      const value = (layer as Record<string, unknown>)[key];
      if (typeof value === 'string') result[key] = value;
    }
  }
  return result;
}

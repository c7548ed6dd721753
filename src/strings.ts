/**
 * Every user-visible text of the widget, including accessible names. `{name}` placeholders
 * are filled by `format()`. Site owners override any subset through the `strings` property
 * (or the `strings` JSON attribute); missing keys fall back to English one by one.
 */
export const englishStrings = {
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
  // English in teaser.ts (ENGLISH_DISMISS), the only code that shows it: the launcher file has no room for it.
  dismissTeaser: '',
  errorBadRequest: 'The chat could not accept this message. Try rewording or shortening it.',
  errorUnavailable: 'The chat is unavailable right now. Please try again later or contact the site another way.',
  errorTooLarge: 'This message is too long to send. Shorten it and try again.',
  errorRateLimited: 'Too many messages in a short time. Wait a moment, then retry.',
  errorRateLimitedFor: 'Too many messages in a short time. You can retry in {seconds} s.',
  // English in proxy-client.ts (ENGLISH_DAILY_LIMIT), the only code that shows it: the launcher file has no room for it.
  errorDailyLimit: '',
  errorServer: 'The assistant ran into a problem answering. Try again.',
  errorBadGateway: 'The chat service could not be reached. Try again.',
  errorBusy: 'The chat service is busy. Try again in a moment.',
  errorGatewayTimeout: 'The assistant took too long to answer. Try again.',
  errorTimeout: 'No answer after {seconds} s. Check your connection and try again.',
  errorNetwork: 'The connection dropped before a reply arrived. Try again.',
  errorOffline: 'You are offline. Your message is kept here: retry once you are back online.',
  errorInvalidResponse: 'The chat sent back a reply it could not read. Try again.',
  errorStopped: 'Stopped before a reply arrived.',
  errorInterrupted: 'This message may not have been delivered.',
  errorMisconfigured: 'The chat is not set up correctly on this site.',
  errorUnknown: 'Something went wrong (error {status}). Try again.',
};

export type ChatStrings = typeof englishStrings;
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
  const result: ChatStrings = { ...englishStrings };
  for (const layer of layers) {
    if (!layer || typeof layer !== 'object') continue;
    for (const key of Object.keys(englishStrings) as StringKey[]) {
      const value = (layer as Record<string, unknown>)[key];
      if (typeof value === 'string') result[key] = value;
    }
  }
  return result;
}

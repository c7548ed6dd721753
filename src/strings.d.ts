/**
 * Every user-visible text of the widget, including accessible names. `{name}` placeholders
 * are filled by `format()`. Site owners override any subset through the `strings` property
 * (or the `strings` JSON attribute); missing keys fall back to English one by one.
 */
export declare const englishStrings: {
    chatTitle: string;
    placeholder: string;
    transcriptLabel: string;
    composerLabel: string;
    sendButton: string;
    stopButton: string;
    retryButton: string;
    retryIn: string;
    newSessionButton: string;
    copyCode: string;
    copied: string;
    openChat: string;
    closeChat: string;
    suggestionsLabel: string;
    typing: string;
    you: string;
    assistant: string;
    sending: string;
    notDelivered: string;
    counter: string;
    tooLong: string;
    unreadLabel: string;
    errorBadRequest: string;
    errorUnavailable: string;
    errorTooLarge: string;
    errorRateLimited: string;
    errorRateLimitedFor: string;
    errorServer: string;
    errorBadGateway: string;
    errorBusy: string;
    errorGatewayTimeout: string;
    errorTimeout: string;
    errorNetwork: string;
    errorOffline: string;
    errorInvalidResponse: string;
    errorStopped: string;
    errorInterrupted: string;
    errorMisconfigured: string;
    errorUnknown: string;
};
export type ChatStrings = typeof englishStrings;
export type StringKey = keyof ChatStrings;
/** Fills `{name}` placeholders. Unknown placeholders stay as they are. */
export declare function format(template: string, values?: Record<string, string | number>): string;
/** English with the overrides laid over it, key by key; non-string overrides are ignored. */
export declare function resolveStrings(overrides: unknown): ChatStrings;

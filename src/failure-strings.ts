// The English of a failed send's words. They are shown only by the conversation's code (proxy-client.ts),
// so they are fetched with it rather than kept in the launcher file, where their keys in `englishStrings`
// (strings.ts) are empty; `describeFailure` falls back to these for a key no locale or override sets.
// english.ts puts them back into the whole English that the package exports.
export const failureEnglish = {
  errorBadRequest: 'The chat could not accept this message. Try rewording or shortening it.',
  errorUnavailable: 'The chat is unavailable right now. Please try again later or contact the site another way.',
  errorTooLarge: 'This message is too long to send. Shorten it and try again.',
  errorRateLimited: 'Too many messages in a short time. Wait a moment, then retry.',
  errorRateLimitedFor: 'Too many messages in a short time. You can retry in {seconds} s.',
  errorDailyLimit: 'This chat has reached its limit for today. Please come back tomorrow.',
  errorServer: 'The assistant ran into a problem answering. Try again.',
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

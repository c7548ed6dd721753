// The English of a failed send's words when the proxy answered (a status it sent, or a reply that is not
// the documented JSON). A chunk of its own, fetched with the first such failure (proxy-client.ts): the
// proxy, and so the network, is there then. A page in a registered language never needs it, nor a
// conversation without such a failure.
export const answeredFailureEnglish = {
  errorBadRequest: 'The chat could not accept this message. Try rewording or shortening it.',
  errorUnavailable: 'The chat is unavailable right now. Please try again later or contact the site another way.',
  errorTooLarge: 'This message is too long to send. Shorten it and try again.',
  errorRateLimited: 'Too many messages in a short time. Wait a moment, then retry.',
  errorRateLimitedFor: 'Too many messages in a short time. You can retry in {seconds} s.',
  errorDailyLimit: 'This chat has reached its limit for today. Please come back tomorrow.',
  errorServer: 'The assistant ran into a problem answering. Try again.',
  errorBusy: 'The chat service is busy. Try again in a moment.',
  errorGatewayTimeout: 'The assistant took too long to answer. Try again.',
  errorInvalidResponse: 'The chat sent back a reply it could not read. Try again.',
  errorUnknown: 'Something went wrong (error {status}). Try again.',
};

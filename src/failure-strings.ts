// The English of a failed send's words when the proxy did not answer (no connection, no answer in time,
// stopped, interrupted, misconfigured). They are shown only by the conversation's code (proxy-client.ts),
// so they are fetched with it rather than kept in the launcher file, where their keys in `launcherEnglish`
// (strings.ts) are empty; `describeFailure` falls back to these for a key no locale or override sets. The
// words of failures the proxy answered are answered-failure-strings.ts. english.ts puts them all back
// into the whole English that the package exports.
export const failureEnglish = {
  errorTimeout: 'No answer after {seconds} s. Check your connection and try again.',
  errorNetwork: 'The connection dropped before a reply arrived. Try again.',
  errorOffline: 'You are offline. Your message is kept here: retry once you are back online.',
  errorStopped: 'Stopped before a reply arrived.',
  errorInterrupted: 'This message may not have been delivered.',
  errorMisconfigured: 'The chat is not set up correctly on this site.',
};

// The English of what the typing indicator says while a reply is long in coming (waiting.ts), fetched with
// that code once a reply has been awaited 3 s, rather than kept in the launcher file; english.ts joins
// them into the whole English.
export const waitingEnglish = {
  usualWait: 'Usually replies in about {seconds} seconds',
  longWait: 'Still working on a reply…',
};

// The English of a reply's rating controls, fetched with their code (feedback.ts) rather than kept in the
// launcher file, where their keys in `launcherEnglish` (strings.ts) are empty; english.ts joins them into the
// whole English.
export const feedbackEnglish = {
  feedbackUp: 'Good reply',
  feedbackDown: 'Bad reply',
  feedbackThanks: 'Thanks for your feedback',
  feedbackRemoved: 'Rating removed',
};

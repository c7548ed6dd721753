// The teaser's own words in English, fetched with its code (teaser.ts) rather than kept in the launcher
// file, where the key in `launcherEnglish` (strings.ts) is empty; english.ts joins them into the whole English.
export const teaserEnglish = {
  dismissTeaser: 'Dismiss',
};

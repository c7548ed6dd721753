// The widget's whole English, as the package exports it (`englishStrings`): the launcher file's words
// (strings.ts) with those that chunks keep beside their code. A translation starts from this; the
// widget itself never imports it (the script-tag file would carry every chunk's words).
import { launcherEnglish, type LocaleStrings } from './strings.js';
import { answeredFailureEnglish } from './answered-failure-strings.js';
import { teaserEnglish } from './teaser-strings.js';
import { feedbackEnglish } from './feedback-strings.js';
import { waitingEnglish } from './waiting-strings.js';
import { dataControlsEnglish } from './data-controls-strings.js';

export const englishStrings: LocaleStrings = { ...launcherEnglish, ...answeredFailureEnglish, ...teaserEnglish, ...feedbackEnglish, ...waitingEnglish, ...dataControlsEnglish };

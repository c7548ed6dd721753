import type { ChatStrings } from './strings.js';

/**
 * Fired on `window` when a locale is registered, so widgets already on the page switch to it
 * (a script-tag locale file may load after the widget). `detail: {lang}`.
 */
export const LOCALE_EVENT = 'thinnest-chat-locale';

type Registry = Record<string, Partial<ChatStrings>>;

// On globalThis under a shared symbol: the script-tag bundle and each locale file carry their own
// copy of this module, and all of them must feed one lookup.
const KEY = Symbol.for('thinnest-chat.locales');

function registry(): Registry {
  const global = globalThis as unknown as Record<symbol, Registry | undefined>;
  return (global[KEY] ??= {});
}

/**
 * Makes a translation available to every `<thinnest-chat>` whose language (its `lang`, an
 * ancestor's, or the page's) is `lang`, or a region of it: `de` serves `de-AT`. Keys left out
 * fall back to English; the `strings` property still overrides any key. The modules
 * `thinnest-chat/locales/*` call this when imported; call it yourself for another language.
 */
export function registerLocale(lang: string, strings: Partial<ChatStrings>): void {
  registry()[lang.toLowerCase()] = strings;
  globalThis.dispatchEvent?.(new CustomEvent(LOCALE_EVENT, { detail: { lang } }));
}

/** The registered translation for `lang`, dropping subtags until one matches (`pt-BR` → `pt`). */
export function localeStrings(lang: string): Partial<ChatStrings> | undefined {
  const locales = registry();
  for (let tag = lang.toLowerCase().replace(/_/g, '-'); tag; tag = tag.slice(0, Math.max(0, tag.lastIndexOf('-')))) {
    if (Object.hasOwn(locales, tag)) return locales[tag];
  }
  return undefined;
}

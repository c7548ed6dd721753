// The time under each message, in the widget's language: part of the conversation's code.

/** Formatters per kind and language tag, shared by every widget on the page. */
const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * The formatter of `options` in `lang` (the browser's own language when that is empty or not a valid tag), made once
 * per page for each `kind` of options and language.
 */
export function formatterIn(lang: string, kind: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${kind}${lang}`;
  let format = formats.get(key);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat(lang || undefined, options);
    } catch {
      // Not a valid language tag: the browser's own locale.
      format = new Intl.DateTimeFormat(undefined, options);
    }
    formats.set(key, format);
  }
  return format;
}

/** A message's time in `lang`, with the date when it is not today. */
export function messageTime(lang: string, ms: number): string {
  const today = new Date(ms).toDateString() === new Date().toDateString();
  return formatterIn(lang, String(today), today ? { timeStyle: 'short' } : { dateStyle: 'short', timeStyle: 'short' }).format(ms);
}

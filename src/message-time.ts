// The time under each message, in the widget's language: part of the conversation's code.

/** Formatters per language tag and kind (time today, date and time before), shared by every widget on the page. */
const formats = new Map<string, Intl.DateTimeFormat>();

/** A message's time in `lang` (the browser's own language when that is empty or not a valid tag), with the date when it is not today. */
export function messageTime(lang: string, ms: number): string {
  const today = new Date(ms).toDateString() === new Date().toDateString();
  const key = `${today}${lang}`;
  let format = formats.get(key);
  if (!format) {
    const options: Intl.DateTimeFormatOptions = today ? { timeStyle: 'short' } : { dateStyle: 'short', timeStyle: 'short' };
    try {
      format = new Intl.DateTimeFormat(lang || undefined, options);
    } catch {
      // Not a valid language tag: the browser's own locale.
      format = new Intl.DateTimeFormat(undefined, options);
    }
    formats.set(key, format);
  }
  return format.format(ms);
}

// The time under each message, in the widget's language: part of the conversation's code.

interface Formats {
  make: (options: Intl.DateTimeFormatOptions) => Intl.DateTimeFormat;
  time?: Intl.DateTimeFormat;
  dateTime?: Intl.DateTimeFormat;
  /** Text already written, per minute: a conversation has many messages a minute. */
  seen: Map<string, string>;
}

/** Per language tag, shared by every widget on the page. */
const languages = new Map<string, Formats>();

/** A message's time in `lang` (the browser's own language when that is empty or not a valid tag), with the date when it is not today. */
export function messageTime(lang: string, ms: number): string {
  let formats = languages.get(lang);
  if (!formats) {
    const make = (options: Intl.DateTimeFormatOptions) => {
      try {
        return new Intl.DateTimeFormat(lang || undefined, options);
      } catch {
        // Not a valid language tag: the browser's own locale.
        return new Intl.DateTimeFormat(undefined, options);
      }
    };
    languages.set(lang, (formats = { make, seen: new Map() }));
  }
  // Times are shown to the minute, and a conversation has many messages a minute: each minute is written once.
  const start = new Date().setHours(0, 0, 0, 0);
  const today = ms >= start && ms < new Date(start).setDate(new Date(start).getDate() + 1);
  const key = `${today ? 't' : 'd'}${Math.floor(ms / 60_000)}`;
  let text = formats.seen.get(key);
  if (text === undefined) {
    if (formats.seen.size > 500) formats.seen.clear();
    // Made on first need: the first formatter a page makes costs it the most.
    const format = today
      ? (formats.time ??= formats.make({ timeStyle: 'short' }))
      : (formats.dateTime ??= formats.make({ dateStyle: 'short', timeStyle: 'short' }));
    text = format.format(ms);
    formats.seen.set(key, text);
  }
  return text;
}

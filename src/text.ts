/** A message's length as the counter and `max-length` count it: in characters, so an emoji is one (as the proxy counts). */
export const characters = (text: string) => [...text.trim()].length;

/**
 * Whether a message says nothing: only white space and characters that show nothing (zero-width
 * space, joiners, word joiner, byte order mark). Such a message is never sent.
 */
export const isBlank = (text: string) => /^[\s\u200b-\u200d\u2060\ufeff]*$/.test(text);

/**
 * Whether markdown would show `text` just as it is: one line with none of the characters markdown gives a
 * meaning to, no list or code-block start, and no web address (GFM links those). Such text (a welcome
 * message like "Hi! How can I help?") is shown without fetching or running the markdown renderer.
 */
export const isPlainText = (text: string) => /^(?![ \t]|[-+*] |\d+[.)] )[^\n\r\\`*_~[\]<>#|&@]*$/.test(text) && !/:\/\/|www\./i.test(text);

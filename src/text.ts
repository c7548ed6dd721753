/** A message's length as the counter and `max-length` count it: in characters, so an emoji is one (as the proxy counts). */
export const characters = (text: string) => [...text.trim()].length;

/**
 * Whether a message says nothing: only white space and characters that show nothing (zero-width
 * space, joiners, word joiner, byte order mark). Such a message is never sent.
 */
export const isBlank = (text: string) => /^[\s\u200b-\u200d\u2060\ufeff]*$/.test(text);

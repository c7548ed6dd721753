/** A message's length as the counter and `max-length` count it: in characters, so an emoji is one (as the proxy counts). */
export const characters = (text: string) => [...text.trim()].length;

/**
 * Whether a message says nothing: only white space and characters Unicode says show nothing by themselves
 * (Default_Ignorable_Code_Point: zero-width spaces and joiners, the word joiner, the byte order mark, direction
 * marks, the soft hyphen, variation selectors, Hangul fillers…). Such a message is never sent; the proxy refuses it.
 */
export const isBlank = (text: string) => /^[\s\p{DI}]*$/u.test(text);

/**
 * Whether markdown would show `text` just as it is: one line with none of the characters markdown gives a
 * meaning to, no web address or email (GFM links those), and no start that could open a list or a code
 * block (white space, a digit, + or -). Such text (a welcome message like "Hi! How can I help?") is shown
 * without fetching or running the markdown renderer; text it cannot be sure of is rendered as markdown.
 */
export const isPlainText = (text: string) => !/[\n\\`*_~[\]<>#|&@]|:\/\/|www\.|^[\s\d+-]/i.test(text);

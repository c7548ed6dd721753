// The element's attributes that hold JSON.
import type { ChatStrings } from './strings.js';
import { isRecord } from './rules.js';

/** A JSON attribute: a value `valid` refuses (or that is not JSON) is ignored with a warning showing an example. */
function jsonAttribute<T>(name: string, valid: (value: unknown) => boolean, example: string, empty: () => T) {
  return {
    fromAttribute(value: string | null): T {
      if (!value) return empty();
      try {
        const parsed: unknown = JSON.parse(value);
        if (valid(parsed)) return parsed as T;
      } catch {
        // Reported below.
      }
      console.warn(`thinnest-chat: the ${name} attribute must be ${example}.`);
      return empty();
    },
  };
}

export const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

/** `suggestions`: a JSON array of strings. */
export const suggestionsAttribute = jsonAttribute<string[]>('suggestions', isStringList, 'a JSON array of strings, e.g. \'["Hi", "Pricing?"]\'', () => []);

/**
 * The `suggestions` property as set: a framework may hand it the attribute's JSON (Vue, Svelte), read as the attribute
 * would be (an array of anything but strings, as its text, fails that check too and is none).
 */
export const asSuggestions = (value: unknown): string[] => (isStringList(value) ? value : suggestionsAttribute.fromAttribute(value as string));

/** `strings`: a JSON object of text overrides. */
export const stringsAttribute = jsonAttribute<Partial<ChatStrings>>('strings', isRecord, 'a JSON object, e.g. \'{"sendButton": "Senden"}\'', () => ({}));

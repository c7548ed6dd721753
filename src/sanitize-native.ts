// The browser's own HTML Sanitizer API (`Element.setHTML`): where it exists, replies are sanitized
// by the platform and DOMPurify is never fetched. Then the shared walk enforces the allowlist.
import { ALLOWED_ATTR, DROP_WITH_CONTENT, enforcePolicy } from './sanitize-policy.js';

/** The Sanitizer API's configuration dictionary, as Chromium and Firefox ship it (not yet in TypeScript's DOM types). */
interface SanitizerConfig {
  removeElements: (string | { name: string; namespace: string })[];
  attributes: string[];
  comments: boolean;
  dataAttributes: boolean;
}
type SetHTML = (html: string, options: { sanitizer: SanitizerConfig }) => void;

/**
 * Elements off the allowlist are left to the walk, which keeps their text as DOMPurify does (an
 * element list here would drop `<answer>42</answer>` whole). setHTML always removes what can run
 * script, whatever the configuration; the attribute allowlist is the platform's to enforce.
 */
const CONFIG: SanitizerConfig = {
  removeElements: [
    ...DROP_WITH_CONTENT,
    { name: 'svg', namespace: 'http://www.w3.org/2000/svg' },
    { name: 'math', namespace: 'http://www.w3.org/1998/Math/MathML' },
  ],
  attributes: ALLOWED_ATTR,
  comments: false,
  dataAttributes: false,
};

/** Whether this browser has the HTML Sanitizer API. */
export function hasSanitizerApi(): boolean {
  return typeof Element !== 'undefined' && typeof (Element.prototype as { setHTML?: unknown }).setHTML === 'function';
}

let inert: Document | undefined;

/**
 * Sanitizes HTML with `Element.setHTML` into a fragment of the page's document. Parsed in an inert
 * document (no scripts, no fetches) and cleaned there, so an image is lazy before it could load.
 * setHTML takes a plain string and is not a Trusted Types sink: no policy is needed.
 */
export function sanitizeNative(html: string): DocumentFragment {
  inert ??= document.implementation.createHTMLDocument('');
  const holder = inert.createElement('div');
  (holder as unknown as { setHTML: SetHTML }).setHTML(html, { sanitizer: CONFIG });
  enforcePolicy(holder);
  const fragment = inert.createDocumentFragment();
  fragment.append(...holder.childNodes);
  return document.adoptNode(fragment);
}

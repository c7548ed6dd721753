// DOMPurify, for browsers without the HTML Sanitizer API: a chunk of its own, fetched only there
// (src/markdown.ts imports it on need). The shared walk then enforces the allowlist, as on the native path.
import DOMPurify from 'dompurify';
import { ALLOWED_ATTR, ALLOWED_TAGS, enforcePolicy } from './sanitize-policy.js';

/** Sanitizes HTML with DOMPurify into a fragment of the page's document. */
export function sanitizeWithDOMPurify(html: string): DocumentFragment {
  // No hook: DOMPurify's hooks are global to its instance, which the page may share; the walk does their work.
  const fragment = DOMPurify.sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    RETURN_DOM_FRAGMENT: true,
  }) as DocumentFragment | null;
  // A <frameset> replaces the parsed body and DOMPurify then returns nothing: nothing is what we show.
  if (!fragment) return document.createDocumentFragment();
  // Still in DOMPurify's inert document: clean it there, then move it to the page's.
  enforcePolicy(fragment);
  return document.adoptNode(fragment);
}

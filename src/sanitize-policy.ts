// What a reply may keep, and the walk that enforces it on a sanitized tree whichever sanitizer ran
// first (the browser's HTML Sanitizer API or DOMPurify): so both give the same allowlisted result.

/** Tags a reply may keep: what GFM produces, nothing that runs, loads a page or takes input. */
export const ALLOWED_TAGS = [
  'a', 'b', 'blockquote', 'br', 'code', 'del', 'em', 'hr', 'i', 'img', 'kbd', 'li', 'ol', 'p',
  'pre', 's', 'span', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul',
];
/**
 * Attributes a reply may keep. Not `colspan` or `rowspan`: markdown tables never make them, and a few
 * kilobytes of cells spanning a thousand rows and columns freeze the page's table layout for seconds.
 */
export const ALLOWED_ATTR = ['href', 'title', 'src', 'alt', 'align', 'start', 'class', 'lang', 'dir'];
/**
 * Elements removed with their content; any other element off the allowlist is unwrapped and its
 * text kept. DOMPurify's default FORBID_CONTENTS, plus what the Sanitizer API drops whole anyway.
 */
export const DROP_WITH_CONTENT = [
  'annotation-xml', 'audio', 'colgroup', 'desc', 'embed', 'foreignobject', 'frame', 'frameset', 'head', 'iframe', 'math', 'mi', 'mn',
  'mo', 'ms', 'mtext', 'noembed', 'noframes', 'noscript', 'object', 'plaintext', 'script', 'selectedcontent', 'style', 'svg',
  'template', 'title', 'video', 'xmp',
];
const LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:']);
const IMAGE_SCHEMES = new Set(['http:', 'https:']);
/** Only the classes marked writes for us (and fenced-code languages) survive: a reply cannot pose as a copy button, table or note. */
const SAFE_CLASS = /^(?:md-heading|md-h[1-6]|language-[\w+-]{1,40})$/;
/** Characters some URL reader might skip: `\u2028javascript:` is a relative link to the browser, a script URL to a lenient one. */
const IGNORABLE_IN_URL = /[\u0000-\u0020\u007f-\u00a0\u1680\u180e\u2000-\u2029\u205f\u3000\ufeff]/g;
/** A value that would end a comment or raw-text element if the markup were ever serialized and parsed again (DOMPurify's SAFE_FOR_XML). */
const BREAKOUT = /(?:--!?|\])>|<\/(?:style|script|title|xmp|textarea|noscript|iframe|noembed|noframes)/i;
const HTML_NAMESPACE = 'http://www.w3.org/1999/xhtml';
const allowedTags = new Set(ALLOWED_TAGS);
const allowedAttributes = new Set(ALLOWED_ATTR);
const dropWithContent = new Set(DROP_WITH_CONTENT);

/**
 * Whether a URL from a reply may stay, its scheme one of `schemes`: links may be http(s) or mailto, images http(s) only.
 * Parsed the way the browser will parse it, and again without any whitespace or control character
 * (as DOMPurify reads it), so case, entity, whitespace and control-character tricks do not pass.
 */
export function isAllowedUrl(value: string, schemes: Set<string>): boolean {
  return [value, value.replace(IGNORABLE_IN_URL, '')].every((candidate) => {
    try {
      return schemes.has(new URL(candidate, document.baseURI).protocol);
    } catch {
      return false;
    }
  });
}

/**
 * Enforces the reply allowlist on a sanitized tree, in place: elements off the list are dropped
 * (with their content where DROP_WITH_CONTENT says) or unwrapped, attributes off the list removed,
 * classes, link and image URLs checked, links opened in a new tab without an opener, images lazy
 * and without a referrer. Run it while the tree is still in an inert document: images lazy before
 * anything could fetch them.
 */
export function enforcePolicy(root: ParentNode & Node): void {
  const doc = root.ownerDocument ?? (root as Document);
  const walker = doc.createTreeWalker(root, NodeFilter.SHOW_ALL);
  const nodes: Node[] = [];
  while (walker.nextNode()) if (walker.currentNode.nodeType !== Node.TEXT_NODE) nodes.push(walker.currentNode);
  // Deepest first: a node's content is already clean when the node itself is unwrapped.
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i];
    if (node.nodeType === Node.ELEMENT_NODE) enforceElement(node as Element);
    else (node as ChildNode).remove(); // comments, processing instructions, CDATA
  }
}

function enforceElement(element: Element): void {
  const tag = element.localName;
  if (element.namespaceURI !== HTML_NAMESPACE || !allowedTags.has(tag)) {
    if (element.namespaceURI === HTML_NAMESPACE && !dropWithContent.has(tag)) element.replaceWith(...element.childNodes);
    else element.remove();
    return;
  }
  for (const attribute of [...element.attributes]) {
    if (attribute.namespaceURI !== null || !allowedAttributes.has(attribute.name) || BREAKOUT.test(attribute.value)) element.removeAttributeNode(attribute);
  }
  const classes = element.getAttribute('class');
  if (classes !== null) {
    const kept = classes.split(/\s+/).filter((name) => SAFE_CLASS.test(name));
    if (kept.length) element.setAttribute('class', kept.join(' '));
    else element.removeAttribute('class');
  }
  if (tag === 'a') {
    const href = element.getAttribute('href');
    if (href !== null && !isAllowedUrl(href, LINK_SCHEMES)) element.removeAttribute('href');
    element.setAttribute('target', '_blank');
    element.setAttribute('rel', 'noopener noreferrer');
  } else if (tag === 'img') {
    const src = element.getAttribute('src');
    if (src === null || !isAllowedUrl(src, IMAGE_SCHEMES)) {
      // An image that may not load is replaced by its description, as text (replaceWith makes a string a text node).
      element.replaceWith(element.getAttribute('alt') ?? '');
      return;
    }
    element.setAttribute('loading', 'lazy');
    element.setAttribute('decoding', 'async');
    element.setAttribute('referrerpolicy', 'no-referrer');
  } else {
    element.removeAttribute('href');
    element.removeAttribute('src');
  }
}

import { Marked } from 'marked';
import DOMPurify from 'dompurify';

/** Tags a reply may keep: what GFM produces, nothing that runs, loads a page or takes input. */
const ALLOWED_TAGS = [
  'a', 'b', 'blockquote', 'br', 'code', 'del', 'em', 'hr', 'i', 'img', 'kbd', 'li', 'ol', 'p',
  'pre', 's', 'span', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul',
];
const ALLOWED_ATTR = ['href', 'title', 'src', 'alt', 'align', 'start', 'colspan', 'rowspan', 'class', 'lang', 'dir'];
const LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:']);
const IMAGE_SCHEMES = new Set(['http:', 'https:']);
/** Only the classes this module writes (and fenced-code languages) survive, so a reply cannot wear the widget's own styles. */
const SAFE_CLASS = /^(?:md-[a-z0-9-]+|language-[\w+-]{1,40})$/;

const marked = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    // Headings inside a chat bubble would break the page's own heading outline.
    heading({ tokens, depth }) {
      return `<p class="md-heading md-h${depth}"><strong>${this.parser.parseInline(tokens)}</strong></p>\n`;
    },
    // Task-list checkboxes would be unlabelled form controls; a glyph says the same.
    checkbox({ checked }) {
      return checked ? '☑ ' : '☐ ';
    },
  },
});

/**
 * Whether a URL from a reply may stay: links may be http(s) or mailto, images http(s) only.
 * Parsed the way the browser will parse it, so case, entity and whitespace tricks do not pass.
 */
export function isAllowedUrl(value: string, kind: 'link' | 'image', base = documentBase()): boolean {
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return false;
  }
  return (kind === 'image' ? IMAGE_SCHEMES : LINK_SCHEMES).has(url.protocol);
}

function documentBase(): string {
  return typeof document !== 'undefined' ? document.baseURI : 'https://invalid.example/';
}

function afterSanitizeAttributes(node: Element): void {
  const tag = node.nodeName.toLowerCase();
  if (node.hasAttribute('class')) {
    const kept = (node.getAttribute('class') ?? '').split(/\s+/).filter((name) => SAFE_CLASS.test(name));
    if (kept.length) node.setAttribute('class', kept.join(' '));
    else node.removeAttribute('class');
  }
  if (tag === 'a') {
    const href = node.getAttribute('href');
    if (href !== null && !isAllowedUrl(href, 'link')) node.removeAttribute('href');
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  } else if (tag === 'img') {
    const src = node.getAttribute('src');
    if (src === null || !isAllowedUrl(src, 'image')) {
      // An image that may not load is replaced by its description.
      node.replaceWith(node.ownerDocument.createTextNode(node.getAttribute('alt') ?? ''));
      return;
    }
    node.setAttribute('loading', 'lazy');
    node.setAttribute('decoding', 'async');
    node.setAttribute('referrerpolicy', 'no-referrer');
  } else if (node.hasAttribute('href') || node.hasAttribute('src')) {
    node.removeAttribute('href');
    node.removeAttribute('src');
  }
}

/** Sanitizes HTML into a fragment that is safe to insert: the only way reply HTML reaches the DOM. */
export function sanitize(html: string): DocumentFragment {
  DOMPurify.addHook('afterSanitizeAttributes', afterSanitizeAttributes);
  try {
    const fragment = DOMPurify.sanitize(html, {
      ALLOWED_TAGS,
      ALLOWED_ATTR,
      ALLOW_DATA_ATTR: false,
      ALLOW_ARIA_ATTR: false,
      RETURN_DOM_FRAGMENT: true,
    }) as DocumentFragment | null;
    // A <frameset> replaces the parsed body and DOMPurify then returns nothing: nothing is what we show.
    return fragment ?? document.createDocumentFragment();
  } finally {
    // Hooks are global to the DOMPurify instance; the page may use it too.
    DOMPurify.removeHook('afterSanitizeAttributes', afterSanitizeAttributes);
  }
}

/** Options for `renderMarkdown`. */
export interface RenderOptions {
  /** Accessible name and text of each code block's copy button. */
  copyLabel: string;
}

/**
 * Markdown (GFM) to a sanitized fragment, with a copy button after each code block and
 * scrollable wrappers for tables. Call once per message and keep the result.
 */
export function renderMarkdown(source: string, options: RenderOptions): DocumentFragment {
  const html = marked.parse(source, { async: false });
  const fragment = sanitize(html);
  decorate(fragment, options);
  return fragment;
}

/** Adds the widget's own controls around sanitized content; every node here is made by us. */
function decorate(fragment: DocumentFragment, options: RenderOptions): void {
  const doc = fragment.ownerDocument;
  for (const pre of Array.from(fragment.querySelectorAll('pre'))) {
    const block = doc.createElement('div');
    block.className = 'md-code';
    pre.replaceWith(block);
    pre.tabIndex = 0;
    const button = doc.createElement('button');
    button.type = 'button';
    button.className = 'md-copy';
    button.setAttribute('data-copy', '');
    button.textContent = options.copyLabel;
    block.append(pre, button);
  }
  for (const table of Array.from(fragment.querySelectorAll('table'))) {
    const wrap = doc.createElement('div');
    wrap.className = 'md-table';
    wrap.tabIndex = 0;
    table.replaceWith(wrap);
    wrap.append(table);
  }
}

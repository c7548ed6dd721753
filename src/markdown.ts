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
/** Only the classes marked writes for us (and fenced-code languages) survive: a reply cannot pose as a copy button, table or note. */
const SAFE_CLASS = /^(?:md-heading|md-h[1-6]|language-[\w+-]{1,40})$/;
/**
 * Longest reply source rendered as markdown, in characters (about 2,000 words: a long chat answer
 * is rarely past 1,000). Longer replies are cut, at a line break where one is near, and marked
 * shortened; the full text stays in the transcript. So one reply cannot freeze the page: at this
 * size the slowest shape, a 500-row table, renders in about 45 ms on a 2-core machine, a quarter
 * of the 200 ms budget, leaving room for a busy page (README, "Big replies"; `npm run bench`).
 */
export const MAX_MARKDOWN_CHARS = 12_000;

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
  /** The note under a reply cut at `MAX_MARKDOWN_CHARS`. Default "(reply shortened)". */
  shortenedLabel?: string;
}

/** The part of `source` that is rendered, and whether anything was cut. */
export function shortenSource(source: string, limit = MAX_MARKDOWN_CHARS): { text: string; shortened: boolean } {
  if (source.length <= limit) return { text: source, shortened: false };
  let end = limit;
  // A cut at a line break keeps the last line's markdown whole; within the last tenth, so little is lost.
  const lineBreak = source.lastIndexOf('\n', limit);
  if (lineBreak > limit * 0.9) end = lineBreak;
  // Never split a surrogate pair into a lone half.
  const code = source.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return { text: source.slice(0, end), shortened: true };
}

/**
 * Markdown (GFM) to a sanitized fragment, with a copy button after each code block and
 * scrollable wrappers for tables. Call once per message and keep the result.
 */
export function renderMarkdown(source: string, options: RenderOptions): DocumentFragment {
  const { text, shortened } = shortenSource(source);
  const html = marked.parse(text, { async: false });
  const fragment = sanitize(html);
  decorate(fragment, options);
  if (shortened) {
    const note = fragment.ownerDocument.createElement('p');
    note.className = 'md-shortened';
    note.textContent = options.shortenedLabel ?? '(reply shortened)';
    fragment.append(note);
  }
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

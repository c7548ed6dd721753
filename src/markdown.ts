import { Marked } from 'marked';
import { hasSanitizerApi, sanitizeNative } from './sanitize-native.js';

/**
 * Longest reply source rendered as markdown, in characters (about 2,000 words: a long chat answer
 * is rarely past 1,000). Longer replies are cut, at a line break where one is near, and marked
 * shortened; the full text stays in the transcript. So one reply cannot freeze the page: at this
 * size the slowest shape, a 500-row table, renders in about 45 ms on a 2-core machine, a quarter
 * of the 200 ms budget, leaving room for a busy page (docs/security.md, "Big replies"; `npm run bench`).
 */
export const MAX_MARKDOWN_CHARS = 12_000;

// GitHub-flavoured (marked's default) with a line break where the reply has one.
const marked = new Marked({
  breaks: true,
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

let fallback: typeof import('./sanitize-dompurify.js') | undefined;

/**
 * Resolves once `sanitize` and `renderMarkdown` can run: at once where the browser has the HTML
 * Sanitizer API, after DOMPurify's chunk has loaded where it has not (the only place it is fetched).
 * A failed load rejects, and the next call tries again.
 */
export async function ready(): Promise<void> {
  if (!hasSanitizerApi()) fallback ??= await import('./sanitize-dompurify.js');
}

/**
 * Compiles marked's common rules, in four steps: its first block rules (on a line of HTML, the eighth), the rest (on a
 * list and a paragraph, which every rule is tried on), its inline rules, then a whole parse with its renderer. marked
 * compiles each rule's regular expression on first use, a long unit of work with the first reply drawn. The renderer
 * part (lazy-part.ts) runs this between this file's evaluation and its first use, and `between` gives the page a turn
 * before each step, so no one of them holds up the page for long.
 */
export async function warmUp(between: () => Promise<void>): Promise<void> {
  for (const words of ['<div>', '- a\n\nb', '**a** [b](c) `d`']) await between(), marked.lexer(words);
  await between(), marked.parse('**a** [b](c) `d`\n\n- e');
}

/**
 * Sanitizes HTML into a fragment that is safe to insert: the only way reply HTML reaches the DOM.
 * The browser's Sanitizer API where there is one, DOMPurify elsewhere; either way the same allowlist
 * walk follows. Called only once `ready()` has resolved: the widget is handed the renderer then (lazy-part.ts).
 */
export function sanitize(html: string): DocumentFragment {
  return hasSanitizerApi() ? sanitizeNative(html) : fallback!.sanitizeWithDOMPurify(html);
}

/** Options for `renderMarkdown`. */
export interface RenderOptions {
  /** Accessible name and text of each code block's copy button. */
  copyLabel: string;
  /** The note under a reply cut at `MAX_MARKDOWN_CHARS`. */
  shortenedLabel: string;
  /** The sanitizer, in place of `sanitize` (the browser's or DOMPurify): tests run each on the same replies. */
  sanitizer?: (html: string) => DocumentFragment;
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
  const fragment = (options.sanitizer ?? sanitize)(html);
  decorate(fragment, options);
  if (shortened) {
    const note = fragment.ownerDocument.createElement('p');
    note.className = 'md-shortened';
    note.textContent = options.shortenedLabel;
    fragment.append(note);
  }
  return fragment;
}

const watched = new WeakSet<Element>();
/** Transcripts already looked through whole: after that, only their newest block can hold new replies. */
const scanned = new WeakSet<ParentNode>();
let scrollers: ResizeObserver | undefined;

function setTabStop(box: Element): void {
  const scrolls = box.scrollWidth > box.clientWidth + 1;
  if (scrolls === (box.getAttribute('tabindex') === '0')) return;
  if (scrolls) box.setAttribute('tabindex', '0');
  else box.removeAttribute('tabindex');
}

/**
 * Makes each code block and table wrapper under `root` a tab stop only while it scrolls sideways,
 * so a keyboard reaches what is out of view and passes by a box that shows everything. The element's
 * FollowBottom calls it with its transcript once replies are in the page (a new reply's boxes measured then, a restored
 * transcript's when the observer first reports them), and a box is measured again whenever its size changes (a narrower screen).
 */
export function tabStopsWhileScrolling(root: ParentNode): void {
  scrollers ??= new ResizeObserver((entries) => entries.forEach(({ target }) => setTabStop(target)));
  // New replies land in the newest blocks (transcript-view.ts; another tab's can fall just before a block's end), so a
  // reply at message 1,000 looks through two blocks, not all of them.
  const list = root.querySelector('.messages');
  const all = !scanned.has(root) || !list;
  scanned.add(root);
  for (const box of (all ? [root] : [...list.children].slice(-2)).flatMap((part) => [...part.querySelectorAll('.md-code > pre, .md-table')])) {
    if (watched.has(box)) continue;
    watched.add(box);
    // A new reply's boxes are measured at once; a whole restored transcript's when the observer first reports them,
    // after the page's own layout, rather than laying out hundreds of messages (old blocks too) in one task.
    if (!all) setTabStop(box);
    scrollers.observe(box);
  }
}

/** Adds the widget's own controls around sanitized content; every node here is made by us. */
function decorate(fragment: DocumentFragment, options: RenderOptions): void {
  const doc = fragment.ownerDocument;
  // querySelectorAll's list is static: the loops may move what they found.
  for (const pre of fragment.querySelectorAll('pre')) {
    const block = doc.createElement('div');
    block.className = 'md-code';
    pre.replaceWith(block);
    const button = doc.createElement('button');
    button.type = 'button';
    button.className = 'md-copy';
    button.dataset.copy = '';
    button.textContent = options.copyLabel;
    block.append(pre, button);
  }
  for (const table of fragment.querySelectorAll('table')) {
    const wrap = doc.createElement('div');
    wrap.className = 'md-table';
    table.replaceWith(wrap);
    wrap.append(table);
  }
}

// What "inert" means for rendered content (../shared/fixtures/README.md), for
// test/rendering-safety.test.ts and test/hostile-pages.test.ts (the first also uses the dialog
// trap at the end): no element that runs or loads a page,
// no handler attribute, no script URL, links in a new tab without an opener, images http(s) and
// lazy. `strictProblems` adds the widget's own allowlist: only the tags and attributes a reply
// may keep, and nothing a reply could use to pose as the widget's own nodes.

export const FORBIDDEN_ELEMENTS = new Set(['script', 'iframe', 'object', 'embed', 'form', 'base', 'meta', 'style']);
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href']);

/** A URL value as the browser reads it: without the whitespace and control characters it skips. */
function squeezed(value: string): string {
  return value.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
}

export function dangerousUrl(value: string): boolean {
  const v = squeezed(value);
  if (v.startsWith('javascript:') || v.startsWith('vbscript:') || v.startsWith('data:text/html')) return true;
  try {
    const protocol = new URL(value, document.baseURI).protocol;
    return protocol === 'javascript:' || protocol === 'vbscript:';
  } catch {
    return false;
  }
}

/** Every element below `root`, including those in template contents and shadow roots. */
export function allElements(root: ParentNode): Element[] {
  const found: Element[] = [];
  const visit = (node: ParentNode) => {
    for (const element of Array.from(node.querySelectorAll('*'))) {
      found.push(element);
      if (element instanceof HTMLTemplateElement) visit(element.content);
      if (element.shadowRoot) visit(element.shadowRoot);
    }
  };
  visit(root);
  return found;
}

/** What is wrong with rendered content, per the fixtures README; empty when it is inert. */
export function problems(root: ParentNode): string[] {
  const found: string[] = [];
  for (const element of allElements(root)) {
    const tag = element.localName.toLowerCase();
    if (FORBIDDEN_ELEMENTS.has(tag)) found.push(`<${tag}> element`);
    for (const attr of Array.from(element.attributes)) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) found.push(`${name} attribute on <${tag}>`);
      if ((URL_ATTRIBUTES.has(name) || attr.localName.toLowerCase() === 'href') && dangerousUrl(attr.value)) {
        found.push(`${name}="${attr.value.slice(0, 80)}" on <${tag}>`);
      }
    }
    if (tag === 'a' && element.hasAttribute('href')) {
      if (element.getAttribute('target') !== '_blank') found.push(`link without target=_blank: ${element.getAttribute('href')}`);
      const rel = (element.getAttribute('rel') ?? '').split(/\s+/);
      if (!rel.includes('noopener') || !rel.includes('noreferrer')) found.push(`link without rel="noopener noreferrer": ${element.getAttribute('href')}`);
    }
  }
  return found;
}

/** SPEC §4: links that keep an href are http(s)/mailto; images that survive are http(s) and lazy. */
export function schemeProblems(root: ParentNode): string[] {
  const found: string[] = [];
  for (const element of allElements(root)) {
    const tag = element.localName.toLowerCase();
    if (tag === 'a' && element.hasAttribute('href')) {
      const protocol = new URL(element.getAttribute('href')!, document.baseURI).protocol;
      if (!['http:', 'https:', 'mailto:'].includes(protocol)) found.push(`link to ${protocol}`);
    }
    if (tag === 'img') {
      const src = element.getAttribute('src');
      const protocol = src === null ? 'none' : new URL(src, document.baseURI).protocol;
      if (!['http:', 'https:'].includes(protocol)) found.push(`image from ${protocol}`);
      if (element.getAttribute('loading') !== 'lazy') found.push('image not lazy-loaded');
    }
    if (element.hasAttribute('srcset')) found.push(`srcset on <${tag}>`);
  }
  return found;
}

/** What a reply may contain after sanitizing (src/markdown.ts), plus what decorate() adds itself. */
const REPLY_TAGS = new Set([
  'a', 'b', 'blockquote', 'br', 'code', 'del', 'em', 'hr', 'i', 'img', 'kbd', 'li', 'ol', 'p',
  'pre', 's', 'span', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul',
]);
const REPLY_ATTRIBUTES = new Set([
  'href', 'title', 'src', 'alt', 'align', 'start', 'class', 'lang', 'dir',
  'target', 'rel', 'loading', 'decoding', 'referrerpolicy',
]);
const REPLY_CLASS = /^(?:md-heading|md-h[1-6]|language-[\w+-]{1,40})$/;

/**
 * Stricter than `problems`: every element and attribute is on the reply allowlist, and nothing
 * can clobber or impersonate the widget's own lookups (`id`, `name`, `data-*`, the widget's
 * classes, form controls). Nodes the widget adds itself (copy button, code and table wrappers,
 * the shortened note) are recognised by position, not by class, so a reply cannot forge them.
 */
export function strictProblems(root: ParentNode): string[] {
  const found: string[] = [];
  for (const element of allElements(root)) {
    const tag = element.localName.toLowerCase();
    const own = isWidgetNode(element);
    if (!REPLY_TAGS.has(tag) && !own) found.push(`<${tag}> is not on the reply allowlist`);
    for (const attr of Array.from(element.attributes)) {
      const name = attr.name.toLowerCase();
      if (own && ['class', 'type', 'data-copy', 'tabindex'].includes(name)) continue;
      if (tag === 'pre' && name === 'tabindex') continue;
      if (!REPLY_ATTRIBUTES.has(name)) found.push(`${name}="${attr.value.slice(0, 40)}" on <${tag}>`);
      if (name === 'class') {
        for (const cls of attr.value.split(/\s+/).filter(Boolean)) if (!REPLY_CLASS.test(cls)) found.push(`class "${cls}" on <${tag}>`);
      }
    }
  }
  return found;
}

/** The widget's own decoration: the code wrapper and its copy button, the table wrapper, the shortened note. */
function isWidgetNode(element: Element): boolean {
  const parent = element.parentElement;
  const tag = element.localName;
  if (tag === 'div' && element.classList.contains('md-code')) return element.firstElementChild?.localName === 'pre' && element.lastElementChild?.matches('button[data-copy]') === true && element.childElementCount === 2;
  if (tag === 'button') return element.hasAttribute('data-copy') && parent?.classList.contains('md-code') === true && element.previousElementSibling?.localName === 'pre';
  if (tag === 'div' && element.classList.contains('md-table')) return element.childElementCount === 1 && element.firstElementChild?.localName === 'table';
  if (tag === 'p' && element.classList.contains('md-shortened')) return element.nextElementSibling === null && element.childElementCount === 0;
  return false;
}

declare global {
  interface Window {
    /** Set by a payload's script if it ever runs. */
    __pwn?: unknown;
  }
}

/** One hostile payload of a corpus file. */
export interface Payload {
  title?: string;
  payload: string;
}

let dialogs: string[] = [];
const originalDialogs = { alert: window.alert, confirm: window.confirm, prompt: window.prompt, print: window.print };

/** Records dialogs instead of opening them, and clears `window.__pwn` (a `beforeEach`). */
export function trapDialogs(): void {
  window.__pwn = undefined;
  dialogs = [];
  window.alert = (message?: unknown) => void dialogs.push(`alert(${String(message)})`);
  window.confirm = (message?: string) => (dialogs.push(`confirm(${String(message)})`), false);
  window.prompt = (message?: string) => (dialogs.push(`prompt(${String(message)})`), null);
  window.print = () => void dialogs.push('print()');
}

/** Puts the page's dialogs back (an `afterEach`). */
export function releaseDialogs(): void {
  Object.assign(window, originalDialogs);
  window.__pwn = undefined;
}

/** The dialogs a payload tried to open since `trapDialogs`. */
export function dialogsOpened(): string[] {
  return dialogs;
}

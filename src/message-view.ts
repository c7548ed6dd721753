import { html, nothing, type TemplateResult } from 'lit';
import type { ChatMessage } from './types.js';
import { format, type ChatStrings } from './strings.js';
import { describeFailure, type Failure } from './proxy-client.js';
import { secondsLeft } from './retry-clock.js';
import { messageTime } from './message-time.js';
import { isPlainText } from './text.js';

/** The markdown renderer (markdown.ts), once loaded: until then replies show as plain text. */
export type Renderer = Pick<typeof import('./markdown.js'), 'renderMarkdown' | 'tabStopsWhileScrolling'>;

/** Rendered replies, one per message object: each reply is parsed and sanitized once. */
const rendered = new WeakMap<ChatMessage, Rendered>();
/** Welcome messages, per widget: a DOM node can sit in one widget only, even when two show the same text. */
const welcomes = new WeakMap<object, Rendered>();

interface Rendered {
  source: string;
  node: HTMLElement;
  labels: string;
  /** Shown as plain text because the renderer had not loaded yet; filled in place once it has. */
  plain?: boolean;
}

/**
 * Sets an element's text in place: inside the live log a new text node would be spoken, a changed one is not.
 * Its text is its last child (after Lit's marker, in a button Lit renders).
 */
export function setLabel(node: Element, text: string): void {
  const last = node.lastChild;
  if (last instanceof Text) last.data = text;
  else node.textContent = text;
}

/**
 * A click in the transcript that lands on a copy button: a code block's copies its code, a reply's (`data-copy`
 * holds its message's id) the markdown it came as, found by `source`. Either says so (its label for a moment,
 * and once to screen readers); where the clipboard is refused (no permission, plain http), what is shown (the
 * code, the rendered reply) is selected, so the visitor can copy it.
 */
export async function copyCode(event: Event, strings: ChatStrings, announce: (text: string) => void, source: (id: string) => string | undefined): Promise<void> {
  const button = (event.target as Element).closest?.<HTMLElement>('[data-copy]');
  const id = button?.dataset.copy;
  const shown = id ? button.closest('.message')?.querySelector('.markdown') : button?.parentElement?.querySelector('pre');
  if (!button || !shown) return;
  try {
    await navigator.clipboard.writeText((id ? source(id) : shown.textContent) ?? '');
    setLabel(button, strings.copied);
    announce(strings.copied);
    setTimeout(() => setLabel(button, id ? strings.copyReply : strings.copyCode), 1500);
  } catch {
    getSelection()?.selectAllChildren(shown);
  }
}

/** The widget's own words inside a rendered reply follow `strings` without re-making it (a new node would be announced again). */
function labelled(entry: Rendered, source: string, { strings, renderer, siteLang }: RenderContext): HTMLElement {
  if (entry.plain && renderer) {
    const fresh = markdownNode(source, strings, renderer);
    entry.node.replaceChildren(...fresh.childNodes);
    entry.plain = false;
    entry.labels = '';
  }
  const labels = `${strings.copyCode}\u0000${strings.replyShortened}\u0000${siteLang}`;
  if (entry.labels !== labels) {
    for (const node of entry.node.querySelectorAll('.md-copy, .md-shortened')) {
      setLabel(node, node.matches('.md-copy') ? strings.copyCode : strings.replyShortened);
      if (siteLang) node.setAttribute('lang', 'en');
      else node.removeAttribute('lang');
    }
    entry.labels = labels;
  }
  return entry.node;
}

function markdownNode(source: string, strings: ChatStrings, renderer: Renderer | undefined): HTMLElement {
  const node = document.createElement('div');
  node.className = 'markdown';
  if (!renderer || isPlainText(source)) {
    node.textContent = source;
    return node;
  }
  try {
    node.append(renderer.renderMarkdown(source, { copyLabel: strings.copyCode, shortenedLabel: strings.replyShortened }));
  } catch (error) {
    // One reply that cannot be rendered must not take the whole transcript down: show it as text.
    console.error('thinnest-chat: a reply could not be rendered as markdown; showing it as text.', error);
    node.textContent = source;
  }
  return node;
}

function made(source: string, { strings, renderer }: RenderContext): Rendered {
  return { source, node: markdownNode(source, strings, renderer), labels: '', plain: !renderer && !isPlainText(source) };
}

/** What a reply is rendered with. */
export interface RenderContext {
  strings: ChatStrings;
  /** The page's language, where the widget's own words are English in a page of another: replies are marked with it, the widget's words in them English. */
  siteLang?: string;
  renderer?: Renderer;
}

/** The sanitized DOM of an assistant reply, made on first use and reused on every render. */
export function replyNode(message: ChatMessage, context: RenderContext): HTMLElement {
  return cached(rendered, message, message.text, context);
}

/** The welcome message's DOM for one widget, made again only when its text changes. */
export function welcomeNode(owner: object, source: string, context: RenderContext): HTMLElement {
  return cached(welcomes, owner, source, context);
}

/** `source` rendered for `key`: made once, and again only if its source has changed (a new welcome message). */
function cached<K extends object>(cache: WeakMap<K, Rendered>, key: K, source: string, context: RenderContext): HTMLElement {
  let entry = cache.get(key);
  if (entry?.source !== source) cache.set(key, (entry = made(source, context)));
  return labelled(entry, source, context);
}

export interface MessageViewContext extends RenderContext {
  /** A reply's rating controls, with `feedback` on (feedback.ts, fetched then): the same function until a rating or a word changes. */
  feedback?: (message: ChatMessage) => unknown;
  timeoutMs: number;
  now: number;
  canRetry: boolean;
  onRetry: (id: string) => void;
  /** Puts a refused message (too long, or not accepted) back into the composer. */
  onEdit: (id: string) => void;
  /** The language times are written in. */
  lang: string;
}

/**
 * The small time under a message; part of the entry from the start, so the log speaks it with the message, once.
 * Every `createdAt` is one a Date can hold: Date.now(), or a stored time checked when it was read (stored-conversation.ts).
 */
function timeView(message: ChatMessage, context: MessageViewContext) {
  const time = message.createdAt;
  return html`<time class="time" datetime=${new Date(time).toISOString()}>${messageTime(context.lang, time)}</time>`;
}

/** One transcript entry. Visitor text is bound as text, never as HTML. */
export function messageView(message: ChatMessage, context: MessageViewContext): TemplateResult {
  const { strings } = context;
  if (message.role === 'assistant') {
    return html`<div class="message assistant" part="message assistant-message" data-id=${message.id}>
      <span class="sr-only">${strings.assistant}:</span>
      <div class="bubble" part="assistant-bubble" dir="auto" lang=${context.siteLang ?? nothing}>${replyNode(message, context)}</div>
      <div class="info">
        ${timeView(message, context)}<button class="tool" part="copy-button" type="button" data-copy=${message.id}>${strings.copyReply}</button>${context.feedback?.(message)}
      </div>
    </div>`;
  }
  const failed = message.status === 'failed';
  return html`<div
    class="message user ${message.status ?? 'delivered'}"
    part="message user-message"
    data-id=${message.id}
  >
    <span class="sr-only">${strings.you}:</span>
    <div class="bubble" part="user-bubble" dir="auto" lang=${context.siteLang ?? nothing}>${message.text}</div>
    <div class="info">
      ${timeView(message, context)}${message.status === 'pending' ? html`<span class="meta">${strings.sending}</span>` : nothing}
    </div>
    ${failed ? errorView(message, context) : nothing}
  </div>`;
}

const EDITABLE = new Set(['bad_request', 'payload_too_large']);

function errorView(message: ChatMessage, context: MessageViewContext): TemplateResult {
  const { strings } = context;
  const error = message.error;
  const wait = secondsLeft(message, context.now);
  // Described at render time, so a change of `strings` re-words stored failures too (with the wait left now).
  const reason = error
    ? describeFailure({ ...error, retryAfter: wait } as Failure, strings, context.timeoutMs).message || error.message
    : strings.notDelivered;
  // Unavailable while it waits, yet still a tab stop whose name says how long is left (not `disabled`,
  // which would drop it from the tab order); a click then does nothing (ChatController.retry refuses).
  const retry = error?.retryable
    ? html`<button
        class="retry"
        part="retry-button"
        type="button"
        aria-disabled=${!context.canRetry || wait !== undefined}
        @click=${() => context.onRetry(message.id)}
      >
        ${wait !== undefined ? format(strings.retryIn, { seconds: wait }) : strings.retryButton}
      </button>`
    : nothing;
  // A message the proxy refused as it is (400, 413) can only be changed: it goes back into the composer.
  const edit = error && EDITABLE.has(error.code)
    ? html`<button class="retry" part="edit-button" type="button" @click=${() => context.onEdit(message.id)}>${strings.editButton}</button>`
    : nothing;
  // Kept out of the log's speech: the failure is announced once, urgently, by the element's alert region.
  return html`<div class="error" part="error" aria-live="off">
    <span class="sr-only">${strings.notDelivered}:</span><span>${reason}</span>${retry}${edit}
  </div>`;
}

import { html, nothing, render } from 'lit';
import type { ChatMessage } from './types.js';
import type { ChatController } from './chat-controller.js';
import type { LocaleController } from './locale-controller.js';
import { copyCode, messageView, welcomeNode, type MessageViewContext } from './message-view.js';
import { secondsLeft } from './retry-clock.js';

/** What the transcript shows: the conversation and the element's state, handed over on each render. */
export interface TranscriptView extends Omit<MessageViewContext, 'now' | 'canRetry' | 'onRetry' | 'strings' | 'lang' | 'siteLang'> {
  /** The widget's words and languages (locale-controller.ts). */
  locale: Pick<LocaleController, 'strings' | 'lang' | 'uiLang'>;
  host: HTMLElement;
  chat: ChatController;
  welcomeMessage?: string;
  suggestions: string[];
  /** A suggestion was chosen. */
  onSubmit: (text: string) => void;
  /** Says something to screen readers once (a code block copied). */
  announce: (text: string) => void;
}

/**
 * The conversation itself, inside the element's transcript box (panel-view.ts); not rendered in a
 * bubble that was never opened, so nothing needs the renderer yet.
 */
export function transcriptView(v: TranscriptView) {
  const { chat, locale } = v;
  const s = locale.strings;
  const context: MessageViewContext = {
    ...v,
    strings: s,
    lang: locale.lang,
    // Where the widget's own words are English in a page of another language, the conversation is in the page's.
    siteLang: locale.uiLang ? locale.lang : undefined,
    // The countdown of a rate-limited retry reads the real time on every render (RetryClock renders each second).
    now: Date.now(),
    canRetry: chat.pendingId === null,
    onRetry: (id) => void chat.retry(id),
  };
  // One block box holds the conversation: adding a message lays out that box, not a flex line of a thousand items.
  // Written without spaces between its parts, so an empty conversation leaves the box :empty (and hidden).
  return html`<div class="messages" @click=${(event: Event) => copyCode(event, s, v.announce)}>${v.welcomeMessage
      ? html`<div class="message assistant" part="message assistant-message">
          <div class="bubble" part="assistant-bubble" dir="auto" lang=${context.siteLang ?? nothing}>${welcomeNode(v.host, v.welcomeMessage, context)}</div>
        </div>`
      : nothing}${blockViews(v, context)}</div>
    ${chat.pendingId
      ? html`<div class="typing" aria-hidden="true" title=${s.typing}><span></span><span></span><span></span></div>`
      : nothing}
    ${chat.messages.length === 0
      ? html`<slot name="empty">${v.suggestions.length
          ? html`<div class="suggestions" role="group" aria-label=${s.suggestionsLabel}>
              ${v.suggestions.map((text) => html`<button class="suggestion" part="suggestion" type="button" lang=${context.siteLang ?? nothing}
                @click=${() => v.onSubmit(text)}>${text}</button>`)}
            </div>`
          : nothing}</slot>`
      : nothing}`;
}

/**
 * Messages are rendered in blocks of this many, each re-rendered only when one of its messages
 * (or what every message shows: strings, language, retry state) changed: a new reply at message
 * 1,000 costs what it costs at message 10.
 */
const BLOCK = 50;

/** Each widget's blocks: a box per block, and what it was last rendered from. */
const pages = new WeakMap<object, Page[]>();

interface Page {
  box: HTMLDivElement;
  deps: unknown[];
  /** A box per message of the block, by id (see `placeInOrder`). */
  entries: Map<string, HTMLDivElement>;
}

/** The conversation's blocks, oldest first: each a box of its own (see `blockView`). */
function blockViews(v: TranscriptView, context: MessageViewContext): HTMLDivElement[] {
  const { messages } = v.chat;
  const count = Math.ceil(messages.length / BLOCK);
  let list = pages.get(v.host);
  if (!list) pages.set(v.host, (list = []));
  // A conversation that got shorter (a new session) leaves no stale blocks behind.
  list.length = Math.min(list.length, count);
  const boxes = [];
  // Blocks before the newest two are "old": laid out only when scrolled to (a class, not :nth-last-child, which would
  // have the style engine re-check every block whenever one is added).
  for (let index = 0; index < count; index++) {
    boxes.push(blockView(messages.slice(index * BLOCK, (index + 1) * BLOCK), v, context, list, index, index < count - 2));
  }
  return boxes;
}

function blockView(
  block: readonly ChatMessage[],
  v: TranscriptView,
  context: MessageViewContext,
  list: Page[],
  index: number,
  old: boolean,
): HTMLDivElement {
  // Whether a retry may start now, and the clock of a retry countdown, matter only to a block with a failed message.
  const failed = block.some((m) => m.status === 'failed');
  const ticking = failed && block.some((m) => secondsLeft(m, context.now) !== undefined);
  const deps = [context.strings, failed && context.canRetry, context.timeoutMs, context.lang, context.siteLang, !!context.renderer, ticking && context.now, ...block];
  let page = list[index];
  // Each block is a box of its own, rendered into only when what it shows changed; the transcript's template holds the
  // box itself, which it leaves in place while it is the same box. So a new message lays out its block and the list
  // of blocks, not every message.
  if (!page || page.deps.length !== deps.length || page.deps.some((dep, i) => dep !== deps[i])) {
    page ??= list[index] = { box: document.createElement('div'), deps, entries: new Map() };
    page.deps = deps;
    const { entries } = page;
    const nodes = block.map((m) => {
      let entry = entries.get(m.id);
      if (!entry) {
        entries.set(m.id, (entry = document.createElement('div')));
        entry.className = 'entry';
      }
      render(messageView(m, context), entry, { host: v.host });
      return entry;
    });
    for (const id of entries.keys()) if (!block.some((m) => m.id === id)) entries.delete(id);
    placeInOrder(page.box, nodes);
  }
  // Written only when it changes: inside the live log, even an unchanged attribute write is a mutation.
  const className = old ? 'page old' : 'page';
  if (page.box.className !== className) page.box.className = className;
  return page.box;
}

/**
 * Puts `nodes` into `box` in this order, moving only what is out of place: a retried message that
 * moves to the end is the one node moved, and the messages after it keep their place, so the live
 * log does not speak them again. Lit's `repeat` directive does the same for any reordering, with
 * three times the code; a transcript only appends, and moves a retried message to the end.
 */
function placeInOrder(box: HTMLElement, nodes: HTMLElement[]): void {
  const wanted = new Set<Element>(nodes);
  for (const child of Array.from(box.children)) if (!wanted.has(child)) child.remove();
  // From the end: each node goes just before the one that follows it, unless it is already there.
  let next: HTMLElement | null = null;
  for (let i = nodes.length - 1; i >= 0; i--) {
    if (nodes[i].parentNode !== box || nodes[i].nextElementSibling !== next) box.insertBefore(nodes[i], next);
    next = nodes[i];
  }
}

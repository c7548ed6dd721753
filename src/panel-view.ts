import { html, nothing, render } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { ChatMessage } from './types.js';
import type { ChatStrings } from './strings.js';
import { messageView, secondsLeft, welcomeNode, type MessageViewContext } from './message-view.js';
import { markdownModule } from './on-need.js';

/** What the transcript shows: the element's state, handed over on each render. */
export interface TranscriptView {
  host: HTMLElement;
  strings: ChatStrings;
  messages: readonly ChatMessage[];
  welcomeMessage?: string;
  suggestions: string[];
  pendingId: string | null;
  message: MessageViewContext;
  /** The language times are written in. */
  lang: string;
  /** A suggestion was chosen. */
  onSubmit: (text: string) => void;
}

/**
 * The conversation itself, inside the element's transcript box (frame-view.ts); not rendered in a
 * bubble that was never opened, so nothing needs the renderer yet.
 */
export function transcriptView(v: TranscriptView) {
  const s = v.strings;
  // One block box holds the conversation: adding a message lays out that box, not a flex line of a thousand items.
  // Written without spaces between its parts, so an empty conversation leaves the box :empty (and hidden).
  return html`<div class="messages">${v.welcomeMessage
      ? html`<div class="message assistant" part="message assistant-message">
          <div class="bubble" part="assistant-bubble" dir="auto">${welcomeNode(v.host, v.welcomeMessage, s)}</div>
        </div>`
      : nothing}${blockViews(v)}</div>
    ${v.pendingId
      ? html`<div class="typing" aria-hidden="true" title=${s.typing}><span></span><span></span><span></span></div>`
      : nothing}
    ${v.messages.length === 0
      ? html`<slot name="empty">${v.suggestions.length
          ? html`<div class="suggestions" role="group" aria-label=${s.suggestionsLabel}>
              ${v.suggestions.map((text) => html`<button class="suggestion" part="suggestion" type="button"
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
}

/** The conversation's blocks, oldest first: each a box of its own (see `blockView`). */
function blockViews(v: TranscriptView): HTMLDivElement[] {
  const count = Math.ceil(v.messages.length / BLOCK);
  let list = pages.get(v.host);
  if (!list) pages.set(v.host, (list = []));
  // A conversation that got shorter (a new session) leaves no stale blocks behind.
  list.length = Math.min(list.length, count);
  const boxes = [];
  // Blocks before the newest two are "old": laid out only when scrolled to (a class, not :nth-last-child, which would
  // have the style engine re-check every block whenever one is added).
  for (let index = 0; index < count; index++) {
    boxes.push(blockView(v.messages.slice(index * BLOCK, (index + 1) * BLOCK), v, list, index, index < count - 2));
  }
  return boxes;
}

function blockView(block: readonly ChatMessage[], v: TranscriptView, list: Page[], index: number, old: boolean): HTMLDivElement {
  const context = v.message;
  // Whether a retry may start now, and the clock of a retry countdown, matter only to a block with a failed message.
  const failed = block.some((m) => m.status === 'failed');
  const ticking = failed && block.some((m) => secondsLeft(m, context.now) !== undefined);
  const deps = [context.strings, failed && context.canRetry, context.timeoutMs, v.lang, !!markdownModule(), ticking && context.now, ...block];
  let page = list[index];
  // Each block is a box of its own, rendered into only when what it shows changed; the panel's template holds the
  // box itself, which it leaves in place while it is the same box. So a new message lays out its block and the list
  // of blocks, not every message.
  if (!page || page.deps.length !== deps.length || page.deps.some((dep, i) => dep !== deps[i])) {
    page ??= list[index] = { box: document.createElement('div'), deps };
    page.deps = deps;
    // Keyed by message: a retried message that moves to the end is moved, and the messages after it keep their
    // nodes, so the live log does not speak them again.
    render(
      repeat(block, (m) => m.id, (m) => messageView(m, context)),
      page.box,
      { host: v.host },
    );
  }
  // Written only when it changes: inside the live log, even an unchanged attribute write is a mutation.
  const className = old ? 'page old' : 'page';
  if (page.box.className !== className) page.box.className = className;
  return page.box;
}

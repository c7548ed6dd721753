import { html, nothing, render } from 'lit';
import type { ChatMessage } from './types.js';
import type { ChatController } from './chat-controller.js';
import type { LocaleController } from './locale-controller.js';
import { copyCode, messageView, welcomeNode, type MessageViewContext } from './message-view.js';
import { secondsLeft } from './retry-clock.js';
import { nextTask } from './lazy-part.js';
import { messageTime } from './message-time.js';

/** Honest waiting (waiting.ts): fetched once a reply has been awaited 3 s; a failed fetch is asked for again then. */
let waiting: typeof import('./waiting.js') | undefined;

/** What the transcript shows: the conversation and the element's state, handed over on each render. */
export interface TranscriptView extends Omit<MessageViewContext, 'now' | 'canRetry' | 'onRetry' | 'strings' | 'lang' | 'siteLang'> {
  /** The widget's words and languages (locale-controller.ts). */
  locale: Pick<LocaleController, 'strings' | 'lang' | 'uiLang'>;
  host: HTMLElement & { requestUpdate(): void };
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
  // After 3 s of waiting, the typing indicator says how long replies usually take here (waiting.ts).
  const asked = chat.messages.find((m) => m.id === chat.pendingId);
  if (asked && !waiting && context.now - asked.createdAt >= 3000) {
    import('./waiting.js').then((code) => {
      waiting = code;
      v.host.requestUpdate();
    }, () => {});
  }
  const note = asked && waiting?.typingNote(v.host, chat.messages, asked, context.now, s, v.announce);
  // A restored transcript, welcome message included, is shown once it is all drawn.
  const blocks = blockViews(v, context);
  // One block box holds the conversation: adding a message lays out that box, not a flex line of a thousand items.
  // Written without spaces between its parts, so an empty conversation leaves the box :empty (and hidden).
  return html`<div class="messages" @click=${(event: Event) => copyCode(event, s, v.announce, (id) => chat.messages.find((m) => m.id === id)?.text)}>${v.welcomeMessage && blocks
      ? html`<div class="message assistant" part="message assistant-message">
          <div class="bubble" part="assistant-bubble" dir="auto" lang=${context.siteLang ?? nothing}>${welcomeNode(v.host, v.welcomeMessage, context)}</div>
        </div>`
      : nothing}${blocks}</div>
    ${chat.pendingId
      ? html`<div class="typing" aria-hidden="true" title=${s.typing}><span></span><span></span><span></span>${note ? html`<small>${note}</small>` : nothing}</div>`
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
 * 1,000 costs what it costs at message 10. Only the newest two blocks are laid out before they are
 * scrolled to (transcript.styles.ts), 11 to 20 messages: enough to fill the panel, few enough that
 * showing a restored transcript is not one long layout.
 */
const BLOCK = 10;

/**
 * How long one task may spend drawing messages not drawn before: a restored conversation of hundreds
 * is drawn over several tasks, so the host page is never held up for long (under a 4× slower CPU,
 * still within the 50 ms of a "long task").
 */
const SLICE_MS = 5;

/** Whether a message time has been formatted on this page: the first loads the browser's date data. */
let timesFormatted = false;

/** Each widget's transcript: a box per block and what it was last rendered from, and whether it has been shown. */
const transcripts = new WeakMap<object, { pages: Page[]; shown: boolean; filling?: Promise<void> }>();

interface Page {
  box: HTMLDivElement;
  /** What the block was last rendered from; none while some of its messages are still to be drawn. */
  deps?: unknown[];
  /** A box per message of the block, by id (see `placeInOrder`). */
  entries: Map<string, HTMLDivElement>;
}

/** While a widget's transcript is being drawn over several tasks: settles once the next slice is asked for. */
export function transcriptFilling(host: object): Promise<void> | undefined {
  return transcripts.get(host)?.filling;
}

/**
 * The conversation's blocks, oldest first: each a box of its own (see `blockView`). Messages never drawn
 * before are drawn for `SLICE_MS` at most; then the page gets a turn, and the element renders again for
 * the rest. A transcript never yet shown (a restored conversation) appears once it is whole, rather
 * than growing before the visitor's eyes and being spoken by the live log as it grows (until then: undefined).
 */
function blockViews(v: TranscriptView, context: MessageViewContext): HTMLDivElement[] | undefined {
  const { messages } = v.chat;
  const count = Math.ceil(messages.length / BLOCK);
  let transcript = transcripts.get(v.host);
  if (!transcript) transcripts.set(v.host, (transcript = { pages: [], shown: false }));
  const { pages } = transcript;
  // A conversation that got shorter (a new session) leaves no stale blocks behind.
  pages.length = Math.min(pages.length, count);
  const slice = { ends: performance.now() + SLICE_MS, drawn: 0, whole: true };
  // The first message time on the page loads the browser's date data, one long unit of work: a restored transcript has
  // it in a slice of its own, before any message (or the welcome message, whose markdown is another such unit).
  if (!timesFormatted && messages.length) {
    messageTime(context.lang, Date.now());
    timesFormatted = true;
    if (!transcript.shown) slice.whole = false; // this slice draws no message
  }
  const boxes = [];
  // Blocks before the newest two are "old": laid out only when scrolled to (a class, not :nth-last-child, which would
  // have the style engine re-check every block whenever one is added).
  for (let index = 0; index < count; index++) {
    boxes.push(blockView(messages.slice(index * BLOCK, (index + 1) * BLOCK), v, context, pages[index] ??= newPage(), index < count - 2, slice));
  }
  if (!slice.whole) {
    transcript.filling ??= nextTask().then(() => {
      transcript.filling = undefined;
      v.host.requestUpdate();
    });
  }
  return (transcript.shown ||= slice.whole) ? boxes : undefined;
}

function newPage(): Page {
  return { box: document.createElement('div'), entries: new Map() };
}

function blockView(
  block: readonly ChatMessage[],
  v: TranscriptView,
  context: MessageViewContext,
  page: Page,
  old: boolean,
  slice: { ends: number; drawn: number; whole: boolean },
): HTMLDivElement {
  // Whether a retry may start now, and the clock of a retry countdown, matter only to a block with a failed message.
  const failed = block.some((m) => m.status === 'failed');
  const ticking = failed && block.some((m) => secondsLeft(m, context.now) !== undefined);
  const deps = [context.strings, failed && context.canRetry, context.timeoutMs, context.lang, context.siteLang, !!context.renderer, context.feedback, ticking && context.now, ...block];
  // Each block is a box of its own, rendered into only when what it shows changed; the transcript's template holds the
  // box itself, which it leaves in place while it is the same box. So a new message lays out its block and the list
  // of blocks, not every message.
  if (!page.deps || page.deps.length !== deps.length || page.deps.some((dep, i) => dep !== deps[i])) {
    page.deps = deps;
    const { entries } = page;
    const nodes = [];
    for (const m of block) {
      let entry = entries.get(m.id);
      if (!entry) {
        // A message not drawn before waits for the next slice once this one is spent (each slice draws one at least).
        if (!slice.whole || (slice.drawn && performance.now() > slice.ends)) {
          slice.whole = false;
          page.deps = undefined;
          continue;
        }
        slice.drawn++;
        entries.set(m.id, (entry = document.createElement('div')));
        entry.className = 'entry';
      }
      render(messageView(m, context), entry, { host: v.host });
      nodes.push(entry);
    }
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

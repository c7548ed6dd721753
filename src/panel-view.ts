import { html, nothing, render, svg } from 'lit';
import type { ChatMessage } from './types.js';
import { format, type ChatStrings } from './strings.js';
import { messageView, secondsLeft, welcomeNode, type MessageViewContext } from './message-view.js';
import { markdownModule } from './on-need.js';
import { closeIcon } from './icons.js';

// Icons only the panel shows (the launcher's are in icons.ts). Decorative: names come from their buttons.
const sendIcon = svg`<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M5 12h14M13 6l6 6-6 6"/></svg>`;
const stopIcon = svg`<svg viewBox="0 0 24 24" aria-hidden="true"><rect x="7" y="7" width="10" height="10" rx="1.5" fill="currentColor"/></svg>`;
const newSessionIcon = svg`<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 20h9M16.5 3.5a2.1 2.1 0 0 1 3 3L7 19l-4 1 1-4z"/></svg>`;

/** What the panel shows and what its controls do: the element's state, handed over on each render. */
export interface PanelView {
  host: HTMLElement;
  strings: ChatStrings;
  bubble: boolean;
  /** The bubble has been opened once: its panel may animate from now on. */
  opened: boolean;
  /** Whether the conversation is rendered (not in a bubble that was never opened). */
  shown: boolean;
  title: string;
  messages: readonly ChatMessage[];
  welcomeMessage?: string;
  suggestions: string[];
  pendingId: string | null;
  draft: string;
  maxLength: number;
  placeholder?: string;
  message: MessageViewContext;
  /** The language times are written in. */
  lang: string;
  onPanelKeydown: (event: KeyboardEvent) => void;
  /** The visitor points at or focuses the panel: the renderer will be wanted soon. */
  onApproach: () => void;
  onNewSession: () => void;
  onClose: () => void;
  onTranscriptClick: (event: Event) => void;
  onSubmit: (text: string) => void;
  onDraft: (text: string) => void;
  onKeydown: (event: KeyboardEvent) => void;
  onStop: () => void;
}

/** The chat panel: header, transcript and composer. */
export function panelView(v: PanelView) {
  const s = v.strings;
  return html`<section class="panel ${v.opened ? 'opened' : ''}" part="panel" id="panel" aria-label=${v.title}
      @keydown=${v.onPanelKeydown} @pointerenter=${v.onApproach} @focusin=${v.onApproach}>
    <div class="header" part="header">
      <slot name="header"><div class="title" part="title">${v.title}</div></slot>
      <button class="icon-button" part="new-session-button" type="button" aria-label=${s.newSessionButton}
        title=${s.newSessionButton} @click=${v.onNewSession}>${newSessionIcon}</button>
      ${v.bubble
        ? html`<button class="icon-button" part="close-button" type="button" aria-label=${s.closeChat}
            title=${s.closeChat} @click=${v.onClose}>${closeIcon}</button>`
        : nothing}
    </div>
    <div class="transcript" part="transcript" role="log" aria-live="polite" aria-relevant="additions"
      aria-label=${s.transcriptLabel} tabindex="0" @click=${v.onTranscriptClick}>
      ${v.shown ? entries(v) : nothing}
    </div>
    ${composer(v)}
  </section>`;
}

/** The conversation itself; not rendered in a bubble that was never opened, so nothing needs the renderer yet. */
function entries(v: PanelView) {
  const s = v.strings;
  // One block box holds the conversation: adding a message lays out that box, not a flex line of a thousand items.
  // Written without spaces between its parts, so an empty conversation leaves the box :empty (and hidden).
  return html`<div class="messages">${v.welcomeMessage
      ? html`<div class="message assistant" part="message assistant-message">
          <div class="bubble" dir="auto">${welcomeNode(v.host, v.welcomeMessage, s)}</div>
        </div>`
      : nothing}${blocks(v.messages).map((block, index) => blockView(block, v, index))}</div>
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

function blocks(messages: readonly ChatMessage[]): (readonly ChatMessage[])[] {
  const out = [];
  for (let i = 0; i < messages.length; i += BLOCK) out.push(messages.slice(i, i + BLOCK));
  return out;
}

/** Each widget's blocks: a box per block, and what it was last rendered from. */
const pages = new WeakMap<object, { box: HTMLDivElement; deps: unknown[] }[]>();

function blockView(block: readonly ChatMessage[], v: PanelView, index: number) {
  const context = v.message;
  // Whether a retry may start now, and the clock of a retry countdown, matter only to a block with a failed message.
  const failed = block.some((m) => m.status === 'failed');
  const ticking = failed && block.some((m) => secondsLeft(m, context.now) !== undefined);
  const deps = [context.strings, failed && context.canRetry, context.timeoutMs, v.lang, !!markdownModule(), ticking && context.now, ...block];
  let list = pages.get(v.host);
  if (!list) pages.set(v.host, (list = []));
  // A conversation that got shorter (a new session) leaves no stale blocks behind.
  if (index === 0) list.length = Math.min(list.length, Math.ceil(v.messages.length / BLOCK));
  let page = list[index];
  // Each block is a box of its own, rendered into only when what it shows changed; the panel's template holds the
  // box itself, which it leaves in place while it is the same box. So a new message lays out its block and the list
  // of blocks, not every message.
  if (!page || page.deps.length !== deps.length || page.deps.some((dep, i) => dep !== deps[i])) {
    page ??= list[index] = { box: document.createElement('div'), deps };
    page.deps = deps;
    render(
      block.map((m) => messageView(m, context)),
      page.box,
      { host: v.host },
    );
  }
  // Blocks before the newest two are "old": laid out only when scrolled to (a class, not :nth-last-child, which would
  // have the style engine re-check every block whenever one is added).
  // Written only when it changes: inside the live log, even an unchanged attribute write is a mutation.
  const className = index < Math.ceil(v.messages.length / BLOCK) - 2 ? 'page old' : 'page';
  if (page.box.className !== className) page.box.className = className;
  return page.box;
}

function composer(v: PanelView) {
  const s = v.strings;
  const length = v.draft.trim().length;
  const over = Math.max(0, length - v.maxLength);
  return html`<form class="composer" part="composer" @submit=${(e: Event) => (e.preventDefault(), v.onSubmit(v.draft))}>
    <textarea class="input" part="input" rows="1" aria-label=${s.composerLabel} aria-describedby="counter"
      aria-invalid=${over > 0 ? 'true' : 'false'} placeholder=${v.placeholder ?? s.placeholder}
      @input=${(e: Event) => v.onDraft((e.target as HTMLTextAreaElement).value)}
      @keydown=${v.onKeydown}></textarea>
    ${v.pendingId
      ? html`<button class="stop" part="stop-button" type="button" aria-label=${s.stopButton} title=${s.stopButton}
          @click=${v.onStop}>${stopIcon}</button>`
      : html`<button class="send" part="send-button" type="submit" aria-label=${s.sendButton} title=${s.sendButton}
          ?disabled=${length === 0 || over > 0}>${sendIcon}</button>`}
    <div class="counter ${over ? 'over' : ''}" part="counter" id="counter">
      ${format(s.counter, { count: length, max: v.maxLength })}${over
        ? html`<span> · ${format(s.tooLong, { over })}</span>`
        : nothing}
    </div>
  </form>`;
}

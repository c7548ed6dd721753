import { html, nothing, type TemplateResult } from 'lit';
import type { ChatMessage } from './types.js';
import { format, type ChatStrings } from './strings.js';
import { describeFailure, type FailureCode } from './proxy-client.js';
import { renderMarkdown } from './markdown.js';

/** Rendered replies, one per message object: each reply is parsed and sanitized once. */
const rendered = new WeakMap<ChatMessage, { label: string; node: HTMLElement }>();
/** Welcome messages, per widget: a DOM node can sit in one widget only, even when two show the same text. */
const welcomes = new WeakMap<object, { key: string; node: HTMLElement }>();

function markdownNode(source: string, strings: ChatStrings): HTMLElement {
  const node = document.createElement('div');
  node.className = 'markdown';
  try {
    node.append(renderMarkdown(source, { copyLabel: strings.copyCode }));
  } catch (error) {
    // One reply that cannot be rendered must not take the whole transcript down: show it as text.
    console.error('thinnest-chat: a reply could not be rendered as markdown; showing it as text.', error);
    node.textContent = source;
  }
  return node;
}

/** The sanitized DOM of an assistant reply, made on first use and reused on every render. */
export function replyNode(message: ChatMessage, strings: ChatStrings): HTMLElement {
  const cached = rendered.get(message);
  if (cached && cached.label === strings.copyCode) return cached.node;
  const node = markdownNode(message.text, strings);
  rendered.set(message, { label: strings.copyCode, node });
  return node;
}

/** The welcome message's DOM for one widget, made again only when its text or the copy label changes. */
export function welcomeNode(owner: object, source: string, strings: ChatStrings): HTMLElement {
  const key = `${strings.copyCode}\u0000${source}`;
  const cached = welcomes.get(owner);
  if (cached?.key === key) return cached.node;
  const node = markdownNode(source, strings);
  welcomes.set(owner, { key, node });
  return node;
}

export interface MessageViewContext {
  strings: ChatStrings;
  timeoutMs: number;
  now: number;
  canRetry: boolean;
  onRetry: (id: string) => void;
}

/** One transcript entry. Visitor text is bound as text, never as HTML. */
export function messageView(message: ChatMessage, context: MessageViewContext): TemplateResult {
  const { strings } = context;
  if (message.role === 'assistant') {
    return html`<div class="message assistant" part="message assistant-message" data-id=${message.id}>
      <span class="sr-only">${strings.assistant}:</span>
      <div class="bubble" dir="auto">${replyNode(message, strings)}</div>
    </div>`;
  }
  const failed = message.status === 'failed';
  return html`<div
    class="message user ${message.status ?? 'delivered'}"
    part="message user-message"
    data-id=${message.id}
  >
    <span class="sr-only">${strings.you}:</span>
    <div class="bubble" dir="auto">${message.text}</div>
    ${message.status === 'pending' ? html`<span class="meta">${strings.sending}</span>` : nothing}
    ${failed ? errorView(message, context) : nothing}
  </div>`;
}

function errorView(message: ChatMessage, context: MessageViewContext): TemplateResult {
  const { strings, now } = context;
  const error = message.error;
  // Described at render time, so a change of `strings` re-words stored failures too.
  const reason = error
    ? describeFailure(
        { code: error.code as FailureCode, status: error.status, retryAfter: secondsLeft(message, now) },
        strings,
        context.timeoutMs,
      ).message || error.message
    : strings.notDelivered;
  const wait = secondsLeft(message, now);
  const retry = error?.retryable
    ? html`<button
        class="retry"
        part="retry-button"
        type="button"
        ?disabled=${!context.canRetry || wait !== undefined}
        @click=${() => context.onRetry(message.id)}
      >
        ${wait !== undefined ? format(strings.retryIn, { seconds: wait }) : strings.retryButton}
      </button>`
    : nothing;
  return html`<div class="error" part="error">
    <span class="sr-only">${strings.notDelivered}:</span><span>${reason}</span>${retry}
  </div>`;
}

/** Seconds until a rate-limited message may be retried, or undefined when it may now. */
export function secondsLeft(message: ChatMessage, now: number): number | undefined {
  if (message.retryAt === undefined || message.retryAt <= now) return undefined;
  return Math.ceil((message.retryAt - now) / 1000);
}

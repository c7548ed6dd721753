import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { ChatMessage } from './types.js';
import type { LocaleController } from './locale-controller.js';
import { createChatEvent } from './events.js';
import { composing } from './composer-controller.js';
import { chatIcon, closeIcon } from './icons.js';
import type { ScreenController } from './screen-controller.js';

type Host = ReactiveControllerHost &
  HTMLElement & { renderRoot: ParentNode; open: boolean; mode: 'inline' | 'bubble'; readonly messages: readonly ChatMessage[] };

/** What the bubble needs from its element besides its state. */
export interface BubbleOptions {
  screen: ScreenController;
  locale: LocaleController;
  announce: (text: string, urgent?: boolean) => void;
  /** The launcher is pointed at or focused: the panel is probably wanted next. */
  preload: () => void;
}

/**
 * The bubble: its launcher, which is marked while a reply is unseen or a message failed behind
 * it; its panel opening and closing (announced by `thinnest-chat-toggle`); Escape; focus (into the
 * input on open, back to the launcher on close). Where the open panel fills a phone's screen, its Tab
 * trap and its fit to the on-screen keyboard come with the conversation's code (full-screen.ts).
 */
export class BubbleController implements ReactiveController {
  /** The bubble has been opened: its panel is rendered from now on, and may animate. */
  opened = false;
  /** What the closed bubble's launcher is marked with: a reply not yet seen, or a message that failed. */
  unread: false | 'reply' | 'failure' = false;
  readonly #host: Host;
  readonly #options: BubbleOptions;
  /** The open state of the last update; undefined before the first. */
  #wasOpen?: boolean;
  /** The input takes focus as soon as it is rendered. */
  #focusInput = false;

  constructor(host: Host, options: BubbleOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
    // A reply that lands while the bubble is closed marks the launcher until the panel opens, and is announced by
    // the status region (the closed bubble hides the log).
    host.addEventListener('thinnest-chat-reply', () => {
      if (this.#closed && this.unread !== 'failure') this.#mark('reply', options.locale.strings.unreadLabel);
    });
    // Spoken once per event, never by a re-render: the log hides failure notes from speech, so they are said here,
    // urgently. Behind a closed bubble the launcher is marked too, until the panel opens.
    host.addEventListener('thinnest-chat-error', ({ detail }) => {
      if (host.messages.some((m) => m.status === 'failed' && m.error?.message === detail.message)) {
        options.announce(`${options.locale.strings.notDelivered}: ${detail.message}`, true);
        if (this.#closed) this.#mark('failure');
      }
    });
  }

  /** The open bubble fills small screens; it is then a modal dialog. */
  get fullScreen(): boolean {
    return this.#open && this.#options.screen.small;
  }

  /** The widget is a bubble, and open. */
  get #open(): boolean {
    return this.#host.mode === 'bubble' && this.#host.open;
  }

  get #closed(): boolean {
    return this.#host.mode === 'bubble' && !this.#host.open;
  }

  #mark(unread: 'reply' | 'failure', announcement?: string): void {
    this.unread = unread;
    if (announcement) this.#options.announce(announcement);
    this.#host.requestUpdate();
  }

  /** Focus goes into the input once it is rendered (the conversation's code may still be on its way). */
  focusInput(): void {
    this.#focusInput = true;
    this.#host.requestUpdate();
  }

  hostUpdate(): void {
    if (this.#open) this.opened = true;
    if (this.#host.open) this.unread = false;
  }

  hostUpdated(): void {
    const host = this.#host;
    // Only a bubble opens and closes: `open` set on an inline widget changes nothing a visitor sees, and says nothing.
    if (host.mode === 'bubble' && this.#wasOpen !== undefined && this.#wasOpen !== host.open) {
      host.dispatchEvent(createChatEvent('thinnest-chat-toggle', { open: host.open }));
      this.#focusInput = host.open;
      // Focus in the panel, or on what the page put in its header slot, goes back to the launcher. (Not :focus-within,
      // which a window without the system's focus does not match, as a test's may not have it.)
      if (!host.open && host.contains((host.getRootNode() as Document).activeElement)) host.renderRoot.querySelector<HTMLElement>('.launcher')?.focus();
    }
    this.#wasOpen = host.open;
    const input = host.renderRoot.querySelector<HTMLElement>('.input');
    if (this.#focusInput && input) {
      this.#focusInput = false;
      input.focus();
    }
  }

  renderLauncher() {
    const { strings: s, uiLang } = this.#options.locale;
    const { open } = this.#host;
    const { unread } = this;
    const label = open ? s.closeChat : unread ? `${s.openChat} (${unread === 'failure' ? s.notDelivered : s.unreadLabel})` : s.openChat;
    return html`<button class="launcher ${this.#options.screen.small ? 'small' : ''}" part="launcher" type="button" lang=${uiLang ?? nothing}
      aria-controls="panel" aria-expanded=${open ? 'true' : 'false'} aria-label=${label}
      @click=${() => (this.#host.open = !this.#host.open)} @keydown=${this.onKeydown}
      @pointerenter=${this.#options.preload} @focus=${this.#options.preload}>
      ${open ? closeIcon : html`<slot name="launcher-icon">${chatIcon}</slot>`}
      ${unread ? html`<span class="unread ${unread}" part="unread"></span>` : nothing}
    </button>`;
  }

  /** Keys on the launcher and the panel: Escape closes the bubble, unless it cancels an IME composition (Japanese, Chinese, Korean input). */
  readonly onKeydown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape' && !composing(event) && this.#open) {
      event.stopPropagation();
      this.#host.open = false;
    }
  };
}

import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ChatMessage } from './types.js';
import { ChatController } from './chat-controller.js';
import { createChatEvent } from './events.js';
import { configurationProblem } from './proxy-client.js';
import { storageKeyFor } from './session-store.js';
import { format, resolveStrings, type ChatStrings } from './strings.js';
import { LocaleController } from './locale-controller.js';
import { Announcer, liveRegions } from './announcer.js';
import { messageView, secondsLeft, setLabel, welcomeNode } from './message-view.js';
import { chatIcon, closeIcon, newSessionIcon, sendIcon, stopIcon } from './icons.js';
import { styles } from './thinnest-chat.styles.js';
import { loadMarkdown, markdownModule } from './markdown-loader.js';

const DEFAULT_TIMEOUT = 60_000;

/** JSON attribute that must hold an array of strings; anything else is ignored with a warning. */
const stringListConverter = {
  fromAttribute(value: string | null): string[] {
    if (!value) return [];
    try {
      const parsed: unknown = JSON.parse(value);
      if (Array.isArray(parsed) && parsed.every((item) => typeof item === 'string')) return parsed;
    } catch {
      // Reported below.
    }
    console.warn('thinnest-chat: the suggestions attribute must be a JSON array of strings, e.g. \'["Hi", "Pricing?"]\'.');
    return [];
  },
};

/** JSON attribute holding an object (the `strings` overrides). */
const jsonObjectConverter = {
  fromAttribute(value: string | null): Partial<ChatStrings> {
    if (!value) return {};
    try {
      const parsed: unknown = JSON.parse(value);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Partial<ChatStrings>;
    } catch {
      // Reported below.
    }
    console.warn('thinnest-chat: the strings attribute must be a JSON object, e.g. \'{"sendButton": "Senden"}\'.');
    return {};
  },
};

/**
 * A chat widget for a thinnest.ai agent. It posts each message to the site owner's proxy
 * (never to the API, never with a key) and renders the agent's markdown replies safely.
 *
 * It speaks the language of its `lang` (or the nearest ancestor's, or the page's) when that
 * locale is loaded (`import 'thinnest-chat/locales/de'`, or `registerLocale()`), else English;
 * `strings` overrides any text. A right-to-left `dir` or language (Arabic, Hebrew, Persian,
 * Urdu …) mirrors the layout, launcher corner included.
 *
 * @tag thinnest-chat
 * @summary Embeddable chat with a thinnest.ai agent, through your proxy.
 *
 * @fires {CustomEvent<SendEventDetail>} thinnest-chat-send - Before a message goes out; `detail: {message, sessionId}`. Cancelable: `preventDefault()` stops the send.
 * @fires {CustomEvent<ReplyEventDetail>} thinnest-chat-reply - An assistant reply arrived; `detail: {message, sessionId, metadata}`.
 * @fires {CustomEvent<ErrorEventDetail>} thinnest-chat-error - A send failed or the configuration is refused; `detail: {code, status, message, retryable}`.
 * @fires {CustomEvent<SessionEventDetail>} thinnest-chat-session - A session started, was adopted from the server, or was reset; `detail: {sessionId, previous}`.
 * @fires {CustomEvent<ToggleEventDetail>} thinnest-chat-toggle - The bubble panel opened or closed; `detail: {open}`.
 *
 * @slot header - Replaces the title in the header (logo, avatar, status line).
 * @slot empty - Shown while the transcript is empty, in place of the suggestions.
 * @slot launcher-icon - The icon inside the bubble launcher.
 *
 * @csspart launcher - The round button that opens the bubble panel.
 * @csspart panel - The chat box: header, transcript and composer.
 * @csspart header - The bar at the top of the panel.
 * @csspart title - The title text in the header.
 * @csspart transcript - The scrolling list of messages (a live region).
 * @csspart message - Every message, visitor or assistant.
 * @csspart user-message - A visitor's message.
 * @csspart assistant-message - An assistant's reply (and the welcome message).
 * @csspart error - The failure note under a message that was not delivered.
 * @csspart composer - The form at the bottom: input, counter, send and stop buttons.
 * @csspart input - The message textarea.
 * @csspart send-button - The send button.
 * @csspart stop-button - The stop button shown while a reply is awaited.
 * @csspart counter - The character counter under the input.
 * @csspart suggestion - Each starter-prompt button.
 * @csspart new-session-button - The header button that starts a new conversation.
 * @csspart close-button - The header button that closes the bubble panel.
 * @csspart retry-button - The retry control of a failed message.
 * @csspart unread - The dot on the launcher while a reply is unread.
 *
 * @cssprop [--thinnest-chat-accent=#2256d6] - Brand colour: send button, launcher, visitor bubbles.
 * @cssprop [--thinnest-chat-accent-text=#ffffff] - Text and icons on the accent colour.
 * @cssprop [--thinnest-chat-background=#ffffff] - Panel background.
 * @cssprop [--thinnest-chat-foreground=#1b1f24] - Main text colour.
 * @cssprop [--thinnest-chat-muted=#5b6470] - Secondary text: counter, placeholder, icons.
 * @cssprop [--thinnest-chat-border-color=#d5d9df] - Dividers and bubble outlines.
 * @cssprop [--thinnest-chat-control-border=#767f8c] - Outline of the message input (3:1 against the background).
 * @cssprop [--thinnest-chat-radius=14px] - Corner radius of the panel and bubbles.
 * @cssprop [--thinnest-chat-font-family=system-ui] - Font of the whole widget.
 * @cssprop [--thinnest-chat-font-size=15px] - Base font size.
 * @cssprop [--thinnest-chat-user-bubble=var(--thinnest-chat-accent)] - Visitor bubble background.
 * @cssprop [--thinnest-chat-user-bubble-text=var(--thinnest-chat-accent-text)] - Visitor bubble text.
 * @cssprop [--thinnest-chat-assistant-bubble=#f0f2f5] - Assistant bubble background.
 * @cssprop [--thinnest-chat-assistant-bubble-text=var(--thinnest-chat-foreground)] - Assistant bubble text.
 * @cssprop [--thinnest-chat-error-color=#b42318] - Failure notes.
 * @cssprop [--thinnest-chat-error-background=#fdecea] - Background of failure notes.
 * @cssprop [--thinnest-chat-code-background=#1f2430] - Code block background.
 * @cssprop [--thinnest-chat-code-text=#f3f4f6] - Code block text.
 * @cssprop [--thinnest-chat-focus-ring=var(--thinnest-chat-accent)] - Keyboard focus outline.
 * @cssprop [--thinnest-chat-width=380px] - Width of the bubble panel.
 * @cssprop [--thinnest-chat-height=560px] - Height of the inline widget and the bubble panel.
 * @cssprop [--thinnest-chat-z-index=2147483000] - Stacking of the launcher and the bubble panel.
 * @cssprop [--thinnest-chat-shadow=0 12px 40px rgb(0 0 0 / 0.18)] - Shadow of the launcher and bubble panel.
 */
export class ThinnestChat extends LitElement {
  static override styles = styles;

  /** Where messages are POSTed: your proxy, never `api.thinnest.ai` (refused: keys belong on a proxy). */
  @property({ attribute: 'proxy-url' }) proxyUrl?: string;
  /** Header text. Defaults to "Chat" (`strings.chatTitle`). */
  @property({ attribute: 'chat-title' }) chatTitle?: string;
  /** Composer placeholder. */
  @property() placeholder?: string;
  /** Markdown shown as the first assistant bubble; local only, never sent. */
  @property({ attribute: 'welcome-message' }) welcomeMessage?: string;
  /** Starter prompts shown while the transcript is empty (attribute: a JSON array of strings). A click sends one. */
  @property({ converter: stringListConverter }) suggestions: string[] = [];
  /** `inline` fills its box; `bubble` is a floating launcher that opens a panel. */
  @property({ reflect: true }) mode: 'inline' | 'bubble' = 'inline';
  /** Whether the bubble panel is open. */
  @property({ type: Boolean, reflect: true }) open = false;
  /** Corner of the bubble launcher; mirrored in a right-to-left layout. */
  @property({ reflect: true }) position: 'bottom-right' | 'bottom-left' = 'bottom-right';
  /** `auto` follows `prefers-color-scheme`. */
  @property({ reflect: true }) theme: 'auto' | 'light' | 'dark' = 'auto';
  /** Storage namespace; defaults to one derived from `proxy-url`, so two widgets never share a session by accident. */
  @property({ attribute: 'storage-key' }) storageKey?: string;
  /** `local` (localStorage), `session` (sessionStorage) or `none` (memory only). */
  @property() persist: 'local' | 'session' | 'none' = 'local';
  /** Per-request limit in milliseconds. */
  @property({ type: Number }) timeout: number = 60000;
  /** fetch credentials mode for requests to the proxy. */
  @property() credentials: 'same-origin' | 'include' | 'omit' = 'same-origin';
  /** Longest message a visitor may send, in characters; a counter shows it. Match the proxy's `MAX_MESSAGE_CHARS`. */
  @property({ attribute: 'max-length', type: Number }) maxLength = 4000;
  /** Extra headers to the proxy, e.g. a CSRF token. A value that looks like an Agent API key (`agno_…`) is refused. */
  @property({ attribute: false }) headers: Record<string, string> = {};
  /**
   * Overrides for any user-visible text and accessible name; as an attribute, a JSON object. They are laid
   * over the locale registered for the widget's language (its `lang`, an ancestor's or the page's; see
   * `registerLocale` and `thinnest-chat/locales/*`) and English, key by key. Shown as text, never as HTML.
   */
  @property({ converter: jsonObjectConverter }) strings: Partial<ChatStrings> = {};

  @state() private draft = '';
  @state() private unread = false;
  @state() private now = Date.now();
  @query('.input') private input?: HTMLTextAreaElement;
  @query('.launcher') private launcher?: HTMLButtonElement;
  @query('.transcript') private transcript?: HTMLElement;

  readonly #chat = new ChatController(this, () => ({
    proxyUrl: this.proxyUrl,
    headers: this.headers ?? {},
    timeoutMs: this.timeout > 0 ? this.timeout : DEFAULT_TIMEOUT,
    credentials: this.credentials,
    strings: this.#strings,
    storageKey: storageKeyFor(this.storageKey, this.proxyUrl),
    persist: this.persist === 'session' || this.persist === 'none' ? this.persist : 'local',
  }));
  #strings: ChatStrings = resolveStrings({});
  readonly #locale = new LocaleController(this);
  readonly #announcer = new Announcer(this);
  #clock?: ReturnType<typeof setInterval>;
  #reportedProblem: string | null = null;
  #opened = false;
  #markdownLoading?: Promise<void>;
  #followBottom = true;
  #newest = '';
  /** Keyboard focus before a render: when the render removes that control, focus goes on in the input, not to the page top. */
  #focusBefore: Element | null = null;

  /** The transcript, oldest first (read-only; the welcome message is not part of it). */
  get messages(): readonly ChatMessage[] {
    return this.#chat.messages;
  }

  /** The current session id, or `null` before the first message. */
  get sessionId(): string | null {
    return this.#chat.sessionId;
  }

  /** Sends `text` as the visitor. Resolves when the reply arrived or the send failed. */
  async send(text: string): Promise<void> {
    if (String(text).trim().length > this.maxLength) {
      console.warn(`thinnest-chat: message longer than max-length (${this.maxLength}) not sent.`);
      return;
    }
    await this.#chat.send(String(text));
  }

  /** Clears the transcript and the session, and starts a fresh one. */
  newSession(): void {
    this.#chat.newSession();
    this.updateComplete.then(() => this.input?.focus());
  }

  /** Opens the bubble panel. */
  show(): void {
    this.open = true;
  }

  /** Closes the bubble panel. */
  hide(): void {
    this.open = false;
  }

  /** Opens or closes the bubble panel. */
  toggle(): void {
    this.open = !this.open;
  }

  /** Moves focus to the message input (opening the bubble panel first). */
  override focus(options?: FocusOptions): void {
    if (this.mode === 'bubble') this.open = true;
    this.updateComplete.then(() => this.input?.focus(options));
  }

  constructor() {
    super();
    // A reply that lands while the bubble is closed marks the launcher until the panel opens.
    this.addEventListener('thinnest-chat-reply', () => {
      if (this.mode === 'bubble' && !this.open) this.unread = true;
    });
    // Spoken once per event, never by a re-render: the log hides failure notes from speech, so they are said here, urgently.
    this.addEventListener('thinnest-chat-error', ({ detail }) => {
      if (this.messages.some((m) => m.status === 'failed' && m.error?.message === detail.message)) {
        this.#announcer.announce(`${this.#strings.notDelivered}: ${detail.message}`, true);
      }
    });
    // The closed bubble hides the log, so a reply there is announced by the status region.
    this.addEventListener('thinnest-chat-reply', () => {
      if (this.mode === 'bubble' && !this.open) this.#announcer.announce(this.#strings.unreadLabel);
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    globalThis.visualViewport?.addEventListener('resize', this.#fitViewport);
    globalThis.visualViewport?.addEventListener('scroll', this.#fitViewport);
  }

  override disconnectedCallback(): void {
    globalThis.visualViewport?.removeEventListener('resize', this.#fitViewport);
    globalThis.visualViewport?.removeEventListener('scroll', this.#fitViewport);
    super.disconnectedCallback();
    clearInterval(this.#clock);
    this.#clock = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.#strings = this.#locale.resolve(this.strings);
    if (this.mode === 'bubble' && this.open) this.#opened = true;
    if (this.#panelShown() && !markdownModule()) this.#preloadMarkdown();
    const active = this.shadowRoot?.activeElement;
    this.#focusBefore = active?.matches(':focus-visible') ? active : null;
    if (changed.has('proxyUrl') || changed.has('storageKey') || changed.has('persist')) this.#chat.open();
    if (changed.has('open') && this.open) this.unread = false;
    const box = this.transcript;
    // Follow the conversation only while the visitor is at the bottom: never yank them away from what they are reading.
    this.#followBottom = !box || box.scrollHeight - box.scrollTop - box.clientHeight < 48;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('proxyUrl') || changed.has('headers')) this.#reportConfiguration();
    if (changed.has('open') && changed.get('open') !== undefined) {
      this.dispatchEvent(createChatEvent('thinnest-chat-toggle', { open: this.open }));
      if (this.mode === 'bubble') {
        this.#fitViewport();
        if (this.open) this.input?.focus();
        else if (this.shadowRoot?.activeElement) this.launcher?.focus();
      }
    }
    // A sent suggestion, a retry or stop button that just went away.
    if (this.#focusBefore && !this.#focusBefore.isConnected) this.input?.focus();
    this.#focusBefore = null;
    this.#tickWhileWaiting();
    this.#scrollToNewest();
  }

  #scrollToNewest(): void {
    const box = this.transcript;
    const last = this.messages.at(-1);
    const newest = `${last?.id}|${this.#chat.pendingId}`;
    if (!box || newest === this.#newest) return;
    this.#newest = newest;
    if (!last || !(this.#followBottom || last.role === 'user')) return;
    const node = box.querySelector<HTMLElement>(`[data-id="${last.id}"]`);
    // A reply taller than the view is shown from its first line, not its last.
    if (last.role === 'assistant' && node && node.offsetHeight > box.clientHeight) box.scrollTop = node.offsetTop - 8;
    else box.scrollTop = box.scrollHeight;
  }

  /** Refusals that would expose a key are reported as soon as they are configured, not only on send. */
  #reportConfiguration(): void {
    const problem = this.proxyUrl ? configurationProblem(this.proxyUrl, this.headers) : null;
    if (problem && problem !== this.#reportedProblem) {
      console.error(problem);
      this.dispatchEvent(
        createChatEvent('thinnest-chat-error', { code: 'misconfigured', status: 0, message: problem, retryable: false }),
      );
    }
    this.#reportedProblem = problem;
  }

  /** A countdown on rate-limited retries needs a clock only while one is waiting. */
  #tickWhileWaiting(): void {
    const waiting = this.messages.some((m) => secondsLeft(m, Date.now()) !== undefined);
    if (waiting && !this.#clock) this.#clock = setInterval(() => (this.now = Date.now()), 1000);
    if (!waiting && this.#clock) {
      clearInterval(this.#clock);
      this.#clock = undefined;
    }
  }

  #submit(text: string): void {
    if (text.trim().length > this.maxLength) return;
    const sending = this.#chat.send(text);
    if (!sending) return;
    if (text === this.draft) this.draft = '';
  }

  #onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.#submit(this.draft);
    }
  }

  #onPanelKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape' && this.mode === 'bubble' && this.open) {
      event.stopPropagation();
      this.hide();
    } else if (event.key === 'Tab' && this.#fullScreen()) {
      this.#trapTab(event);
    }
  }

  /** The open bubble fills small screens; it then behaves like a dialog. */
  #fullScreen(): boolean {
    return this.mode === 'bubble' && this.open && matchMedia('(max-width: 480px)').matches;
  }

  /** Keeps Tab inside the full-screen panel: the page behind it is covered, so focus must not wander there. */
  #trapTab(event: KeyboardEvent): void {
    const focusable = Array.from(
      this.renderRoot.querySelectorAll<HTMLElement>('.panel button:not([disabled]), .panel textarea, .panel a[href], .panel [tabindex="0"]'),
    ).filter((node) => node.offsetParent !== null || node.getClientRects().length > 0);
    if (!focusable.length) return;
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    const active = this.shadowRoot?.activeElement;
    if (event.shiftKey && (active === first || !active)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first.focus();
    }
  }

  /** On phones the on-screen keyboard shrinks the visual viewport: the full-screen panel follows it, composer on top. */
  readonly #fitViewport = (): void => {
    const panel = this.renderRoot.querySelector<HTMLElement>('.panel');
    const viewport = globalThis.visualViewport;
    if (!panel || !viewport) return;
    if (this.#fullScreen()) {
      panel.style.setProperty('--_viewport-height', `${viewport.height}px`);
      panel.style.setProperty('--_viewport-top', `${viewport.offsetTop}px`);
    } else {
      panel.style.removeProperty('--_viewport-height');
      panel.style.removeProperty('--_viewport-top');
    }
  };

  async #onTranscriptClick(event: Event): Promise<void> {
    const button = (event.target as Element).closest?.('[data-copy]');
    const code = button?.parentElement?.querySelector('pre')?.textContent;
    if (!button || code == null) return;
    try {
      await navigator.clipboard.writeText(code);
      setLabel(button, this.#strings.copied);
      this.#announcer.announce(this.#strings.copied);
      setTimeout(() => setLabel(button, this.#strings.copyCode), 1500);
    } catch {
      // No clipboard permission (or plain http): select the code so the visitor can copy it.
      const range = document.createRange();
      range.selectNodeContents(button.parentElement!.querySelector('pre')!);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
    }
  }

  /** Whether the transcript is on screen: always inline; in a bubble, once it has been opened. */
  #panelShown(): boolean {
    return this.mode !== 'bubble' || this.open || this.#opened;
  }

  /** Fetches the renderer ahead of need (launcher hover or focus) or on need; re-renders when it lands. */
  #preloadMarkdown(): void {
    this.#markdownLoading ??= loadMarkdown().then(() => {
      this.#markdownLoading = undefined;
      this.requestUpdate();
    });
  }

  /** `updateComplete` also waits for the renderer a visible reply needs, so callers see the finished bubble. */
  protected override async getUpdateComplete(): Promise<boolean> {
    let done = await super.getUpdateComplete();
    while (this.#markdownLoading) {
      await this.#markdownLoading;
      done = await super.getUpdateComplete();
    }
    return done;
  }

  protected override render() {
    const s = this.#strings;
    const bubble = this.mode === 'bubble';
    return html`${bubble ? this.#renderLauncher(s) : nothing}
      <section
        class="panel ${this.#opened ? 'opened' : ''}"
        part="panel"
        id="panel"
        aria-label=${this.chatTitle || s.chatTitle}
        @keydown=${this.#onPanelKeydown}
      >
        <div class="header" part="header">
          <slot name="header"><div class="title" part="title">${this.chatTitle || s.chatTitle}</div></slot>
          <button class="icon-button" part="new-session-button" type="button" aria-label=${s.newSessionButton}
            title=${s.newSessionButton} @click=${() => this.newSession()}>${newSessionIcon}</button>
          ${bubble
            ? html`<button class="icon-button" part="close-button" type="button" aria-label=${s.closeChat}
                title=${s.closeChat} @click=${() => this.hide()}>${closeIcon}</button>`
            : nothing}
        </div>
        ${this.#renderTranscript(s)} ${this.#renderComposer(s)}
      </section>
      ${liveRegions}`;
  }

  #renderLauncher(s: ChatStrings) {
    return html`<button class="launcher" part="launcher" type="button" aria-controls="panel"
      aria-expanded=${this.open ? 'true' : 'false'}
      aria-label=${this.open ? s.closeChat : this.unread ? `${s.openChat} (${s.unreadLabel})` : s.openChat}
      @click=${() => this.toggle()} @pointerenter=${() => this.#preloadMarkdown()} @focus=${() => this.#preloadMarkdown()}>
      <slot name="launcher-icon">${this.open ? closeIcon : chatIcon}</slot>
      ${this.unread ? html`<span class="unread" part="unread"></span>` : nothing}
    </button>`;
  }

  #renderTranscript(s: ChatStrings) {
    const pendingId = this.#chat.pendingId;
    const context = {
      strings: s,
      timeoutMs: this.timeout > 0 ? this.timeout : DEFAULT_TIMEOUT,
      // The clock state only schedules re-renders; the countdown always reads the real time.
      now: Math.max(this.now, Date.now()),
      canRetry: pendingId === null,
      onRetry: (id: string) => void this.#chat.retry(id),
      time: (ms: number) => this.#locale.time(ms),
    };
    return html`<div class="transcript" part="transcript" role="log" aria-live="polite" aria-relevant="additions"
      aria-label=${s.transcriptLabel}
      tabindex="0" @click=${this.#onTranscriptClick}>
      ${this.#panelShown() ? this.#renderEntries(s, context, pendingId) : nothing}
    </div>`;
  }

  /** The conversation itself; not rendered in a bubble that was never opened, so nothing needs the renderer yet. */
  #renderEntries(s: ChatStrings, context: Parameters<typeof messageView>[1], pendingId: string | null) {
    const empty = this.messages.length === 0;
    return html`${this.welcomeMessage
        ? html`<div class="message assistant" part="message assistant-message">
            <div class="bubble" dir="auto">${welcomeNode(this, this.welcomeMessage, s)}</div>
          </div>`
        : nothing}
      ${repeat(this.messages, (m) => m.id, (m) => messageView(m, context))}
      ${pendingId ? html`<div class="typing" aria-hidden="true" title=${s.typing}><span></span><span></span><span></span></div>` : nothing}
      ${empty
        ? html`<slot name="empty">${this.suggestions.length
            ? html`<div class="suggestions" role="group" aria-label=${s.suggestionsLabel}>
                ${this.suggestions.map((text) => html`<button class="suggestion" part="suggestion" type="button"
                  @click=${() => this.#submit(text)}>${text}</button>`)}
              </div>`
            : nothing}</slot>`
        : nothing}`;
  }

  #renderComposer(s: ChatStrings) {
    const busy = this.#chat.pendingId !== null;
    const length = this.draft.trim().length;
    const over = Math.max(0, length - this.maxLength);
    return html`<form class="composer" part="composer" @submit=${(e: Event) => (e.preventDefault(), this.#submit(this.draft))}>
      <textarea class="input" part="input" rows="1" aria-label=${s.composerLabel} aria-describedby="counter"
        aria-invalid=${over > 0 ? 'true' : 'false'} placeholder=${this.placeholder ?? s.placeholder}
        .value=${live(this.draft)} @input=${(e: Event) => (this.draft = (e.target as HTMLTextAreaElement).value)}
        @keydown=${this.#onKeydown}></textarea>
      ${busy
        ? html`<button class="stop" part="stop-button" type="button" aria-label=${s.stopButton} title=${s.stopButton}
            @click=${() => this.#chat.stop()}>${stopIcon}</button>`
        : html`<button class="send" part="send-button" type="submit" aria-label=${s.sendButton} title=${s.sendButton}
            ?disabled=${length === 0 || over > 0}>${sendIcon}</button>`}
      <div class="counter ${over ? 'over' : ''}" part="counter" id="counter">
        ${format(s.counter, { count: length, max: this.maxLength })}${over
          ? html`<span> · ${format(s.tooLong, { over })}</span>`
          : nothing}
      </div>
    </form>`;
  }
}

import { LitElement, adoptStyles, html, nothing, type PropertyValues } from 'lit';
import type { ChatMessage } from './types.js';
import type { ChatController } from './chat-controller.js';
import { createChatEvent } from './events.js';
import { configurationProblem, storageKeyFor } from './configuration.js';
import { SessionStore, freeze, type Conversation } from './session-store.js';
import { format, resolveStrings, type ChatStrings } from './strings.js';
import { ScreenController } from './screen-controller.js';
import { LocaleController } from './locale-controller.js';
import { Announcer, liveRegions } from './announcer.js';
import { chatIcon, closeIcon } from './icons.js';
import { styles } from './thinnest-chat.styles.js';
import { frameStyles } from './frame.styles.js';
import { frameView } from './frame-view.js';
import { characters } from './text.js';
import { loadMarkdown, loadPanel, markdownModule, panelModule } from './on-need.js';

const DEFAULT_TIMEOUT = 60_000;

type Panel = typeof import('./panel.js');

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
 * @csspart message - Every message entry, visitor or assistant: its bubble, its time and any failure note.
 * @csspart user-message - A visitor's message entry (bubble, time, failure note).
 * @csspart assistant-message - An assistant's reply entry (and the welcome message).
 * @csspart user-bubble - The bubble of a visitor's message: its background, text colour and shape.
 * @csspart assistant-bubble - The bubble of an assistant's reply (and of the welcome message).
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
 * @csspart edit-button - The control that puts a message the proxy refused (400, 413) back into the input to change.
 * @csspart unread - The dot on the launcher while a reply is unread, or (with an exclamation mark, class `failure`) a message failed behind the closed bubble.
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
  static override styles = [styles, frameStyles];
  // Declared here rather than with decorators: the same reactive properties, without the decorators' code in the page.
  static override properties = {
    proxyUrl: { attribute: 'proxy-url' },
    chatTitle: { attribute: 'chat-title' },
    placeholder: {},
    welcomeMessage: { attribute: 'welcome-message' },
    suggestions: { converter: stringListConverter },
    mode: { reflect: true },
    open: { type: Boolean, reflect: true },
    position: { reflect: true },
    theme: { reflect: true },
    storageKey: { attribute: 'storage-key' },
    persist: {},
    timeout: { type: Number },
    credentials: {},
    maxLength: { attribute: 'max-length', type: Number },
    headers: { attribute: false },
    strings: { converter: jsonObjectConverter },
    draft: { state: true },
    unread: { state: true },
    now: { state: true },
  };

  /** Where messages are POSTed: your proxy, never `api.thinnest.ai` (refused: keys belong on a proxy). */
  declare proxyUrl?: string;
  /** Header text. Defaults to "Chat" (`strings.chatTitle`). */
  declare chatTitle?: string;
  /** Composer placeholder. */
  declare placeholder?: string;
  /** Markdown shown as the first assistant bubble; local only, never sent. */
  declare welcomeMessage?: string;
  /** Starter prompts shown while the transcript is empty (attribute: a JSON array of strings). A click sends one. */
  suggestions: string[] = [];
  /** `inline` fills its box; `bubble` is a floating launcher that opens a panel. */
  mode: 'inline' | 'bubble' = 'inline';
  /** Whether the bubble panel is open. */
  open = false;
  /** Corner of the bubble launcher; mirrored in a right-to-left layout. */
  position: 'bottom-right' | 'bottom-left' = 'bottom-right';
  /** `auto` follows `prefers-color-scheme`. */
  theme: 'auto' | 'light' | 'dark' = 'auto';
  /** Storage namespace; defaults to one derived from `proxy-url`, so two widgets never share a session by accident. */
  declare storageKey?: string;
  /** `local` (localStorage), `session` (sessionStorage) or `none` (memory only). */
  persist: 'local' | 'session' | 'none' = 'local';
  /** Per-request limit in milliseconds. */
  timeout: number = 60000;
  /** fetch credentials mode for requests to the proxy. */
  credentials: 'same-origin' | 'include' | 'omit' = 'same-origin';
  /** Longest message a visitor may send, in characters; a counter shows it. Match the proxy's `MAX_MESSAGE_CHARS`. */
  maxLength = 4000;
  /** Extra headers to the proxy, e.g. a CSRF token. A value that looks like an Agent API key (`agno_…`) is refused. */
  headers: Record<string, string> = {};
  /**
   * Overrides for any user-visible text and accessible name; as an attribute, a JSON object. They are laid
   * over the locale registered for the widget's language (its `lang`, an ancestor's or the page's; see
   * `registerLocale` and `thinnest-chat/locales/*`) and English, key by key. Shown as text, never as HTML.
   */
  strings: Partial<ChatStrings> = {};

  private draft = '';
  /** What the closed bubble's launcher is marked with: a reply not yet seen, or a message that failed. */
  private unread: false | 'reply' | 'failure' = false;
  private now = Date.now();
  private get input() {
    return this.renderRoot?.querySelector<HTMLTextAreaElement>('.input');
  }
  private get launcher() {
    return this.renderRoot?.querySelector<HTMLButtonElement>('.launcher');
  }
  private get transcript() {
    return this.renderRoot?.querySelector<HTMLElement>('.transcript');
  }

  /** The panel's code, once loaded; until then a bubble shows only its launcher. */
  #panel?: Panel;
  #panelLoading?: Promise<void>;
  #panelStyled = false;
  #panelFailed = false;
  /** The bubble opened: its input takes focus as soon as it is rendered. */
  #focusInput = false;
  /** The conversation: made when the panel's code arrives. */
  #chat?: ChatController;
  #strings: ChatStrings = resolveStrings({});
  readonly #locale = new LocaleController(this);
  readonly #screen = new ScreenController(this);
  readonly #announcer = new Announcer(this);
  #clock?: ReturnType<typeof setInterval>;
  #reportedProblem: string | null = null;
  #opened = false;
  #markdownLoading?: Promise<void>;
  #markdownFailed = false;
  /** The conversation has been on screen: it is not hidden again while the renderer loads. */
  #transcriptShown = false;
  #followBottom = true;
  #newest = '';
  /** Keyboard focus before a render: when the render removes that control, focus goes on in the input, not to the page top. */
  #focusBefore: Element | null = null;

  /** The transcript, oldest first (read-only; the welcome message is not part of it). */
  get messages(): readonly ChatMessage[] {
    return this.#chat?.messages ?? this.#stored().messages;
  }

  /** The current session id, or `null` before the first message. */
  get sessionId(): string | null {
    return this.#chat ? this.#chat.sessionId : this.#stored().sessionId;
  }

  /** Sends `text` as the visitor. Resolves when the reply arrived or the send failed. */
  async send(text: string): Promise<void> {
    if (this.#tooLong(String(text))) {
      console.warn(`thinnest-chat: message longer than max-length (${this.maxLength}) not sent.`);
      return;
    }
    await this.#loadPanel();
    await this.#chat?.send(String(text));
  }

  /** Clears the transcript and the session, and starts a fresh one. */
  newSession(): void {
    if (this.#chat) this.#chat.newSession();
    else void this.#loadPanel().then(() => this.#chat?.newSession());
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
    // A reply that lands while the bubble is closed marks the launcher until the panel opens, and is announced by
    // the status region (the closed bubble hides the log).
    this.addEventListener('thinnest-chat-reply', () => {
      if (this.mode === 'bubble' && !this.open && this.unread !== 'failure') {
        this.unread = 'reply';
        this.#announcer.announce(this.#strings.unreadLabel);
      }
    });
    // Spoken once per event, never by a re-render: the log hides failure notes from speech, so they are said here,
    // urgently. Behind a closed bubble the launcher is marked too, until the panel opens.
    this.addEventListener('thinnest-chat-error', ({ detail }) => {
      if (this.messages.some((m) => m.status === 'failed' && m.error?.message === detail.message)) {
        this.#announcer.announce(`${this.#strings.notDelivered}: ${detail.message}`, true);
        if (this.mode === 'bubble' && !this.open) this.unread = 'failure';
      }
    });
  }

  /** Ends the listeners added on connection. */
  #disconnect?: AbortController;

  override connectedCallback(): void {
    super.connectedCallback();
    const options = { signal: (this.#disconnect = new AbortController()).signal };
    globalThis.addEventListener?.('online', this.#retryPanel, options);
    this.addEventListener('pointerenter', this.#retryPanel, options);
    this.addEventListener('focusin', this.#retryPanel, options);
    globalThis.visualViewport?.addEventListener('resize', this.#fitViewport, options);
    globalThis.visualViewport?.addEventListener('scroll', this.#fitViewport, options);
    // A reply's image that arrives after the reply was scrolled to grows the transcript: a visitor who was at the end stays there.
    this.renderRoot.addEventListener(
      'load',
      ({ target }) => {
        const box = this.transcript; // none in a closed bubble, where a slotted launcher icon may load
        if (box && box.scrollHeight - box.scrollTop - box.clientHeight - (target as HTMLElement).offsetHeight < 48) box.scrollTop = box.scrollHeight;
      },
      { ...options, capture: true },
    );
  }

  override disconnectedCallback(): void {
    this.#disconnect?.abort();
    super.disconnectedCallback();
    clearInterval(this.#clock);
    this.#clock = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.#strings = this.#locale.resolve(this.strings);
    // Going over the limit is said once, politely: the counter shows it, but only to the eye.
    const over = characters(this.draft) - this.maxLength;
    const drafts = changed as Map<string, string>;
    if (drafts.has('draft') && over > 0 && !this.#tooLong(drafts.get('draft') ?? '')) {
      this.#announcer.announce(format(this.#strings.tooLong, { over }));
    }
    // A framework may hand the attribute's JSON to the property (Vue, Svelte): read it as the attribute would be
    // (an array of anything but strings, as its text, fails that check too and is none).
    const suggestions: unknown = this.suggestions;
    if (changed.has('suggestions') && (!Array.isArray(suggestions) || suggestions.some((item) => typeof item !== 'string'))) {
      this.suggestions = stringListConverter.fromAttribute(suggestions as string);
    }
    if (this.mode === 'bubble' && this.open) this.#opened = true;
    if (!this.#panel && !this.#panelFailed && this.#panelShown()) void this.#loadPanel();
    this.#stylePanel();
    if (!markdownModule() && !this.#markdownLoading && !this.#markdownFailed && this.#panelShown() && this.#rendererNeeded()) {
      this.#preloadMarkdown();
    }
    const active = this.shadowRoot?.activeElement;
    this.#focusBefore = active?.matches(':focus-visible') ? active : null;
    if (changed.has('proxyUrl') || changed.has('storageKey') || changed.has('persist')) this.#chat?.open();
    if (changed.has('open') && this.open) {
      this.unread = false;
      this.#retryPanel();
    }
    const box = this.transcript;
    // Follow the conversation only while the visitor is at the bottom: never yank them away from what they are reading.
    this.#followBottom = !box || box.scrollHeight - box.scrollTop - box.clientHeight < 48;
  }

  protected override updated(changed: PropertyValues<this>): void {
    // The draft is written into the input only when they differ (as Lit's live() would): typing is never overwritten.
    if (this.input && this.input.value !== this.draft) this.input.value = this.draft;
    if ((changed as Map<string, unknown>).has('draft')) this.#panel?.fitComposer(this.input);
    if (changed.has('proxyUrl') || changed.has('headers')) this.#reportConfiguration();
    if (changed.has('open') && changed.get('open') !== undefined) {
      this.dispatchEvent(createChatEvent('thinnest-chat-toggle', { open: this.open }));
      if (this.mode === 'bubble') {
        this.#fitViewport();
        // The input may not be there yet (the panel's code is on its way): it takes focus when it is.
        this.#focusInput = this.open;
        if (!this.open && this.shadowRoot?.activeElement) this.launcher?.focus();
      }
    }
    if (this.#focusInput && this.input) {
      this.#focusInput = false;
      this.#fitViewport();
      this.input.focus();
    }
    // A sent suggestion, a retry or stop button that just went away.
    if (this.#focusBefore && !this.#focusBefore.isConnected) this.input?.focus();
    this.#focusBefore = null;
    this.#tickWhileWaiting();
    this.#scrollToNewest();
  }

  /** The messages whose replies' scrolling boxes were last measured. */
  #measured?: readonly ChatMessage[];

  #scrollToNewest(): void {
    const box = this.transcript;
    // Before the panel's code is here the transcript box is empty: nothing to scroll to (and no storage to read).
    if (!box || !this.#chat) return;
    // New replies' code blocks and tables (rendered once the renderer is here): tab stops if they scroll sideways.
    const markdown = markdownModule();
    if (markdown && this.messages !== this.#measured) {
      this.#measured = this.messages;
      markdown.tabStopsWhileScrolling(box);
    }
    const last = this.messages.at(-1);
    const newest = `${last?.id}|${this.#chat?.pendingId}`;
    if (newest === this.#newest) return;
    this.#newest = newest;
    if (!last || !(this.#followBottom || last.role === 'user')) return;
    // The newest message is in the newest block: looked for there, not through the whole log.
    const node = (box.querySelector('.messages')?.lastElementChild ?? box).querySelector<HTMLElement>(`[data-id="${last.id}"]`);
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
    const secondsLeft = this.#panel?.secondsLeft;
    const waiting = !!secondsLeft && this.messages.some((m) => secondsLeft(m, Date.now()) !== undefined);
    if (waiting && !this.#clock) this.#clock = setInterval(() => (this.now = Date.now()), 1000);
    if (!waiting && this.#clock) {
      clearInterval(this.#clock);
      this.#clock = undefined;
    }
  }

  /** The per-request limit in force: `timeout`, or the default when it is not a positive number. */
  #timeoutMs(): number {
    return this.timeout > 0 ? this.timeout : DEFAULT_TIMEOUT;
  }

  /** Over `max-length`: not sent (the counter shows why; `send()` also warns). */
  #tooLong(text: string): boolean {
    return characters(text) > this.maxLength;
  }

  #submit(text: string): void {
    if (this.#tooLong(text)) return;
    // Typed before the panel's code arrived: sent once it has (or kept in the box, if it cannot come).
    if (!this.#chat) return void this.#loadPanel().then(() => this.#chat && this.#submit(text));
    const sending = this.#chat.send(text);
    if (!sending) return;
    if (text === this.draft) this.draft = '';
  }

  /** A refused message goes back into the composer, to be shortened or changed and sent again. */
  #edit(id: string): void {
    const text = this.#chat?.withdraw(id);
    if (text == null) return;
    this.draft = text;
    this.#focusInput = true;
  }

  #onKeydown(event: KeyboardEvent): void {
    // keyCode 229: the Enter that ends an IME composition in Safari, which reports isComposing false for it.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
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
    return this.mode === 'bubble' && this.open && this.#screen.small;
  }

  /** Keeps Tab inside the full-screen panel: the page behind it is covered, so focus must not wander there. */
  #trapTab(event: KeyboardEvent): void {
    const focusable = Array.from(
      this.renderRoot.querySelectorAll<HTMLElement>('.panel button:not([disabled]), .panel textarea, .panel a[href], .panel [tabindex="0"]'),
    ).filter((node) => node.getClientRects().length > 0); // rendered (fixed or not)
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

  /** Whether the transcript is on screen: always inline; in a bubble, once it has been opened. */
  #panelShown(): boolean {
    return this.mode !== 'bubble' || this.open || this.#opened;
  }

  /**
   * Whether something on screen is markdown now or soon: a welcome message, a reply, or a reply
   * on its way. An empty chat shows its textbox without loading (or parsing) the renderer.
   */
  #rendererNeeded(): boolean {
    return (
      !!this.welcomeMessage ||
      !!this.#chat?.pendingId ||
      // Before the panel's code is here, these are the stored messages: the renderer is then fetched beside the panel, not after it.
      this.messages.some((m) => m.role === 'assistant')
    );
  }

  /**
   * The stored conversation, read (and validated) from storage, for `messages` and `sessionId`
   * before the panel's code is here: a closed bubble has its conversation too.
   */
  #stored(): Conversation {
    if (this.persist === 'none') return { sessionId: null, messages: [] };
    return freeze(new SessionStore(storageKeyFor(this.storageKey, this.proxyUrl), this.persist === 'session' ? 'session' : 'local').load());
  }

  /** Fetches the renderer ahead of need (the visitor points at or focuses the widget) or on need; re-renders when it lands. */
  #preloadMarkdown(): void {
    if (markdownModule()) return;
    this.#markdownLoading ??= loadMarkdown().then((renderer) => {
      this.#markdownLoading = undefined;
      // Not loaded (a CDN hiccup): replies stay plain text, and the next approach or `online` tries again,
      // not the next render (which this one causes).
      this.#markdownFailed = !renderer;
      this.requestUpdate();
    });
  }

  /**
   * Loads the panel's code (once per page) and starts this element's conversation with it: the
   * stored transcript is read then. Resolves when the panel can render; never rejects.
   */
  #loadPanel(): Promise<void> {
    const loaded = panelModule();
    if (!this.#panel && loaded) this.#usePanel(loaded);
    if (this.#panel || this.#panelLoading) return this.#panelLoading ?? Promise.resolve();
    // A conversation to show waits for its renderer too (fetched side by side): it appears once, as markdown,
    // rather than as plain text that is then laid out a second time.
    if (!markdownModule() && this.#panelShown() && this.#rendererNeeded()) this.#preloadMarkdown();
    this.#panelLoading = Promise.all([loadPanel(), this.#markdownLoading]).then(([panel]) => {
      this.#panelLoading = undefined;
      // Not loaded (offline, a blocked or missing file): the box says so, and the next approach or `online` tries again.
      this.#panelFailed = !panel;
      if (panel && !this.#panel) this.#usePanel(panel);
      else this.requestUpdate();
    });
    return this.#panelLoading;
  }

  /** The launcher is pointed at or focused: the panel is probably wanted next, so its code comes now. */
  #preloadPanel(): void {
    // Only the panel: no markdown or sanitizer code is fetched before the visitor opens the bubble.
    void this.#loadPanel();
  }

  #usePanel(panel: Panel): void {
    this.#panel = panel;
    this.#stylePanel();
    this.#chat = new panel.ChatController(this, () => ({
      proxyUrl: this.proxyUrl,
      headers: this.headers ?? {},
      timeoutMs: this.#timeoutMs(),
      credentials: this.credentials,
      strings: this.#strings,
      storageKey: storageKeyFor(this.storageKey, this.proxyUrl),
      persist: this.persist === 'session' || this.persist === 'none' ? this.persist : 'local',
    }));
    this.requestUpdate();
  }

  /** The panel's styles join the launcher's in the shadow root, once (the root exists from the first connection). */
  #stylePanel(): void {
    const root = this.renderRoot;
    if (this.#panelStyled || !this.#panel || !(root instanceof ShadowRoot)) return;
    adoptStyles(root, [...ThinnestChat.elementStyles, this.#panel.panelStyles]);
    this.#panelStyled = true;
  }

  /** The panel's or the renderer's code failed to load: back online, or the visitor coming to the widget, tries again. */
  readonly #retryPanel = (): void => {
    if (this.#panelFailed && !this.#panelLoading) void this.#loadPanel();
    if (this.#markdownFailed && !this.#markdownLoading) {
      this.#markdownFailed = false;
      this.requestUpdate();
    }
  };

  /** `updateComplete` also waits for the panel's code and the renderer a visible reply needs, so callers see the finished panel. */
  protected override async getUpdateComplete(): Promise<boolean> {
    let done = await super.getUpdateComplete();
    while (this.#panelLoading || this.#markdownLoading) {
      await (this.#panelLoading ?? this.#markdownLoading);
      done = await super.getUpdateComplete();
    }
    return done;
  }

  protected override render() {
    const s = this.#strings;
    const bubble = this.mode === 'bubble';
    // The frame (header, transcript box, composer) is the element's own: an inline widget shows its textbox,
    // and an opened bubble its panel, before the panel's code has arrived. A bubble never opened has only its
    // launcher until that code is here (then its panel is rendered, hidden, ready to open).
    const framed = !bubble || this.#opened || !!this.#panel;
    return html`${bubble ? this.#renderLauncher(s) : nothing}
      ${framed ? this.#renderFrame(s, bubble) : nothing}
      ${liveRegions}`;
  }

  #renderFrame(s: ChatStrings, bubble: boolean) {
    const chat = this.#chat;
    const panel = this.#panel;
    const pendingId = chat?.pendingId ?? null;
    // Shown first once the renderer it needs is here (or has failed), so nothing appears as raw markdown and is
    // spoken again when rendered; a transcript once shown stays while the renderer loads.
    const transcript = panel
      ? this.#panelShown() && (this.#transcriptShown ||= !this.#markdownLoading)
        ? panel.transcriptView({
            host: this,
            strings: s,
            messages: this.messages,
            welcomeMessage: this.welcomeMessage,
            suggestions: this.suggestions,
            pendingId,
            message: {
              strings: s,
              timeoutMs: this.#timeoutMs(),
              // The clock state only schedules re-renders; the countdown always reads the real time.
              now: Math.max(this.now, Date.now()),
              canRetry: pendingId === null,
              onRetry: (id: string) => void chat?.retry(id),
              onEdit: (id: string) => this.#edit(id),
              time: (ms: number) => this.#locale.time(ms),
            },
            lang: this.#locale.lang,
            onSubmit: (text) => this.#submit(text),
          })
        : nothing
      : this.#panelFailed
        ? html`<p class="unavailable" role="status">${s.errorBadGateway}</p>`
        : nothing;
    return frameView({
      strings: s,
      bubble,
      opened: this.#opened,
      small: this.#screen.small,
      touch: this.#screen.touch,
      modal: this.#fullScreen(),
      title: this.chatTitle || s.chatTitle,
      transcript,
      pendingId,
      draft: this.draft,
      maxLength: this.maxLength,
      placeholder: this.placeholder,
      onPanelKeydown: (event) => this.#onPanelKeydown(event),
      onApproach: () => this.#preloadMarkdown(),
      onNewSession: () => this.newSession(),
      onClose: () => this.hide(),
      onTranscriptClick: (event) => void this.#panel?.copyCode(event, s, (text) => this.#announcer.announce(text)),
      onSubmit: (text) => this.#submit(text),
      onDraft: (text) => (this.draft = text),
      onKeydown: (event) => this.#onKeydown(event),
      onStop: () => chat?.stop(),
    });
  }

  #renderLauncher(s: ChatStrings) {
    return html`<button class="launcher ${this.#screen.small ? 'small' : ''}" part="launcher" type="button" aria-controls="panel"
      aria-expanded=${this.open ? 'true' : 'false'}
      aria-label=${this.open ? s.closeChat : this.unread ? `${s.openChat} (${this.unread === 'failure' ? s.notDelivered : s.unreadLabel})` : s.openChat}
      @click=${() => this.toggle()} @keydown=${(event: KeyboardEvent) => this.#onPanelKeydown(event)}
      @pointerenter=${this.#preloadPanel} @focus=${this.#preloadPanel}>
      <slot name="launcher-icon">${this.open ? closeIcon : chatIcon}</slot>
      ${this.unread ? html`<span class="unread ${this.unread}" part="unread"></span>` : nothing}
    </button>`;
  }
}

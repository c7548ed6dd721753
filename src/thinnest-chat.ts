import { LitElement, html, nothing, type PropertyValues } from 'lit';
import type { ChatMessage } from './types.js';
import { ConfigurationCheck, chatConfigOf, storedAt, timeoutOf } from './configuration.js';
import type { ChatStrings } from './strings.js';
import { asSuggestions, stringsAttribute, suggestionsAttribute } from './attributes.js';
import { ScreenController } from './screen-controller.js';
import { LocaleController } from './locale-controller.js';
import { BubbleController } from './bubble-controller.js';
import { ComposerController } from './composer-controller.js';
import { ConversationPart } from './conversation-part.js';
import { LazyPart, feedbackCode, pageLoaded, rendererCode } from './lazy-part.js';
import { Announcer, liveRegions } from './announcer.js';
import { isPlainText } from './text.js';
import { styles } from './thinnest-chat.styles.js';
import { panelStyles } from './panel.styles.js';
import { panelView } from './panel-view.js';
import type { Teaser } from './teaser.js';

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
 * @fires {CustomEvent<SendEventDetail>} thinnest-chat-send - Before a message goes out, a retry too; `detail: {message, sessionId}`. Cancelable: `preventDefault()` stops the send.
 * @fires {CustomEvent<ReplyEventDetail>} thinnest-chat-reply - An assistant reply arrived; `detail: {message, sessionId, metadata}`.
 * @fires {CustomEvent<ErrorEventDetail>} thinnest-chat-error - A send failed or the configuration is refused; `detail: {code, status, message, retryable}`.
 * @fires {CustomEvent<SessionEventDetail>} thinnest-chat-session - A session started, was adopted from the server, or was reset, or `storage-key` changed to another conversation; `detail: {sessionId, previous}`.
 * @fires {CustomEvent<ToggleEventDetail>} thinnest-chat-toggle - The bubble panel opened or closed; `detail: {open}`.
 * @fires {CustomEvent<FeedbackEventDetail>} thinnest-chat-feedback - With `feedback`, the visitor rated a reply or took the rating back; `detail: {messageId, rating: 'up' | 'down' | null, sessionId, message}`.
 *
 * @slot header - Replaces the title in the header (logo, avatar, status line).
 * @slot empty - Shown while the transcript is empty, in place of the suggestions.
 * @slot launcher-icon - The icon inside the closed bubble's launcher (while the panel is open, the launcher shows its close icon).
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
 * @csspart download-button - The header button that downloads the conversation as a Markdown file (hidden by `hide-data-controls`).
 * @csspart delete-button - The header button that deletes the conversation, after asking (hidden by `hide-data-controls`).
 * @csspart delete-confirm - The question under the header once delete is clicked: its text and its Delete and Cancel buttons (`delete-confirm-button`, `delete-cancel-button`).
 * @csspart delete-confirm-button - The button that confirms deleting the conversation.
 * @csspart delete-cancel-button - The button that keeps the conversation.
 * @csspart retry-button - The retry control of a failed message.
 * @csspart copy-button - Under each reply: copies its markdown.
 * @csspart feedback-button - With `feedback`, the thumbs up and down under each reply (`aria-pressed` on the rating).
 * @csspart edit-button - The control that puts a message the proxy refused (400, 413) back into the input to change.
 * @csspart teaser - The teaser beside the closed bubble's launcher: its text (a button that opens the panel) and its dismiss button.
 * @csspart unread - The dot on the launcher while a reply is unread, or (with an exclamation mark, class `failure`) a message failed behind the closed bubble.
 *
 * @cssprop [--thinnest-chat-accent=#2256d6] - Brand colour: send button, launcher, visitor bubbles. Dark theme: #7aa2ff.
 * @cssprop [--thinnest-chat-accent-text=black or white] - Text and icons on the accent colour; unset, black or white, whichever contrasts more with the accent.
 * @cssprop [--thinnest-chat-background=#ffffff] - Panel background. Dark theme: #15181e.
 * @cssprop [--thinnest-chat-foreground=#1b1f24] - Main text colour. Dark theme: #e8eaee.
 * @cssprop [--thinnest-chat-muted=#5b6470] - Secondary text: counter, placeholder, icons. Dark theme: #a3abb8.
 * @cssprop [--thinnest-chat-border-color=#d5d9df] - Dividers and bubble outlines. Dark theme: #343a46.
 * @cssprop [--thinnest-chat-control-border=#767f8c] - Outline of the message input (3:1 against the background). Dark theme: #8a93a3.
 * @cssprop [--thinnest-chat-radius=14px] - Corner radius of the panel and bubbles.
 * @cssprop [--thinnest-chat-font-family=system-ui] - Font of the whole widget.
 * @cssprop [--thinnest-chat-font-size=15px] - Base font size.
 * @cssprop [--thinnest-chat-user-bubble=var(--thinnest-chat-accent)] - Visitor bubble background.
 * @cssprop [--thinnest-chat-user-bubble-text=var(--thinnest-chat-accent-text)] - Visitor bubble text.
 * @cssprop [--thinnest-chat-assistant-bubble=#f0f2f5] - Assistant bubble background. Dark theme: #242933.
 * @cssprop [--thinnest-chat-assistant-bubble-text=var(--thinnest-chat-foreground)] - Assistant bubble text.
 * @cssprop [--thinnest-chat-error-color=#b42318] - Failure notes. Dark theme: #ffb4a9.
 * @cssprop [--thinnest-chat-error-background=#fdecea] - Background of failure notes. Dark theme: #3b1d1a.
 * @cssprop [--thinnest-chat-link-color=the bubble's text colour] - Links in replies (underlined either way).
 * @cssprop [--thinnest-chat-code-background=#1f2430] - Code block background. Dark theme: #0b0d12.
 * @cssprop [--thinnest-chat-code-text=#f3f4f6] - Code block text.
 * @cssprop [--thinnest-chat-focus-ring=var(--thinnest-chat-accent)] - Keyboard focus outline. Unset, the accent, darkened where it is too light to show on the light theme's background (lightened where too dark, in the dark theme).
 * @cssprop [--thinnest-chat-width=380px] - Width of the bubble panel.
 * @cssprop [--thinnest-chat-height=560px] - Height of the inline widget and the bubble panel.
 * @cssprop [--thinnest-chat-z-index=2147483000] - Stacking of the launcher and the bubble panel.
 * @cssprop [--thinnest-chat-teaser-background=var(--thinnest-chat-background)] - Background of the teaser.
 * @cssprop [--thinnest-chat-teaser-text=var(--thinnest-chat-foreground)] - Text colour of the teaser.
 * @cssprop [--thinnest-chat-shadow=0 12px 40px rgb(0 0 0 / 0.18)] - Shadow of the launcher and bubble panel.
 */
export class ThinnestChat extends LitElement {
  static override styles = [styles, panelStyles];
  // Declared here rather than with decorators: the same reactive properties, without the decorators' code in the page.
  static override properties = {
    proxyUrl: { attribute: 'proxy-url' },
    chatTitle: { attribute: 'chat-title' },
    placeholder: {},
    welcomeMessage: { attribute: 'welcome-message' },
    suggestions: { converter: suggestionsAttribute },
    mode: { reflect: true },
    open: { type: Boolean, reflect: true },
    position: { reflect: true },
    theme: { reflect: true },
    storageKey: { attribute: 'storage-key' },
    persist: {},
    timeout: { type: Number },
    credentials: {},
    maxLength: { attribute: 'max-length', type: Number },
    teaser: {},
    teaserDelay: { attribute: 'teaser-delay', type: Number },
    pageContext: { attribute: 'page-context', type: Boolean },
    feedback: { type: Boolean },
    feedbackUrl: { attribute: 'feedback-url' },
    hideDataControls: { attribute: 'hide-data-controls', type: Boolean },
    headers: { attribute: false },
    strings: { converter: stringsAttribute },
  };

  /** Where messages are POSTed: your proxy, never `api.thinnest.ai` (refused: keys belong on a proxy). */
  declare proxyUrl?: string;
  /** Header text. Defaults to "Chat" (`strings.chatTitle`). */
  declare chatTitle?: string;
  /** Composer placeholder. */
  declare placeholder?: string;
  /** Markdown shown as the first assistant bubble; local only, never sent. */
  declare welcomeMessage?: string;
  /** Starter prompts shown while the transcript is empty (attribute: a JSON array of strings). A click sends one; one longer than `max-length` is not shown. */
  suggestions: string[] = [];
  /** `inline` fills its box (560 px tall, `--thinnest-chat-height`, where the page gives it none); `bubble` is a floating launcher that opens a panel. Any other value is inline. */
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
  /** A message beside the closed bubble's launcher after `teaser-delay` seconds, once a day, until the visitor chats or opens the panel; a click opens the panel with it as the first assistant bubble. Plain text. */
  declare teaser?: string;
  /** Seconds before the teaser shows. */
  teaserDelay = 8;
  /** Sends `{path, title}` of the page with each message; the proxy passes it on only with `PAGE_CONTEXT=1`. */
  declare pageContext?: boolean;
  /** A thumbs up and down under each reply: the rating is kept with it, fires `thinnest-chat-feedback`, and is posted to `feedback-url`. */
  // A boolean from the start: Vue sets a bare `feedback` attribute as the property, as true only where it finds a boolean there.
  feedback = false;
  /** Where ratings are POSTed; defaults to `feedback` beside `proxy-url` (the proxy's `/api/feedback` beside `/api/chat`). */
  declare feedbackUrl?: string;
  /** Hides the header's "Download conversation" (a Markdown file of the transcript) and "Delete conversation" (asks once, then wipes it from storage and starts a new session). */
  declare hideDataControls?: boolean;
  /** Extra headers to the proxy, e.g. a CSRF token. A value that looks like an Agent API key (`agno_…`) is refused. */
  headers: Record<string, string> = {};
  /**
   * Overrides for any user-visible text and accessible name; as an attribute, a JSON object. They are laid
   * over the locale registered for the widget's language (its `lang`, an ancestor's or the page's; see
   * `registerLocale` and `thinnest-chat/locales/*`) and English, key by key. Shown as text, never as HTML.
   */
  strings: Partial<ChatStrings> = {};

  readonly #locale = new LocaleController(this);
  readonly #screen = new ScreenController(this);
  readonly #announcer = new Announcer(this);
  readonly #bubble = new BubbleController(this, {
    screen: this.#screen,
    locale: this.#locale,
    announce: this.#announcer.announce,
    preload: () => void this.#conversation.load(), // not the renderer: no markdown code before the bubble opens
  });
  /** The conversation: its code, once here, and its state; the panel shows its transcript then. */
  readonly #conversation = new ConversationPart(this, () => chatConfigOf(this, this.#locale.strings), {
    box: () => this.renderRoot?.querySelector<HTMLElement>('.transcript'),
    tabStops: () => this.#renderer.value?.tabStopsWhileScrolling,
    fullScreen: () => this.#bubble.fullScreen,
  });
  /** The markdown renderer: fetched once something on screen is markdown. */
  readonly #renderer = new LazyPart(this, rendererCode);
  /** Rating controls under replies, fetched with `feedback` on. */
  readonly #feedback = new LazyPart(this, feedbackCode);
  readonly #composer = new ComposerController(this, {
    maxLength: () => this.maxLength,
    strings: () => this.#locale.strings,
    announce: this.#announcer.announce,
    send: (text) => this.#conversation.send(text),
    focus: () => this.#bubble.focusInput(),
  });
  /** The teaser's code, once asked for (`null` while it loads); it places itself beside the launcher. */
  #teaser?: Teaser | null;
  /** The transcript has been on screen: it is not hidden again while the renderer loads. */
  #transcriptShown = false;
  /** The browser reported the widget more than a screen's height from the viewport, and it has not come nearer since (`pageLoaded`). */
  #far?: boolean;

  constructor() {
    super();
    new ConfigurationCheck(this);
    if (!CSS.supports('color', 'lch(from red l c h)')) import('./accent-contrast.js').then((code) => new code.AccentContrast(this), () => {});
  }

  /** The transcript, oldest first (read-only; the welcome message is not part of it). */
  get messages(): readonly ChatMessage[] {
    return this.#conversation.messages;
  }

  /** The current session id, or `null` before the first message; `newSession()` starts the next one at once (a fresh id, no messages yet). */
  get sessionId(): string | null {
    return this.#conversation.sessionId;
  }

  /**
   * Sends `text` as the visitor. Resolves when the reply arrived or the send failed. While a reply is awaited, the
   * send waits its turn (sends go out in the order made); text over `max-length` is not sent (a console warning says so).
   */
  async send(text: string): Promise<void> {
    if (this.#composer.tooLong(String(text))) {
      console.warn(`thinnest-chat: message longer than max-length (${this.maxLength}) not sent.`);
      return;
    }
    await this.#conversation.load();
    await this.#conversation.chat?.send(String(text));
  }

  /** Clears the transcript and the session, and starts a fresh one. Focus stays where it is (the header's button puts it in the input). */
  newSession(): void {
    const chat = this.#conversation.chat;
    if (chat) chat.newSession();
    else void this.#conversation.load().then(() => this.#conversation.chat?.newSession());
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
    this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.input')?.focus(options));
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('suggestions')) this.suggestions = asSuggestions(this.suggestions);
    // A value left empty by a template, removed by a framework (null) or mistyped means the default, as for `persist`:
    // `fetch` throws for any other credentials (every send failed, said to be the connection), and no limit is 0 or NaN.
    if (!(this.maxLength > 0)) this.maxLength = 4000;
    if (this.credentials !== 'include' && this.credentials !== 'omit') this.credentials = 'same-origin';
    // What the panel shows is loaded as soon as it is to be drawn (inline, once near the viewport): the conversation, and
    // the renderer once anything is markdown (a conversation to show waits for it, fetched side by side, and appears once, as markdown).
    if (this.#conversationShown()) {
      if (this.#rendererNeeded() && this.#renderer.status === 'idle') void this.#renderer.load();
      if (this.#conversation.status === 'idle') void this.#conversation.load();
      if (this.feedback && this.#feedback.status === 'idle') void this.#feedback.load();
    }
    if (changed.has('proxyUrl') || changed.has('storageKey') || changed.has('persist')) {
      this.#conversation.chat?.open();
      this.#composer.open(storedAt(this));
    }
    // A closed bubble's teaser, unless the visitor has chatted: its code (teaser.ts) shows it beside the launcher.
    if (this.teaser && this.mode == 'bubble' && this.#teaser === undefined && !this.#conversationShown() && !this.messages.length) {
      this.#teaser = null;
      import('./teaser.js').then((code) => this.#conversationShown() || (this.#teaser = new code.Teaser(this, this.#locale, this.#announcer)), () => {});
    }
  }

  /**
   * The first render waits for the page to have loaded, in a task of its own: the page's content is drawn first. By then
   * the browser has said whether the widget is far from the viewport: an inline widget's conversation (its code, the
   * renderer, the welcome message and what is stored) is drawn once it comes within a screen of it, as a lazy image
   * loads, so a visitor who never scrolls near it costs the page none of that work. Its frame and textbox are drawn at
   * once: a keyboard or a screen reader finds it all the same.
   */
  protected override async scheduleUpdate(): Promise<unknown> {
    if (!this.hasUpdated) await pageLoaded(this, (far) => ((this.#far = far), this.requestUpdate()));
    return super.scheduleUpdate();
  }

  /** `updateComplete` also waits for the conversation's code, the renderer a visible reply needs, the feedback controls and a transcript drawn over several tasks, so callers see the finished panel. */
  protected override async getUpdateComplete(): Promise<boolean> {
    for (;;) {
      const done = await super.getUpdateComplete();
      const loading = this.#conversation.loading ?? this.#renderer.loading ?? this.#feedback.loading ?? this.#conversation.value?.transcriptFilling(this);
      if (!loading) return done;
      await loading;
    }
  }

  /** Whether the conversation is drawn: inline, unless far from the viewport; in a bubble, once it has been opened. */
  #conversationShown(): boolean {
    return this.mode !== 'bubble' ? !this.#far : this.open || this.#bubble.opened;
  }

  /** Whether something on screen is markdown now or soon (a welcome message that is not plain text, a reply, one on its way; stored ones count too). */
  #rendererNeeded(): boolean {
    return !isPlainText(this.#welcome() ?? '') || !!this.#conversation.chat?.pendingId || this.messages.some((m) => m.role === 'assistant');
  }

  /** The first assistant bubble: the teaser the visitor clicked, else the welcome message. */
  #welcome = (): string | undefined => this.#teaser?.said ?? this.welcomeMessage;

  protected override render() {
    const bubble = this.mode === 'bubble';
    // The panel (header, transcript box, composer) is the element's own: an inline widget shows its textbox, and
    // an opened bubble its panel, before the conversation's code has arrived. A bubble never opened has only its
    // launcher until that code is here (then its panel is rendered, hidden, ready to open).
    const panel = !bubble || this.#bubble.opened || !!this.#conversation.chat;
    return html`${bubble ? this.#bubble.renderLauncher() : nothing}
      ${panel ? this.#renderPanel(bubble) : nothing}
      ${liveRegions(this.#locale.uiLang)}`;
  }

  #renderPanel(bubble: boolean) {
    const chat = this.#conversation.chat;
    return panelView({
      locale: this.#locale,
      bubble,
      opened: this.#bubble.opened,
      screen: this.#screen,
      modal: this.#bubble.fullScreen,
      title: this.chatTitle,
      transcript: this.#renderTranscript(),
      pendingId: chat?.pendingId ?? null,
      composer: this.#composer,
      maxLength: this.maxLength,
      placeholder: this.placeholder,
      onPanelKeydown: this.#bubble.onKeydown,
      onApproach: () => void this.#renderer.load(),
      onNewSession: () => (this.newSession(), this.#bubble.focusInput()),
      dataControls: this.hideDataControls
        ? undefined
        : {
            // From the conversation once its code is here: before, `messages` would read and parse storage on every render.
            empty: !chat?.messages.length,
            // What they do comes with the first click (data-controls.ts).
            on: (action) => void import('./data-controls.js').then((code) => code.dataControl(action, { host: this, locale: this.#locale, announcer: this.#announcer })),
          },
      onClose: () => this.hide(),
      onStop: () => chat?.stop(),
    });
  }

  /**
   * The conversation, once its code is here and the panel is on screen. Shown first once the renderer it needs is
   * here (or has failed), so nothing appears as raw markdown and is spoken again when rendered; a transcript once
   * shown stays while the renderer loads.
   */
  #renderTranscript() {
    const code = this.#conversation.value;
    const chat = this.#conversation.chat;
    if (this.#conversation.status === 'failed') return html`<p class="unavailable" role="status">${this.#locale.strings.errorBadGateway}</p>`;
    if (!code || !chat || !this.#conversationShown() || !(this.#transcriptShown ||= this.#renderer.status !== 'loading')) return nothing;
    return code.transcriptView({
      host: this,
      chat,
      locale: this.#locale,
      renderer: this.#renderer.value,
      welcomeMessage: this.#welcome(),
      // One longer than `max-length` could not be sent by a click: not shown, rather than a button that does nothing.
      suggestions: this.suggestions.filter((text) => !this.#composer.tooLong(text)),
      timeoutMs: timeoutOf(this.timeout),
      feedback: this.feedback ? this.#feedback.value?.feedbackControls({ host: this, chat, strings: this.#locale.strings, announce: this.#announcer.announce }) : undefined,
      onEdit: (id) => this.#composer.edit(this.#conversation.chat?.withdraw(id)),
      onSubmit: this.#composer.submit,
      announce: this.#announcer.announce,
    });
  }
}

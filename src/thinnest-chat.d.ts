import { LitElement, type PropertyValues } from 'lit';
import type { ChatMessage, Mode, Persist, Position, Theme } from './types.js';
import { type ChatStrings } from './strings.js';
/**
 * A chat widget for a thinnest.ai agent. It posts each message to the site owner's proxy
 * (never to the API, never with a key) and renders the agent's markdown replies safely.
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
 *
 * @cssprop [--thinnest-chat-accent=#2256d6] - Brand colour: send button, launcher, visitor bubbles.
 * @cssprop [--thinnest-chat-accent-text=#ffffff] - Text and icons on the accent colour.
 * @cssprop [--thinnest-chat-background=#ffffff] - Panel background.
 * @cssprop [--thinnest-chat-foreground=#1b1f24] - Main text colour.
 * @cssprop [--thinnest-chat-muted=#5b6470] - Secondary text: counter, placeholder, icons.
 * @cssprop [--thinnest-chat-border-color=#d5d9df] - Borders and dividers.
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
export declare class ThinnestChat extends LitElement {
    #private;
    static styles: import("lit").CSSResult;
    /** Where messages are POSTed: your proxy, never `api.thinnest.ai` (refused: keys belong on a proxy). */
    proxyUrl?: string;
    /** Header text. Defaults to "Chat" (`strings.chatTitle`). */
    chatTitle?: string;
    /** Composer placeholder. */
    placeholder?: string;
    /** Markdown shown as the first assistant bubble; local only, never sent. */
    welcomeMessage?: string;
    /** Starter prompts shown while the transcript is empty (attribute: a JSON array of strings). A click sends one. */
    suggestions: string[];
    /** `inline` fills its box; `bubble` is a floating launcher that opens a panel. */
    mode: Mode;
    /** Whether the bubble panel is open. */
    open: boolean;
    /** Corner of the bubble launcher. */
    position: Position;
    /** `auto` follows `prefers-color-scheme`. */
    theme: Theme;
    /** Storage namespace; defaults to one derived from `proxy-url`, so two widgets never share a session by accident. */
    storageKey?: string;
    /** `local` (localStorage), `session` (sessionStorage) or `none` (memory only). */
    persist: Persist;
    /** Per-request limit in milliseconds. */
    timeout: number;
    /** fetch credentials mode for requests to the proxy. */
    credentials: RequestCredentials;
    /** Longest message a visitor may send, in characters; a counter shows it. Match the proxy's `MAX_MESSAGE_CHARS`. */
    maxLength: number;
    /** Extra headers to the proxy, e.g. a CSRF token. A value that looks like an Agent API key (`agno_…`) is refused. */
    headers: Record<string, string>;
    /** Overrides for any user-visible text (i18n); as an attribute, a JSON object. Missing keys fall back to English. */
    strings: Partial<ChatStrings>;
    private draft;
    private unread;
    private now;
    private input?;
    private launcher?;
    /** The transcript, oldest first (read-only; the welcome message is not part of it). */
    get messages(): readonly ChatMessage[];
    /** The current session id, or `null` before the first message. */
    get sessionId(): string | null;
    /** Sends `text` as the visitor. Resolves when the reply arrived or the send failed. */
    send(text: string): Promise<void>;
    /** Clears the transcript and the session, and starts a fresh one. */
    newSession(): void;
    /** Opens the bubble panel. */
    show(): void;
    /** Closes the bubble panel. */
    hide(): void;
    /** Opens or closes the bubble panel. */
    toggle(): void;
    /** Moves focus to the message input (opening the bubble panel first). */
    focus(options?: FocusOptions): void;
    disconnectedCallback(): void;
    protected willUpdate(changed: PropertyValues<this>): void;
    protected updated(changed: PropertyValues<this>): void;
    protected render(): import("lit-html").TemplateResult<1>;
}

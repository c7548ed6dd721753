import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { format, type ChatStrings } from './strings.js';
import { characters } from './text.js';

type Host = ReactiveControllerHost & HTMLElement & { renderRoot: ParentNode };

/** What the composer needs from its element. */
export interface ComposerOptions {
  maxLength: () => number;
  strings: () => ChatStrings;
  announce: (text: string) => void;
  /**
   * Sends the text: whether it went out (the draft is then cleared); or, while the conversation's code is on its
   * way, a promise of whether it has come (and the text is then sent).
   */
  send: (text: string) => boolean | Promise<boolean>;
  /** Grows the input with its text where CSS cannot (the conversation's code, once here). */
  fit: () => ((input: HTMLTextAreaElement | null) => void) | undefined;
}

/**
 * The composer's draft: kept as typed (a render never overwrites it), over the length limit said
 * once, sent with Enter (Shift+Enter is a new line, and the Enter that ends an IME composition is
 * not a send), cleared once sent, and given back to change when the proxy refused a message as it is.
 */
export class ComposerController implements ReactiveController {
  #draft = '';
  #changed = false;
  /** Keyboard focus before a render: when the render removes that control, focus goes on in the input, not to the page top. */
  #focusBefore: Element | null = null;
  readonly #host: Host;
  readonly #options: ComposerOptions;

  constructor(host: Host, options: ComposerOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  get draft(): string {
    return this.#draft;
  }

  set draft(text: string) {
    if (text === this.#draft) return;
    const over = characters(text) - this.#options.maxLength();
    // Going over the limit is said once, politely: the counter shows it, but only to the eye.
    if (over > 0 && !this.tooLong(this.#draft)) this.#options.announce(format(this.#options.strings().tooLong, { over }));
    this.#draft = text;
    this.#changed = true;
    this.#host.requestUpdate();
  }

  /** Over `max-length`: not sent (the counter shows why). */
  tooLong(text: string): boolean {
    return characters(text) > this.#options.maxLength();
  }

  hostUpdate(): void {
    const active = this.#host.shadowRoot?.activeElement;
    this.#focusBefore = active?.matches(':focus-visible') ? active : null;
  }

  hostUpdated(): void {
    const input = this.#host.renderRoot.querySelector<HTMLTextAreaElement>('.input');
    // A sent suggestion, a retry or stop button that just went away.
    if (this.#focusBefore && !this.#focusBefore.isConnected) input?.focus();
    this.#focusBefore = null;
    // Written into the input only when they differ (as Lit's live() would): typing is never overwritten.
    if (input && input.value !== this.#draft) input.value = this.#draft;
    if (this.#changed) this.#options.fit()?.(input);
    this.#changed = false;
  }

  /** Sends `text` (the draft, or a suggestion) unless it is too long. */
  readonly submit = (text: string): void => {
    if (this.tooLong(text)) return;
    const sent = this.#options.send(text);
    // Typed before the conversation's code arrived: sent once it has (or kept in the box, if it cannot come).
    if (sent instanceof Promise) void sent.then((ready) => ready && this.submit(text));
    else if (sent && text === this.#draft) this.draft = '';
  };

  readonly onKeydown = (event: KeyboardEvent): void => {
    // keyCode 229: the Enter that ends an IME composition in Safari, which reports isComposing false for it.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      this.submit(this.#draft);
    }
  };
}

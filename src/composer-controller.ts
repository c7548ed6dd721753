import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Persist } from './types.js';
import { format, type ChatStrings } from './strings.js';
import { characters, isBlank } from './text.js';
import { keptBeside } from './stored-conversation.js';

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
  /** Focus goes into the input once it is rendered. */
  focus: () => void;
}

/**
 * Whether a key press belongs to an IME composition (Japanese, Chinese, Korean input): its Enter chooses a word
 * and its Escape cancels one, neither sends nor closes. keyCode 229: Safari reports isComposing false for the key
 * that ends a composition.
 */
export const composing = (event: KeyboardEvent) => event.isComposing || event.keyCode === 229;

/**
 * The composer's draft: kept as typed (a render never overwrites it), over the length limit said
 * once, sent with Enter (Shift+Enter is a new line, and the Enter that ends an IME composition is
 * not a send), cleared once sent, and given back to change when the proxy refused a message as it is.
 * An unsent draft is stored beside the conversation, so a reload (or the next page) keeps it.
 */
export class ComposerController implements ReactiveController {
  #draft = '';
  /** The draft's length in characters, counted when it changes. */
  count = 0;
  #changed = false;
  /** Where the draft is kept: its own key beside the conversation's, in the same storage (none for persist="none"). */
  #kept?: { storage: Storage | null; key: string };
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
    const count = characters(text);
    const max = this.#options.maxLength();
    // Going over the limit is said once, politely: the counter shows it, but only to the eye.
    if (count > max && this.count <= max) this.#options.announce(format(this.#options.strings().tooLong, { over: count - max }));
    this.#draft = text;
    this.count = count;
    this.#changed = true;
    this.#keep(text);
    this.#host.requestUpdate();
  }

  /** Whether the draft says nothing (blank or invisible only): nothing to send. */
  get blank(): boolean {
    return isBlank(this.#draft);
  }

  /** Over `max-length`: not sent (the counter shows why). */
  tooLong(text: string): boolean {
    return characters(text) > this.#options.maxLength();
  }

  /**
   * Keeps the draft beside the conversation stored under `storageKey` from now on; call when the element names
   * its storage (first, and when storage-key, proxy-url or persist change). A draft kept there comes back into an
   * empty composer.
   */
  open(place: { storageKey: string; persist: Persist }): void {
    this.#kept = keptBeside(place, 'draft');
    const stored = this.#draft ? null : this.#read();
    if (stored) {
      this.#draft = stored;
      this.count = characters(stored);
      this.#changed = true;
    }
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
    // Where CSS cannot grow the input with its text (no `field-sizing`: Firefox, Safari before 26.2), fit-composer.ts does, fetched there only.
    if (this.#changed && input && !CSS.supports('field-sizing', 'content')) import('./fit-composer.js').then((code) => code.fitComposer(input), () => {});
    this.#changed = false;
  }

  /** A message the proxy refused (withdrawn from the transcript: its text, or none) goes back into the input, to be changed and sent again. */
  edit(text: string | null | undefined): void {
    if (text == null) return;
    this.draft = text;
    this.#options.focus();
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
    if (event.key === 'Enter' && !event.shiftKey && !composing(event)) {
      event.preventDefault();
      this.submit(this.#draft);
    }
  };

  /** Storage that throws (blocked, full) keeps no draft: typing goes on all the same. */
  #read(): string | null {
    try {
      return this.#kept?.storage?.getItem(this.#kept.key) ?? null;
    } catch {
      return null;
    }
  }

  #keep(text: string): void {
    try {
      if (isBlank(text)) this.#kept?.storage?.removeItem(this.#kept.key);
      else this.#kept?.storage?.setItem(this.#kept.key, text);
    } catch {
      // Not kept for the next page; nothing is lost on this one.
    }
  }
}

// The teaser: a short message beside the closed bubble's launcher. A chunk of its own, fetched only
// when `teaser` is set on a bubble that is closed, was never opened, and whose visitor has not chatted
// (thinnest-chat.ts), so every other widget costs a page nothing for it. It holds the wait, the day
// it was last shown (kept beside the conversation), its view, its styles, and dismissal.
import { html, nothing, render, type ReactiveController } from 'lit';
import type { ThinnestChat } from './thinnest-chat.js';
import type { LocaleController } from './locale-controller.js';
import type { Announcer } from './announcer.js';
import { storedAt } from './configuration.js';
import { keptBeside } from './stored-conversation.js';
import { closeIcon } from './icons.js';
import { teaserStyles } from './teaser.styles.js';
import { teaserEnglish } from './teaser-strings.js';

/** Seconds before the teaser shows when `teaser-delay` is not a number of seconds (or was removed). */
const DEFAULT_DELAY = 8;

/** Days the teaser was shown, by key, for this page: with persist="none", and where storage throws. */
const shownOn = new Map<string, string>();

/** The visitor's calendar day, `YYYY-MM-DD` in local time. */
export function today(now = new Date()): string {
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}

/** Markdown that reads as the text itself: the teaser goes into the panel by the welcome message's path. */
export function literalMarkdown(text: string): string {
  return text.replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/**
 * One widget's teaser: waits `teaser-delay` seconds, then shows beside the launcher unless it was
 * shown on this day already (by this widget or another with the same storage), the panel is open or
 * has been, or the visitor has chatted. It is spoken once, politely, and takes no focus. A click opens
 * the panel with it as the first assistant bubble; its close button (or Escape) dismisses it. Either,
 * or the panel opening, ends it for this page.
 */
export class Teaser implements ReactiveController {
  /** The teaser's text once the visitor clicked it, as markdown: the panel's first assistant bubble. */
  said?: string;
  #state: 'waiting' | 'shown' | 'done' = 'waiting';
  #timer?: ReturnType<typeof setTimeout>;
  /** When it began waiting on this page, and the seconds its timer was set for. */
  #since = 0;
  #armedFor?: number;
  /** Its own shadow root beside the launcher, so its styles never meet the element's adopted ones. */
  #box?: HTMLElement;
  readonly #host: ThinnestChat;
  readonly #locale: LocaleController;
  readonly #announcer: Announcer;

  constructor(host: ThinnestChat, locale: LocaleController, announcer: Announcer) {
    this.#host = host;
    this.#locale = locale;
    this.#announcer = announcer;
    host.addController(this); // which calls hostConnected() now, or when the element is next in the page
  }

  hostConnected(): void {
    if (this.#state !== 'waiting') return;
    this.#since = Date.now();
    this.#arm();
  }

  hostDisconnected(): void {
    clearTimeout(this.#timer);
    this.#armedFor = undefined;
  }

  /** Sets the timer for `teaser-delay` seconds from when it began waiting, again when the delay changes meanwhile. */
  #arm(): void {
    const delay = this.#host.teaserDelay;
    // Removed (null), not a number or negative: the default.
    const seconds = delay != null && delay >= 0 ? delay : DEFAULT_DELAY;
    if (seconds === this.#armedFor) return;
    this.#armedFor = seconds;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(this.#show, seconds * 1000 - (Date.now() - this.#since));
  }

  hostUpdated(): void {
    const host = this.#host;
    if (this.#state === 'waiting' && host.isConnected) this.#arm();
    // Opening the panel, or chatting (from the page, through send()), ends the teaser; a day the panel was opened counts as shown.
    if (this.#state !== 'done' && (host.open || host.messages.length)) this.#end(!!host.open);
    this.#render();
  }

  /** Where this widget's day is kept: beside its conversation, like its draft (no storage with persist="none"). */
  #kept(): { key: string; storage: Storage | null } {
    return keptBeside(storedAt(this.#host), 'teaser');
  }

  /** Whether it was shown (or dismissed, or the panel opened) on this day, by this page or an earlier one. */
  #shownToday(): boolean {
    const { key, storage } = this.#kept();
    let stored: string | null | undefined = shownOn.get(key);
    try {
      stored ??= storage?.getItem(key);
    } catch {
      // Storage that throws: memory holds what this page did.
    }
    return stored === today();
  }

  #remember(): void {
    const { key, storage } = this.#kept();
    shownOn.set(key, today());
    try {
      storage?.setItem(key, today());
    } catch {
      // Kept in memory for this page only.
    }
  }

  readonly #show = (): void => {
    const host = this.#host;
    if (this.#state !== 'waiting' || !host.teaser || host.mode !== 'bubble' || host.open || host.messages.length || this.#shownToday()) return;
    this.#state = 'shown';
    this.#remember();
    this.#announcer.announce(host.teaser);
    this.#render();
  };

  #end(remember: boolean): void {
    clearTimeout(this.#timer);
    if (remember) this.#remember();
    this.#state = 'done';
  }

  readonly #open = (): void => {
    this.said = literalMarkdown(this.#host.teaser ?? '');
    this.#end(true);
    this.#host.open = true;
  };

  readonly #dismiss = (): void => {
    const focused = !!this.#box?.shadowRoot?.activeElement;
    this.#end(true);
    this.#render();
    // Focus does not fall to the page top with the button it was on.
    if (focused) this.#host.renderRoot.querySelector<HTMLElement>('.launcher')?.focus();
  };

  readonly #onKeydown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      this.#dismiss();
    }
  };

  #render(): void {
    const host = this.#host;
    const shown = this.#state === 'shown' && !!host.teaser && host.mode === 'bubble' && !host.open;
    if (!shown && !this.#box) return;
    if (!this.#box) {
      this.#box = document.createElement('div');
      this.#box.setAttribute('exportparts', 'teaser');
      this.#box.attachShadow({ mode: 'open' }).adoptedStyleSheets = [teaserStyles.styleSheet!];
      host.renderRoot.append(this.#box);
    }
    const { strings, uiLang } = this.#locale;
    const dismiss = strings.dismissTeaser || teaserEnglish.dismissTeaser;
    render(
      shown
        ? html`<div class="teaser ${host.position === 'bottom-left' ? 'start' : ''}" part="teaser" @keydown=${this.#onKeydown}>
            <button class="open" type="button" dir="auto" @click=${this.#open}>${host.teaser}</button>
            <button class="close" type="button" aria-label=${dismiss} title=${dismiss} lang=${uiLang ?? nothing}
              @click=${this.#dismiss}>${closeIcon}</button>
          </div>`
        : nothing,
      this.#box.shadowRoot!,
    );
  }
}

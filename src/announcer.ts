import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';

type Host = ReactiveControllerHost & HTMLElement & { renderRoot: ParentNode };

/** Long enough to be spoken; short enough that nobody browsing later finds it out of context. */
const CLEAR_AFTER_MS = 7000;

/**
 * Screen-reader announcements of events that are not new messages (those the transcript log
 * speaks itself): a failed send, urgently; a reply behind the closed bubble, a copied code block,
 * politely. Each is written once into a visually hidden live region that the template renders
 * empty and never touches again, so no re-render can repeat it, and is cleared afterwards.
 */
export class Announcer implements ReactiveController {
  readonly #host: Host;
  readonly #timers = new Map<Element, ReturnType<typeof setTimeout>[]>();

  constructor(host: Host) {
    this.#host = host;
    host.addController(this);
  }

  hostDisconnected(): void {
    for (const [region, timers] of this.#timers) {
      timers.forEach(clearTimeout);
      region.textContent = '';
    }
    this.#timers.clear();
  }

  /** Speaks `text` once: politely, or interrupting when `urgent`. Bound: the element hands it to its parts as it is. */
  readonly announce = (text: string, urgent = false): void => {
    const region = this.#host.renderRoot.querySelector(urgent ? '.announce-alert' : '.announce-status');
    if (!region) return;
    this.#timers.get(region)?.forEach(clearTimeout);
    region.textContent = '';
    this.#timers.set(region, [
      // Written a moment after emptying, so the same words twice in a row are still a change screen readers notice.
      setTimeout(() => (region.textContent = text), 100),
      setTimeout(() => (region.textContent = ''), CLEAR_AFTER_MS),
    ]);
  };
}

/** The two live regions, for the element's template: outside the panel, so they speak while the bubble is closed. */
export const liveRegions = (lang?: string) => html`<div class="sr-only announce-status" role="status" lang=${lang ?? nothing}></div>
  <div class="sr-only announce-alert" role="alert" lang=${lang ?? nothing}></div>`;

import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Phones, upright or on their side: an open bubble fills the screen, and acts as a dialog. */
const SMALL = '(max-width: 480px), (max-height: 480px)';
/** A coarse pointer or a narrow screen: touch targets of 44 px. */
const TOUCH = '(max-width: 480px), (pointer: coarse)';

/**
 * The screen the widget is on, kept as it changes (a phone turned, a window resized). The layout
 * follows it through classes rather than @media rules in the shadow styles: WebKit keeps a shared
 * style sheet's @media results from when it was last in use, so a widget mounted after the screen
 * changed with none on the page (a phone turned, then a route change) got the other screen's layout.
 */
export class ScreenController implements ReactiveController {
  small = false;
  touch = false;
  readonly #host: ReactiveControllerHost;
  #queries?: MediaQueryList[];

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {
    this.#queries ??= [SMALL, TOUCH].map((query) => matchMedia(query));
    for (const query of this.#queries) query.addEventListener('change', this.#read);
    this.#read();
  }

  // Only ever after hostConnected (Lit disconnects what it connected): the queries are there.
  hostDisconnected(): void {
    for (const query of this.#queries!) query.removeEventListener('change', this.#read);
  }

  readonly #read = (): void => {
    [this.small, this.touch] = this.#queries!.map((query) => query.matches);
    this.#host.requestUpdate();
  };
}

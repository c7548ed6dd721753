// Part of the conversation's code (conversation.ts): a phone's full-screen panel gets its code
// (full-screen.ts) the first time it fills the screen.
import type { ReactiveController, ReactiveControllerHost } from 'lit';

type Host = ReactiveControllerHost & HTMLElement & { renderRoot: ParentNode };

/**
 * Fetches the full-screen panel's Tab trap and keyboard fit when the panel first fills the screen
 * (its fallback height, the whole dynamic viewport, holds until then), and starts them for this widget.
 */
export class FullScreenOnNeed implements ReactiveController {
  readonly #host: Host;
  readonly #fullScreen: () => boolean;
  #asked = false;

  constructor(host: Host, fullScreen: () => boolean) {
    this.#host = host;
    this.#fullScreen = fullScreen;
    host.addController(this);
  }

  hostUpdated(): void {
    if (this.#asked || !this.#fullScreen()) return;
    this.#asked = true;
    import('./full-screen.js').then(
      (code) => new code.FullScreenPanel(this.#host, this.#fullScreen).hostUpdated(),
      () => (this.#asked = false), // asked for again the next time the panel fills the screen
    );
  }
}

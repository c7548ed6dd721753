// What a bubble's panel does while it fills a phone's screen as a modal dialog: a file of its own,
// fetched the first time a panel does (FullScreenOnNeed, in the conversation's code), so a larger
// screen never fetches it.
import type { ReactiveController, ReactiveControllerHost } from 'lit';

type Host = ReactiveControllerHost & HTMLElement & { renderRoot: ParentNode };

/** What takes focus among what a page puts in the panel's header slot (a link, a button, a field…). */
const PAGE_FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * Keeps Tab inside the full-screen panel (the page behind it is covered, so focus must not wander
 * there), and fits the panel to the visual viewport, which the on-screen keyboard shrinks, so the
 * composer stays on top of the keyboard.
 */
export class FullScreenPanel implements ReactiveController {
  readonly #host: Host;
  /** Whether the panel fills the screen now (BubbleController.fullScreen). */
  readonly #fullScreen: () => boolean;
  #disconnect?: AbortController;

  constructor(host: Host, fullScreen: () => boolean) {
    this.#host = host;
    this.#fullScreen = fullScreen;
    host.addController(this);
  }

  hostConnected(): void {
    const options = { signal: (this.#disconnect = new AbortController()).signal };
    globalThis.visualViewport?.addEventListener('resize', this.#fit, options);
    globalThis.visualViewport?.addEventListener('scroll', this.#fit, options);
    this.#host.renderRoot.addEventListener('keydown', this.#trapTab as EventListener, options);
  }

  hostDisconnected(): void {
    this.#disconnect?.abort();
  }

  /** After each update: the panel may have opened, closed, or gone full-screen (a phone turned). */
  hostUpdated(): void {
    this.#fit();
  }

  readonly #trapTab = (event: KeyboardEvent): void => {
    if (event.key !== 'Tab' || !this.#fullScreen()) return;
    const host = this.#host;
    // What the page put in the header slot comes first in the panel, before its own controls.
    const slotted = (host.renderRoot.querySelector<HTMLSlotElement>('slot[name="header"]')?.assignedElements({ flatten: true }) ?? [])
      .flatMap((node) => [node, ...node.querySelectorAll('*')])
      .filter((node) => node.matches(PAGE_FOCUSABLE));
    const focusable = [...slotted, ...host.renderRoot.querySelectorAll('.panel button:not([disabled]), .panel textarea, .panel a[href], .panel [tabindex="0"]')]
      .filter((node): node is HTMLElement => node.getClientRects().length > 0); // rendered (fixed or not)
    const first = focusable[0];
    const last = focusable.at(-1);
    const inPage = (host.getRootNode() as Document | ShadowRoot).activeElement;
    const active = host.shadowRoot?.activeElement ?? (inPage && host.contains(inPage) ? inPage : null);
    const to = event.shiftKey ? (active === first || !active) && last : active === last && first;
    if (to) {
      event.preventDefault();
      to.focus();
    }
  };

  readonly #fit = (): void => {
    const panel = this.#host.renderRoot.querySelector<HTMLElement>('.panel');
    const viewport = globalThis.visualViewport;
    const fullScreen = this.#fullScreen();
    // Reading the viewport lays the page out: done only while full-screen, or once to undo it.
    if (!panel || !viewport || (!fullScreen && !panel.style.length)) return;
    for (const [name, value] of [['height', viewport.height], ['top', viewport.offsetTop]] as const) {
      if (fullScreen) panel.style.setProperty(`--_viewport-${name}`, `${value}px`);
      else panel.style.removeProperty(`--_viewport-${name}`);
    }
  };
}

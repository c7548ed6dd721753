import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatMessage } from './types.js';

type Host = ReactiveControllerHost & HTMLElement & { renderRoot: ParentNode };

/** What the controller reads from its element on each update. */
export interface Followed {
  /** The transcript box, once rendered. */
  box: HTMLElement | null | undefined;
  messages: readonly ChatMessage[];
  pendingId: string | null;
  /** Makes the replies' code blocks and tables under a root tab stops while they scroll (the renderer's, once loaded). */
  tabStops?: (root: ParentNode) => void;
}

/** Within this many pixels of the end, the visitor is "at the bottom". */
const NEAR_END = 48;

function distanceFromEnd(box: HTMLElement): number {
  return box.scrollHeight - box.scrollTop - box.clientHeight;
}

/**
 * Follows the conversation's newest message while the visitor is at the bottom of the transcript,
 * and never yanks them away from what they are reading above it: after each render, and when a
 * reply's image arrives late or the typing indicator's note grows the transcript. A visitor's own
 * message is always scrolled to; a reply taller than the view is shown from its first line, not its last.
 */
export class FollowBottom implements ReactiveController {
  readonly #host: Host;
  readonly #read: () => Followed;
  #atBottom = true;
  /** The newest message and request last scrolled to. */
  #newest = '';
  /** The messages whose replies' scrolling boxes were last measured. */
  #measured?: readonly ChatMessage[];
  #disconnect?: AbortController;

  constructor(host: Host, read: () => Followed) {
    this.#host = host;
    this.#read = read;
    host.addController(this);
  }

  hostConnected(): void {
    this.#disconnect = new AbortController();
    this.#host.renderRoot.addEventListener('load', this.#onLoad, { capture: true, signal: this.#disconnect.signal });
  }

  hostDisconnected(): void {
    this.#disconnect?.abort();
  }

  hostUpdate(): void {
    const { box } = this.#read();
    this.#atBottom = !box || distanceFromEnd(box) < NEAR_END;
  }

  hostUpdated(): void {
    const { box, messages, pendingId, tabStops } = this.#read();
    if (!box) return;
    const last = messages.at(-1);
    // The newest message is in the newest block: looked for there, not through the whole log.
    const node = last && (box.querySelector('.messages')?.lastElementChild ?? box).querySelector<HTMLElement>(`[data-id="${last.id}"]`);
    // Not drawn yet (a restored transcript is drawn over several tasks, and shown whole): followed once it is.
    if (last && !node) return;
    // New replies' code blocks and tables (rendered once the renderer is here): tab stops if they scroll sideways.
    if (tabStops && messages !== this.#measured) {
      this.#measured = messages;
      tabStops(box);
    }
    const newest = `${last?.id}|${pendingId}`;
    if (newest === this.#newest) {
      // While a reply is awaited, the typing indicator's note (waiting.ts) makes it taller: a visitor at the end stays there.
      if (pendingId && this.#atBottom) box.scrollTop = box.scrollHeight;
      return;
    }
    this.#newest = newest;
    if (!last || !(this.#atBottom || last.role === 'user')) return;
    if (last.role === 'assistant' && node && node.offsetHeight > box.clientHeight) box.scrollTop = node.offsetTop - 8;
    else box.scrollTop = box.scrollHeight;
  }

  /** A reply's image arrived after the reply was scrolled to: a visitor who was at the end stays there. */
  readonly #onLoad = ({ target }: Event): void => {
    const { box } = this.#read(); // none in a closed bubble, where a slotted launcher icon may load
    if (box && distanceFromEnd(box) - (target as HTMLElement).offsetHeight < NEAR_END) box.scrollTop = box.scrollHeight;
  };
}

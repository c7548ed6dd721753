import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatMessage } from './types.js';

/** Seconds until a rate-limited message may be retried, or undefined when it may now. */
export function secondsLeft(message: ChatMessage, now: number): number | undefined {
  if (message.retryAt === undefined || message.retryAt <= now) return undefined;
  return Math.ceil((message.retryAt - now) / 1000);
}

/**
 * The clock of a rate-limited retry's countdown: it renders the element each second while a
 * failed message waits out its `Retry-After`, and stops when none does. The countdown itself
 * always reads the real time.
 */
export class RetryClock implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #messages: () => readonly ChatMessage[];
  #timer?: ReturnType<typeof setInterval>;

  constructor(host: ReactiveControllerHost, messages: () => readonly ChatMessage[]) {
    this.#host = host;
    this.#messages = messages;
    host.addController(this);
  }

  hostUpdated(): void {
    const now = Date.now();
    // Each second while a retry counts down, or a reply is awaited (whose typing indicator may have more to say).
    // A countdown keeps it a second past its end: the render that read the time may have been just before the end,
    // and the render after it, with the retry usable, must still come.
    const waiting = this.#messages().some((m) => m.status === 'pending' || secondsLeft(m, now - 1000) !== undefined);
    if (waiting) this.#timer ??= setInterval(() => this.#host.requestUpdate(), 1000);
    else this.hostDisconnected();
  }

  hostDisconnected(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

// Feedback on replies (`feedback`): a thumbs up and a thumbs down under each reply. A chunk of its own,
// fetched only by a widget with `feedback` on, so none of it (the ratings kept, their storage, the post)
// weighs on a widget without it. A rating is kept beside the conversation, by its message's id (under
// `thinnest-chat-ratings:`, in the storage `persist` names, like the draft), so it survives a reload and
// other tabs follow it; it can be changed or taken back, is announced, fires `thinnest-chat-feedback`, and
// is posted to `feedback-url` (by default `feedback` beside `proxy-url`, where the proxy's POST
// /api/feedback is) off the visitor's path: a post that fails loses nothing shown.
import { html, type ReactiveController } from 'lit';
import type { ChatMessage, Rating } from './types.js';
import type { ChatStrings } from './strings.js';
import type { ChatController } from './chat-controller.js';
import type { ThinnestChat } from './thinnest-chat.js';
import { createChatEvent } from './events.js';
import { configurationProblem, storedAt } from './configuration.js';
import { keptBeside, memory } from './stored-conversation.js';
import { feedbackEnglish } from './feedback-strings.js';

// Decorative: the names come from their buttons. The pressed one is filled.
const PATHS = {
  up: 'M7 10v11H3V10zM7 10l4-8a3 3 0 0 1 3 3v4h6a2 2 0 0 1 2 2.3l-1.4 8A2 2 0 0 1 18.6 21H7',
  down: 'M17 14V3h4v11zM17 14l-4 8a3 3 0 0 1-3-3v-4H4a2 2 0 0 1-2-2.3l1.4-8A2 2 0 0 1 5.4 3H17',
};

/** The longest reply the proxy takes with a rating (MAX_FEEDBACK_REPLY_CHARS, server/feedback.ts). */
const MAX_REPLY = 8000;

/** What a widget's rating controls work with: the element, its conversation, its words and its announcer. */
export interface FeedbackContext {
  host: ThinnestChat;
  chat: ChatController;
  strings: ChatStrings;
  announce: (text: string) => void;
}

/** A widget's ratings, where they are kept, and the controls drawn from them (made again when they or the words change). */
interface Kept {
  key: string;
  storage: Storage | null;
  ratings: Record<string, Rating>;
  strings?: ChatStrings;
  controls?: (message: ChatMessage) => unknown;
}

const kept = new WeakMap<ThinnestChat, Kept>();
// Ratings that storage cannot keep (`persist="none"`, storage that throws) are kept for the page's life in the
// memory the conversation falls back to (stored-conversation.ts), under their own key.

/** Stored ratings, by message id; anything else in the stored text is dropped. */
function read({ key, storage }: { key: string; storage: Storage | null }): Record<string, Rating> {
  try {
    const stored = JSON.parse(memory.get(key) ?? storage?.getItem(key) ?? '{}');
    return Object.fromEntries(Object.entries(stored).filter(([, rating]) => rating === 'up' || rating === 'down')) as Record<string, Rating>;
  } catch {
    return {};
  }
}

/** This widget's ratings, read once per storage place; another tab's change is followed (RatingsFollower). */
function keptFor(host: ThinnestChat): Kept {
  const place = keptBeside(storedAt(host), 'ratings');
  let entry = kept.get(host);
  if (!entry) new RatingsFollower(host);
  if (entry?.key !== place.key) kept.set(host, (entry = { ...place, ratings: read(place) }));
  return entry;
}

/** Follows another tab's ratings (its `storage` events) while the widget is on the page: one listener per widget. */
class RatingsFollower implements ReactiveController {
  readonly #host: ThinnestChat;
  #stop?: AbortController;

  constructor(host: ThinnestChat) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {
    this.#stop = new AbortController();
    addEventListener('storage', this.#onStorage, { signal: this.#stop.signal });
    this.#host.addEventListener('thinnest-chat-session', this.#onSession, { signal: this.#stop.signal });
  }

  hostDisconnected(): void {
    this.#stop?.abort();
  }

  /**
   * A new conversation (`newSession()`, the header's button, Delete conversation): the old one's ratings go with it,
   * from storage too, as the README's privacy page says. A session adopted on the first send keeps what is rated.
   */
  readonly #onSession = (): void => {
    const entry = kept.get(this.#host);
    if (!entry || this.#host.messages.length || !Object.keys(entry.ratings).length) return;
    entry.ratings = {};
    entry.controls = undefined;
    write(entry);
  };

  readonly #onStorage = (event: StorageEvent): void => {
    const entry = kept.get(this.#host);
    if (!entry || event.key !== entry.key || event.storageArea !== entry.storage) return;
    entry.ratings = read(entry);
    entry.controls = undefined;
    this.#host.requestUpdate();
  };
}

/**
 * The rating controls of each reply: two toggle buttons, the pressed one its rating. The same function is
 * returned until a rating or the words change, so the transcript draws a block again only then.
 */
export function feedbackControls({ host, chat, strings, announce }: FeedbackContext): (message: ChatMessage) => unknown {
  const entry = keptFor(host);
  if (entry.controls && entry.strings === strings) return entry.controls;
  const say = (key: keyof typeof feedbackEnglish) => strings[key] || feedbackEnglish[key];
  const rate = (reply: ChatMessage, rating: Rating) => {
    const { ratings } = entry;
    // The same rating again takes it back. Only ratings of messages still in the conversation are kept.
    const next = ratings[reply.id] === rating ? null : rating;
    entry.ratings = Object.fromEntries(chat.messages.filter((m) => m.id !== reply.id && ratings[m.id]).map((m) => [m.id, ratings[m.id]]));
    if (next) entry.ratings[reply.id] = next;
    write(entry);
    entry.controls = undefined;
    host.requestUpdate();
    announce(say(next ? 'feedbackThanks' : 'feedbackRemoved'));
    const { sessionId } = chat;
    host.dispatchEvent(createChatEvent('thinnest-chat-feedback', { messageId: reply.id, rating: next, sessionId, message: reply.text }));
    void post(host, { session_id: sessionId, message_id: reply.id, rating: next, reply: reply.text.slice(0, MAX_REPLY) });
  };
  entry.strings = strings;
  return (entry.controls = (message) =>
    (['up', 'down'] as const).map((rating) => {
      const pressed = entry.ratings[message.id] === rating;
      return html`<button
        class="tool"
        part="feedback-button"
        type="button"
        aria-pressed=${pressed}
        aria-label=${say(rating === 'up' ? 'feedbackUp' : 'feedbackDown')}
        title=${say(rating === 'up' ? 'feedbackUp' : 'feedbackDown')}
        @click=${() => rate(message, rating)}
      >
        <svg viewBox="0 0 24 24" aria-hidden="true"><path fill=${pressed ? 'currentColor' : 'none'} d=${PATHS[rating]} /></svg>
      </button>`;
    }));
}

/** Stores a widget's ratings; where storage throws (private mode, quota), memory keeps them. */
function write({ key, storage, ratings }: Kept): void {
  const text = JSON.stringify(ratings);
  try {
    if (!storage) throw new Error('no storage');
    storage.setItem(key, text);
    memory.delete(key);
  } catch {
    memory.set(key, text);
  }
}

/**
 * Posts a rating where the site wants it, with the chat's own headers and credentials; never blocks the
 * visitor, and a failure is only logged (the rating stays shown and stored).
 */
async function post(host: ThinnestChat, body: object): Promise<void> {
  const { feedbackUrl, proxyUrl = '', headers, credentials } = host;
  try {
    const url = feedbackUrl || new URL('feedback', new URL(proxyUrl, document.baseURI)).href;
    // The chat's own checks: never a key in a header, never api.thinnest.ai.
    const problem = configurationProblem(url, headers);
    if (problem) throw new Error(problem);
    const response = await fetch(url, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
      credentials,
      redirect: 'manual',
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
  } catch (error) {
    console.warn('thinnest-chat: a rating could not be sent.', error);
  }
}

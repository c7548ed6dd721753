import type { ChatMessage, Persist } from './types.js';
import {
  MAX_STORED_MESSAGES,
  STORAGE_VERSION,
  memory,
  memoryKey,
  parseConversation,
  storageFor,
  storedText,
  type Conversation,
  type StoredEnvelope,
} from './stored-conversation.js';

/**
 * Versioned, bounded, validated persistence of one conversation, in localStorage,
 * sessionStorage or memory. Storage that throws (private mode, quota, blocked cookies)
 * silently falls back to memory; nothing here throws to the caller.
 */
export class SessionStore {
  readonly key: string;
  readonly persist: Persist;
  #storage: Storage | null;
  /** The stored text this store last read or wrote: what this tab already has. Any other text is another tab's change. */
  #known?: string | null;

  constructor(key: string, persist: Persist, storage?: Storage | null) {
    this.key = key;
    this.persist = persist;
    this.#storage = storage !== undefined ? storage : storageFor(persist);
  }

  get #memoryKey(): string {
    return memoryKey(this.persist, this.key);
  }

  load(): Conversation {
    return parseConversation((this.#known = this.#read()));
  }

  /**
   * What is stored, when it is not the text this store last read or wrote (another tab, or another widget on
   * the page, changed it since); else `null`: nothing to follow, as for a visitor with one tab.
   */
  changes(): Conversation | null {
    const text = this.#read();
    return text === this.#known ? null : parseConversation((this.#known = text));
  }

  #read(): string | null {
    try {
      return storedText(this.key, this.persist, this.#storage);
    } catch {
      this.#storage = null;
      return storedText(this.key, this.persist, null);
    }
  }

  save(conversation: Conversation): void {
    const messages = conversation.messages.slice(-MAX_STORED_MESSAGES);
    if (this.#storage) {
      // On a full quota, keep as much of the newest transcript as fits before giving up on storage.
      for (const count of [messages.length, 50, 10, 0]) {
        if (count > messages.length) continue;
        try {
          const text = serialize(conversation, messages.slice(messages.length - count));
          this.#storage.setItem(this.key, text);
          this.#known = text;
          // A page hears no `storage` event of its own writes: another widget here with the same key hears this.
          globalThis.dispatchEvent?.(new StorageEvent(SAME_PAGE, { key: this.key, newValue: text, storageArea: this.#storage }));
          // Storage works again: what memory held is older than what was just written.
          memory.delete(this.#memoryKey);
          return;
        } catch (error) {
          if (!isQuotaError(error)) break;
        }
      }
      this.#storage = null;
    }
    memory.set(this.#memoryKey, (this.#known = serialize(conversation, messages)));
  }

  /** Forgets the conversation here (storage, and memory's copy): it has moved to another place. */
  remove(): void {
    try {
      this.#storage?.removeItem(this.key);
    } catch {
      // storage that throws keeps nothing of it either
    }
    memory.delete(this.#memoryKey);
  }

  /**
   * Calls back when another tab (`storage` event), or another widget on this page with the same key, changes this conversation to a text this store
   * did not last read or write. Returns the unsubscribe function.
   */
  subscribe(onChange: (conversation: Conversation) => void): () => void {
    if (typeof window === 'undefined' || !this.#storage) return () => {};
    const listener = (event: StorageEvent) => {
      if (event.key !== this.key && event.key !== null) return;
      if (!this.#storage || event.storageArea !== this.#storage) return;
      if (event.newValue === this.#known) return; // what this tab has already
      onChange(parseConversation((this.#known = event.newValue)));
    };
    const stop = new AbortController();
    for (const type of ['storage', SAME_PAGE]) addEventListener(type, listener as EventListener, { signal: stop.signal });
    return () => stop.abort();
  }
}

/** What a store tells the other widgets on its page when it writes (a StorageEvent, as another tab's write is). */
const SAME_PAGE = 'thinnest-chat-storage';

function serialize(conversation: Conversation, messages: ChatMessage[]): string {
  const envelope: StoredEnvelope = { v: STORAGE_VERSION, sessionId: conversation.sessionId, messages };
  if (conversation.startedAt !== undefined) envelope.startedAt = conversation.startedAt;
  return JSON.stringify(envelope);
}

/** A full storage quota (a DOMException's code 22 is this name, so the name alone tells it). */
function isQuotaError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'QuotaExceededError';
}

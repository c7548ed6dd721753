import type { ChatMessage, Persist } from './types.js';
import {
  MAX_STORED_MESSAGES,
  STORAGE_VERSION,
  memory,
  memoryKey,
  parseConversation,
  readConversation,
  storageFor,
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

  constructor(key: string, persist: Persist, storage?: Storage | null) {
    this.key = key;
    this.persist = persist;
    this.#storage = storage !== undefined ? storage : storageFor(persist);
  }

  /** True when this store keeps data in memory only (by choice or because storage failed). */
  get inMemory(): boolean {
    return this.#storage === null;
  }

  get #memoryKey(): string {
    return memoryKey(this.persist, this.key);
  }

  load(): Conversation {
    try {
      return readConversation(this.key, this.persist, this.#storage);
    } catch {
      this.#storage = null;
      return readConversation(this.key, this.persist, null);
    }
  }

  save(conversation: Conversation): void {
    const messages = conversation.messages.slice(-MAX_STORED_MESSAGES);
    if (this.#storage) {
      // On a full quota, keep as much of the newest transcript as fits before giving up on storage.
      for (const count of [messages.length, 50, 10, 0]) {
        if (count > messages.length) continue;
        try {
          this.#storage.setItem(this.key, serialize(conversation, messages.slice(messages.length - count)));
          // Storage works again: what memory held is older than what was just written.
          memory.delete(this.#memoryKey);
          return;
        } catch (error) {
          if (!isQuotaError(error)) break;
        }
      }
      this.#storage = null;
    }
    memory.set(this.#memoryKey, serialize(conversation, messages));
  }

  clear(): void {
    memory.delete(this.#memoryKey);
    try {
      this.#storage?.removeItem(this.key);
    } catch {
      this.#storage = null;
    }
  }

  /**
   * Calls back when another tab changes this conversation (`storage` event). Returns the
   * unsubscribe function.
   */
  subscribe(onChange: (conversation: Conversation) => void): () => void {
    if (typeof window === 'undefined' || !this.#storage) return () => {};
    const listener = (event: StorageEvent) => {
      if (event.key !== this.key && event.key !== null) return;
      if (!this.#storage || event.storageArea !== this.#storage) return;
      onChange(parseConversation(event.newValue));
    };
    window.addEventListener('storage', listener);
    return () => window.removeEventListener('storage', listener);
  }
}

function serialize(conversation: Conversation, messages: ChatMessage[]): string {
  const envelope: StoredEnvelope = { v: STORAGE_VERSION, sessionId: conversation.sessionId, messages };
  if (conversation.startedAt !== undefined) envelope.startedAt = conversation.startedAt;
  return JSON.stringify(envelope);
}

/** A full storage quota (a DOMException's code 22 is this name, so the name alone tells it). */
function isQuotaError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'QuotaExceededError';
}

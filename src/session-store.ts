import type { ChatError, ChatMessage, Persist } from './types.js';
import { isSessionId } from './configuration.js';

/** Bumped when the stored shape changes; other versions start fresh. */
export const STORAGE_VERSION = 1;
/** Only the newest messages are kept, so storage stays bounded. */
export const MAX_STORED_MESSAGES = 200;

/** What the store keeps for one widget: its session and transcript. */
export interface Conversation {
  sessionId: string | null;
  messages: ChatMessage[];
  /**
   * When this session began (ms since the epoch); absent in data from before it was kept. Two
   * tabs that started different sessions at once settle on the later one (see chat-controller).
   */
  startedAt?: number;
}

interface StoredEnvelope {
  v: number;
  sessionId: string | null;
  messages: ChatMessage[];
  startedAt?: number;
}

/**
 * Memory behind `persist="none"` and behind storage that throws: lives as long as the page.
 * Keyed by persist and key; an entry made because storage failed is newer than what storage holds.
 */
const memory = new Map<string, string>();
/** The largest time a Date can hold; beyond it toISOString and Intl throw. */
const MAX_TIME = 8.64e15;

/** Page code gets the transcript through `messages`: frozen, so it cannot edit what is stored. */
export function freeze(conversation: Conversation): Conversation {
  if (Object.isFrozen(conversation.messages)) return conversation;
  for (const message of conversation.messages) Object.freeze(message);
  return { ...conversation, messages: Object.freeze(conversation.messages) as ChatMessage[] };
}

export function emptyConversation(): Conversation {
  return { sessionId: null, messages: [] };
}

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
    this.#storage = storage !== undefined ? storage : SessionStore.#defaultStorage(persist);
  }

  static #defaultStorage(persist: Persist): Storage | null {
    if (persist === 'none') return null;
    try {
      // Merely reading the property throws where cookies are blocked.
      return persist === 'session' ? globalThis.sessionStorage : globalThis.localStorage;
    } catch {
      return null;
    }
  }

  /** True when this store keeps data in memory only (by choice or because storage failed). */
  get inMemory(): boolean {
    return this.#storage === null;
  }

  get #memoryKey(): string {
    return `${this.persist}\u0000${this.key}`;
  }

  load(): Conversation {
    // Written to memory because storage failed on this page: newer than anything storage holds.
    const remembered = memory.get(this.#memoryKey);
    if (remembered !== undefined) return parseConversation(remembered);
    let raw: string | null = null;
    if (this.#storage) {
      try {
        raw = this.#storage.getItem(this.key);
      } catch {
        this.#storage = null;
      }
    }
    return parseConversation(raw);
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

function isQuotaError(error: unknown): boolean {
  return error instanceof DOMException && (error.name === 'QuotaExceededError' || error.code === 22);
}

/** Reads stored text; corrupt, foreign or old data gives an empty conversation. Never throws. */
export function parseConversation(raw: string | null): Conversation {
  if (!raw) return emptyConversation();
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return emptyConversation();
  }
  if (!isRecord(value) || value.v !== STORAGE_VERSION) return emptyConversation();
  const { sessionId, messages, startedAt } = value;
  if (sessionId !== null && !isSessionId(sessionId)) return emptyConversation();
  if (!Array.isArray(messages) || !messages.every(isMessage)) return emptyConversation();
  const ids = new Set(messages.map((message) => message.id));
  if (ids.size !== messages.length) return emptyConversation();
  const conversation: Conversation = { sessionId, messages: messages.slice(-MAX_STORED_MESSAGES).map(copyMessage) };
  if (isTime(startedAt)) conversation.startedAt = startedAt;
  return conversation;
}

/** A time a Date can hold, so rendering it (toISOString, Intl) cannot throw. */
function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_TIME;
}

/** A plain object (not null, not an array): stored data and the proxy's replies are checked with it. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isMessage(value: unknown): value is ChatMessage {
  if (!isRecord(value)) return false;
  const { id, role, text, createdAt, status, error, retryAt, metadata } = value;
  return (
    // Ids end up in attribute selectors (`[data-id="…"]`): tokens only, like session ids.
    isSessionId(id) &&
    (role === 'user' || role === 'assistant') &&
    typeof text === 'string' &&
    isTime(createdAt) &&
    (status === undefined || status === 'pending' || status === 'failed') &&
    (error === undefined || isError(error)) &&
    // A wait is at most a day, as a live Retry-After is (25 hours: an hour of slack for a clock put back).
    (retryAt === undefined || (isTime(retryAt) && retryAt < Date.now() + 9e7)) &&
    (metadata === undefined || isRecord(metadata))
  );
}

function isError(value: unknown): value is ChatError {
  return (
    isRecord(value) &&
    typeof value.code === 'string' &&
    // Not a name every object has ("constructor", "__proto__"): the code picks the failure's wording by name.
    !(value.code in {}) &&
    typeof value.status === 'number' &&
    typeof value.message === 'string' &&
    typeof value.retryable === 'boolean'
  );
}

/** Copies only known fields, so nothing foreign rides along from storage. */
function copyMessage(message: ChatMessage): ChatMessage {
  const copy: ChatMessage = { id: message.id, role: message.role, text: message.text, createdAt: message.createdAt };
  if (message.status) copy.status = message.status;
  if (message.error) {
    const { code, status, message: text, retryable, retryAfter } = message.error;
    copy.error = { code, status, message: text, retryable };
    if (typeof retryAfter === 'number') copy.error.retryAfter = retryAfter;
  }
  if (message.retryAt !== undefined) copy.retryAt = message.retryAt;
  if (message.metadata) copy.metadata = { ...message.metadata };
  return copy;
}

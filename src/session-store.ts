import type { ChatError, ChatMessage, Persist } from './types.js';
import { isSessionId } from './proxy-client.js';

/** Bumped when the stored shape changes; other versions start fresh. */
export const STORAGE_VERSION = 1;
/** Only the newest messages are kept, so storage stays bounded. */
export const MAX_STORED_MESSAGES = 200;
const KEY_PREFIX = 'thinnest-chat:';

/** What the store keeps for one widget: its session and transcript. */
export interface Conversation {
  sessionId: string | null;
  messages: ChatMessage[];
}

interface StoredEnvelope {
  v: number;
  sessionId: string | null;
  messages: ChatMessage[];
}

/** Memory behind `persist="none"` and behind storage that throws: lives as long as the page. */
const memory = new Map<string, string>();

/**
 * The storage key of a widget: its `storage-key`, or else its absolute `proxy-url`, so two
 * widgets talking to different proxies never share a session.
 */
export function storageKeyFor(storageKey: string | undefined, proxyUrl: string | undefined): string {
  if (storageKey) return KEY_PREFIX + storageKey;
  let resolved = proxyUrl ?? '';
  try {
    resolved = new URL(resolved, typeof location !== 'undefined' ? location.href : undefined).href;
  } catch {
    // An invalid URL is reported elsewhere; its text still makes a distinct key.
  }
  return KEY_PREFIX + resolved;
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

  load(): Conversation {
    let raw: string | null | undefined;
    if (this.#storage) {
      try {
        raw = this.#storage.getItem(this.key);
      } catch {
        this.#storage = null;
      }
    }
    if (!this.#storage) raw = memory.get(this.key);
    return parseConversation(raw ?? null);
  }

  save(conversation: Conversation): void {
    const messages = conversation.messages.slice(-MAX_STORED_MESSAGES);
    if (this.#storage) {
      // On a full quota, keep as much of the newest transcript as fits before giving up on storage.
      for (const count of [messages.length, 50, 10, 0]) {
        if (count > messages.length) continue;
        try {
          this.#storage.setItem(this.key, serialize(conversation.sessionId, messages.slice(messages.length - count)));
          return;
        } catch (error) {
          if (!isQuotaError(error)) break;
        }
      }
      this.#storage = null;
    }
    memory.set(this.key, serialize(conversation.sessionId, messages));
  }

  clear(): void {
    memory.delete(this.key);
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

function serialize(sessionId: string | null, messages: ChatMessage[]): string {
  const envelope: StoredEnvelope = { v: STORAGE_VERSION, sessionId, messages };
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
  const { sessionId, messages } = value;
  if (sessionId !== null && !isSessionId(sessionId)) return emptyConversation();
  if (!Array.isArray(messages) || !messages.every(isMessage)) return emptyConversation();
  const ids = new Set(messages.map((message) => message.id));
  if (ids.size !== messages.length) return emptyConversation();
  return { sessionId, messages: messages.slice(-MAX_STORED_MESSAGES).map(copyMessage) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isMessage(value: unknown): value is ChatMessage {
  if (!isRecord(value)) return false;
  const { id, role, text, createdAt, status, error, retryAt, metadata } = value;
  return (
    typeof id === 'string' &&
    id.length > 0 &&
    id.length <= 128 &&
    (role === 'user' || role === 'assistant') &&
    typeof text === 'string' &&
    typeof createdAt === 'number' &&
    Number.isFinite(createdAt) &&
    (status === undefined || status === 'pending' || status === 'failed') &&
    (error === undefined || isError(error)) &&
    (retryAt === undefined || (typeof retryAt === 'number' && Number.isFinite(retryAt))) &&
    (metadata === undefined || isRecord(metadata))
  );
}

function isError(value: unknown): value is ChatError {
  return (
    isRecord(value) &&
    typeof value.code === 'string' &&
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

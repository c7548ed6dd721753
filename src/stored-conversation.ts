// What a widget keeps in storage, and how it is read back: versioned, bounded and validated, so
// corrupt, foreign or old data starts fresh. The element reads it before the conversation's code is
// here (a closed bubble has its conversation too); SessionStore (session-store.ts) writes it.
import type { ChatError, ChatMessage, Persist } from './types.js';
import { isRecord, isSessionId } from './rules.js';

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

export interface StoredEnvelope {
  v: number;
  sessionId: string | null;
  messages: ChatMessage[];
  startedAt?: number;
}

/**
 * Memory behind `persist="none"` and behind storage that throws: lives as long as the page.
 * Keyed by persist and key (`memoryKey`); an entry made because storage failed is newer than what
 * storage holds. Replies' ratings (feedback.ts) are kept here too, under their own key.
 */
export const memory = new Map<string, string>();
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

/** The storage a `persist` setting names; null for `none`, or where merely reading it throws (blocked cookies). */
export function storageFor(persist: Persist): Storage | null {
  if (persist === 'none') return null;
  try {
    return persist === 'session' ? globalThis.sessionStorage : globalThis.localStorage;
  } catch {
    return null;
  }
}

/**
 * Where something kept beside a widget's conversation (its draft, its teaser's day, its replies' ratings) is stored: in the same
 * storage, under `thinnest-chat-<what>:` in place of the conversation's `thinnest-chat:` (`$&` is that prefix).
 */
export function keptBeside({ storageKey, persist }: { storageKey: string; persist: Persist }, what: 'draft' | 'teaser' | 'ratings'): { key: string; storage: Storage | null } {
  return { key: storageKey.replace(/^thinnest-chat/, `$&-${what}`), storage: storageFor(persist) };
}

/** Where memory keeps a conversation that storage could not. */
export function memoryKey(persist: Persist, key: string): string {
  return `${persist}\u0000${key}`;
}

/**
 * The text of one conversation as stored (`parseConversation` reads it): what memory holds for it
 * (written there because storage failed on this page, so newer than anything storage has), else
 * what `storage` has. Throws only what reading the storage throws.
 */
export function storedText(key: string, persist: Persist, storage: Storage | null): string | null {
  return memory.get(memoryKey(persist, key)) ?? storage?.getItem(key) ?? null;
}

/** Reads stored text; corrupt, foreign or old data gives an empty conversation. Never throws. */
export function parseConversation(raw: string | null): Conversation {
  let value: unknown;
  try {
    value = raw && JSON.parse(raw);
  } catch {
    // Not JSON: as if nothing were stored.
  }
  if (!isRecord(value) || value.v !== STORAGE_VERSION) return emptyConversation();
  const { sessionId, messages, startedAt } = value;
  if (sessionId !== null && !isSessionId(sessionId)) return emptyConversation();
  if (!Array.isArray(messages)) return emptyConversation();
  const copies = messages.map(messageFrom);
  if (!copies.every((message): message is ChatMessage => message !== undefined)) return emptyConversation();
  const ids = new Set(copies.map((message) => message.id));
  if (ids.size !== copies.length) return emptyConversation();
  const conversation: Conversation = { sessionId, messages: copies.slice(-MAX_STORED_MESSAGES) };
  if (isTime(startedAt)) conversation.startedAt = startedAt;
  return conversation;
}

/** A time a Date can hold, so rendering it (toISOString, Intl) cannot throw. */
function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_TIME;
}

/** A stored message, copied field by field (nothing foreign rides along from storage); `undefined` when one does not hold. */
function messageFrom(value: unknown): ChatMessage | undefined {
  if (!isRecord(value)) return undefined;
  const { id, role, text, createdAt, status, error, retryAt, metadata } = value;
  if (
    !(
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
    )
  ) {
    return undefined;
  }
  const message: ChatMessage = { id, role, text, createdAt };
  if (status) message.status = status;
  if (error) {
    const { code, status, message: words, retryable, retryAfter } = error;
    message.error = { code, status, message: words, retryable };
    if (typeof retryAfter === 'number') message.error.retryAfter = retryAfter;
  }
  if (retryAt !== undefined) message.retryAt = retryAt;
  if (metadata) message.metadata = { ...metadata };
  return message;
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

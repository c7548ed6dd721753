// src/session-store.ts, without a browser: stored data is versioned, bounded and validated on
// read, and storage that throws falls back to memory. What needs a browser's own localStorage,
// sessionStorage and storage events is in test/persistence.test.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { SessionStore } from '../../src/session-store.js';
import { MAX_STORED_MESSAGES, STORAGE_VERSION, memory, memoryKey, parseConversation, type Conversation } from '../../src/stored-conversation.js';
import { envelope, message } from './helpers.js';

/** A Storage look-alike whose methods can be made to throw, as private modes and full quotas do. */
function fakeStorage(
  options: { getItem?: () => never; setItem?: (key: string, value: string) => void; removeItem?: () => never } = {},
) {
  const data = new Map<string, string>();
  const calls = { getItem: 0, setItem: 0, removeItem: 0 };
  const storage = {
    data,
    calls,
    get length() {
      return data.size;
    },
    clear: () => data.clear(),
    key: (index: number) => [...data.keys()][index] ?? null,
    getItem(key: string): string | null {
      calls.getItem++;
      options.getItem?.();
      return data.has(key) ? data.get(key)! : null;
    },
    setItem(key: string, value: string): void {
      calls.setItem++;
      options.setItem?.(key, value);
      data.set(key, String(value));
    },
    removeItem(key: string): void {
      calls.removeItem++;
      options.removeItem?.();
      data.delete(key);
    },
  };
  return storage as typeof storage & Storage;
}

/** A storage that refuses, as a full quota does, any value longer than `limit` characters. */
function storageWithQuota(limit: number) {
  return fakeStorage({
    setItem: (_key, value) => {
      if (value.length > limit) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    },
  });
}

function denied(): never {
  throw new DOMException('denied', 'SecurityError');
}

/** A store of its own key over `storage`. */
function storeOver(storage: Storage): SessionStore {
  return new SessionStore(`k-${randomUUID()}`, 'local', storage);
}

/** Whether the store's last save went to memory (its storage failed), not to its storage. */
function savedInMemory(store: SessionStore): boolean {
  return memory.has(memoryKey(store.persist, store.key));
}

const conversation = (count: number, sessionId = 'session-1', text = ''): Conversation => ({
  sessionId,
  messages: Array.from({ length: count }, (_, i) => message(`m${i}`, i, text ? { text } : {})),
});

describe('parseConversation', () => {
  it('reads a stored conversation, copying known fields only', () => {
    const raw = JSON.stringify({
      v: 1,
      sessionId: 'session-1',
      foreign: true,
      messages: [
        { id: 'a', role: 'user', text: 'hi', createdAt: 1, evil: '<img onerror=x>' },
        { id: 'b', role: 'assistant', text: 'hello', createdAt: 2, metadata: { model: 'm' } },
        {
          id: 'c',
          role: 'user',
          text: 'again',
          createdAt: 3,
          status: 'failed',
          error: { code: 'rate_limited', status: 429, message: 'wait', retryable: true, retryAfter: 5, extra: 1 },
          retryAt: 99,
        },
      ],
    });
    assert.deepEqual(parseConversation(raw), {
      sessionId: 'session-1',
      messages: [
        { id: 'a', role: 'user', text: 'hi', createdAt: 1 },
        { id: 'b', role: 'assistant', text: 'hello', createdAt: 2, metadata: { model: 'm' } },
        {
          id: 'c',
          role: 'user',
          text: 'again',
          createdAt: 3,
          status: 'failed',
          error: { code: 'rate_limited', status: 429, message: 'wait', retryable: true, retryAfter: 5 },
          retryAt: 99,
        },
      ],
    });
  });

  it('accepts a null session id (nothing sent yet)', () => {
    assert.deepEqual(parseConversation(JSON.stringify({ v: 1, sessionId: null, messages: [] })), { sessionId: null, messages: [] });
  });

  it('keeps only the newest 200 messages', () => {
    const messages = Array.from({ length: 250 }, (_, i) => message(`m${i}`, i));
    const parsed = parseConversation(JSON.stringify({ v: 1, sessionId: 's', messages }));
    assert.equal(MAX_STORED_MESSAGES, 200);
    assert.equal(parsed.messages.length, 200);
    assert.equal(parsed.messages[0].id, 'm50');
    assert.equal(parsed.messages.at(-1)!.id, 'm249');
  });

  it('keeps a valid startedAt (which of two sessions started later) and drops one a Date cannot hold', () => {
    assert.deepEqual(parseConversation(JSON.stringify({ v: 1, sessionId: 's', messages: [], startedAt: 1234 })), { sessionId: 's', messages: [], startedAt: 1234 });
    for (const startedAt of [-1, 1e300, 'soon', null]) {
      assert.deepEqual(parseConversation(JSON.stringify({ v: 1, sessionId: 's', messages: [], startedAt })), { sessionId: 's', messages: [] }, String(startedAt));
    }
  });

  const rejected: Array<[string, string | null]> = [
    ['nothing stored', null],
    ['an empty string', ''],
    ['corrupt JSON', '{"v":1,"sessionId":'],
    ['JSON null', 'null'],
    ['a JSON string', '"hello"'],
    ['an array', JSON.stringify([{ v: 1 }])],
    ['a foreign shape', JSON.stringify({ user: 'x', history: [] })],
    ['an old version (v:0)', envelope({ v: 0 })],
    ['a newer version (v:2)', envelope({ v: 2 })],
    ['a version as a string', envelope({ v: '1' })],
    ['no version', JSON.stringify({ sessionId: 'session-1', messages: [] })],
    ['a session id with spaces', envelope({ sessionId: 'bad id' })],
    ['a session id with markup', envelope({ sessionId: '<img src=x>' })],
    ['a numeric session id', envelope({ sessionId: 42 })],
    ['a missing session id', JSON.stringify({ v: 1, messages: [] })],
    ['messages not an array', envelope({ messages: { a: 1 } })],
    ['missing messages', JSON.stringify({ v: 1, sessionId: 's' })],
    ['a message without an id', envelope({ messages: [{ role: 'user', text: 'x', createdAt: 1 }] })],
    ['a message with an empty id', envelope({ messages: [message('', 1)] })],
    ['a message with an id over 128 characters', envelope({ messages: [message('x'.repeat(129), 1)] })],
    ['a message with an unknown role', envelope({ messages: [message('a', 1, { role: 'system' as 'user' })] })],
    ['a message whose text is not a string', envelope({ messages: [{ id: 'a', role: 'user', text: 5, createdAt: 1 }] })],
    ['a message whose createdAt is a string', envelope({ messages: [{ id: 'a', role: 'user', text: 'x', createdAt: '1' }] })],
    ['a message with an unknown status', envelope({ messages: [{ ...message('a', 1), status: 'sent' }] })],
    ['a message with a malformed error', envelope({ messages: [{ ...message('a', 1), status: 'failed', error: { code: 1 } }] })],
    ['a message with a non-numeric retryAt', envelope({ messages: [{ ...message('a', 1), retryAt: 'soon' }] })],
    ['a message with array metadata', envelope({ messages: [{ ...message('a', 1), metadata: [1] }] })],
    ['a message that is not an object', envelope({ messages: ['hello'] })],
    ['duplicate message ids', envelope({ messages: [message('a', 1), message('a', 2)] })],
  ];
  for (const [label, raw] of rejected) {
    it(`starts fresh on ${label}, without throwing`, () => {
      assert.deepEqual(parseConversation(raw), { sessionId: null, messages: [] });
    });
  }

  it('returns a new conversation each time, so callers cannot share state by accident', () => {
    const raw = envelope({});
    const a = parseConversation(raw);
    const b = parseConversation(raw);
    assert.deepEqual(a, b);
    assert.notEqual(a.messages, b.messages);
    assert.notEqual(parseConversation(null), parseConversation(null));
  });
});

describe('SessionStore over a storage that may throw', () => {
  it('starts empty and round-trips a conversation through its storage, versioned', () => {
    const storage = fakeStorage();
    const store = storeOver(storage);
    assert.deepEqual(store.load(), { sessionId: null, messages: [] });
    store.save(conversation(3));
    assert.deepEqual(JSON.parse(storage.data.get(store.key)!), { v: STORAGE_VERSION, ...conversation(3) });
    assert.equal(STORAGE_VERSION, 1);
    assert.deepEqual(store.load(), conversation(3));
    assert.deepEqual(new SessionStore(store.key, 'local', storage).load(), conversation(3));
    assert.equal(savedInMemory(store), false);
  });

  it('saves only the newest 200 messages', () => {
    const storage = fakeStorage();
    const store = storeOver(storage);
    store.save(conversation(230));
    const saved = JSON.parse(storage.data.get(store.key)!);
    assert.equal(saved.messages.length, 200);
    assert.equal(saved.messages[0].id, 'm30');
    assert.equal(saved.messages.at(-1).id, 'm229');
  });

  it('falls back to memory when reading throws, and keeps working', () => {
    const storage = fakeStorage({ getItem: denied });
    const store = storeOver(storage);
    assert.doesNotThrow(() => store.load());
    store.save(conversation(2));
    assert.equal(storage.calls.setItem, 0);
    assert.equal(savedInMemory(store), true);
    assert.deepEqual(store.load(), conversation(2));
  });

  it('falls back to memory when writing throws, and keeps the conversation', () => {
    const storage = fakeStorage({ setItem: denied });
    const store = storeOver(storage);
    assert.doesNotThrow(() => store.save(conversation(2)));
    assert.equal(savedInMemory(store), true);
    assert.equal(storage.data.size, 0);
    assert.deepEqual(store.load(), conversation(2));
  });

  it('on a full quota keeps the newest messages that fit, in storage', () => {
    const storage = storageWithQuota(20_000);
    const store = storeOver(storage);
    store.save(conversation(120, 'session-1', 'x'.repeat(300)));
    assert.equal(savedInMemory(store), false);
    const saved = parseConversation(storage.data.get(store.key)!);
    assert.equal(saved.sessionId, 'session-1');
    assert.deepEqual(saved.messages.map((m) => m.id), Array.from({ length: 50 }, (_, i) => `m${70 + i}`));
  });

  it('keeps at least the session when no message fits', () => {
    const storage = storageWithQuota(100);
    const store = storeOver(storage);
    store.save(conversation(5, 'session-1', 'x'.repeat(300)));
    assert.deepEqual(parseConversation(storage.data.get(store.key)!), { sessionId: 'session-1', messages: [] });
  });

  it('falls back to memory when even an empty transcript exceeds the quota', () => {
    const storage = storageWithQuota(0); // every value, even an empty transcript's, is longer
    const store = storeOver(storage);
    assert.doesNotThrow(() => store.save(conversation(3)));
    assert.equal(savedInMemory(store), true);
    assert.deepEqual(store.load(), conversation(3));
  });
});

describe('SessionStore.changes: what another tab (or widget) stored since this store last read or wrote', () => {
  it('is null while storage holds what this store read or wrote: a tab alone has nothing to follow', () => {
    const storage = fakeStorage();
    const store = storeOver(storage);
    store.load();
    assert.equal(store.changes(), null);
    store.save(conversation(2));
    assert.equal(store.changes(), null);
  });

  it("is the other writer's conversation once, then null until storage changes again", () => {
    const storage = fakeStorage();
    const store = storeOver(storage);
    store.save(conversation(1));
    new SessionStore(store.key, 'local', storage).save(conversation(2));
    assert.deepEqual(store.changes(), conversation(2));
    assert.equal(store.changes(), null);
    storage.data.delete(store.key); // cleared elsewhere (the site logged the visitor out)
    assert.deepEqual(store.changes(), { sessionId: null, messages: [] });
    assert.equal(store.changes(), null);
  });

  it('reads memory where storage failed, as load does', () => {
    const storage = fakeStorage({ setItem: denied });
    const store = storeOver(storage);
    store.save(conversation(1));
    assert.equal(store.changes(), null);
    new SessionStore(store.key, 'local', null).save(conversation(2)); // another widget on the page, also in memory
    assert.deepEqual(store.changes(), conversation(2));
  });
});

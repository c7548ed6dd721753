// The cases of the pure modules that need a browser: a proxy-url or storage key resolved against
// the page's address, the browser's own localStorage, sessionStorage and storage events, and an
// event crossing a shadow root. The rest of these modules' rules run in Node (test/unit/).
import { expect } from '@open-wc/testing';
import { SessionStore, parseConversation, type Conversation } from '../src/session-store.js';
import { storageKeyFor } from '../src/configuration.js';
import { createChatEvent } from '../src/events.js';
import type { ChatMessage } from '../src/types.js';
import { uniqueId } from './helpers/chat.js';

function message(id: string, createdAt: number, extra: Partial<ChatMessage> = {}): ChatMessage {
  return { id, role: 'user', text: `text ${id}`, createdAt, ...extra };
}

function envelope(value: Record<string, unknown>): string {
  return JSON.stringify({ v: 1, sessionId: 'session-1', messages: [message('a', 1)], ...value });
}

describe('storageKeyFor, against the page', () => {
  it('derives the key from the proxy-url resolved against the page when there is no storage-key', () => {
    expect(storageKeyFor(undefined, '/api/chat')).to.equal(`thinnest-chat:${location.origin}/api/chat`);
    expect(storageKeyFor('', '/api/chat')).to.equal(`thinnest-chat:${location.origin}/api/chat`);
  });

  it('gives the same key to the same proxy spelled relatively and absolutely', () => {
    expect(storageKeyFor(undefined, '/api/chat')).to.equal(storageKeyFor(undefined, `${location.origin}/api/chat`));
  });

  it('gives proxies at different paths of the page different keys', () => {
    expect(storageKeyFor(undefined, '/a/chat')).to.not.equal(storageKeyFor(undefined, '/b/chat'));
  });
});

describe('SessionStore over the browser storage', () => {
  const conversation = (count: number, sessionId = 'session-1'): Conversation => ({
    sessionId,
    messages: Array.from({ length: count }, (_, i) => message(`m${i}`, i)),
  });

  it('persist="none" keeps the conversation in memory only, for the page', () => {
    const key = `thinnest-chat:units-${uniqueId()}`;
    const store = new SessionStore(key, 'none');
    expect(store.inMemory).to.equal(true);
    store.save(conversation(2));
    expect(localStorage.getItem(key)).to.equal(null);
    expect(sessionStorage.getItem(key)).to.equal(null);
    expect(new SessionStore(key, 'none').load()).to.deep.equal(conversation(2));
    store.clear();
  });

  it('uses localStorage for "local" and sessionStorage for "session" by default', () => {
    const key = `thinnest-chat:units-${uniqueId()}`;
    try {
      new SessionStore(key, 'local').save(conversation(1, 'local-session'));
      new SessionStore(key, 'session').save(conversation(1, 'tab-session'));
      expect(parseConversation(localStorage.getItem(key)).sessionId).to.equal('local-session');
      expect(parseConversation(sessionStorage.getItem(key)).sessionId).to.equal('tab-session');
    } finally {
      localStorage.removeItem(key);
      sessionStorage.removeItem(key);
    }
  });

  describe('subscribe (another tab)', () => {
    let key: string;
    beforeEach(() => {
      key = `thinnest-chat:units-${uniqueId()}`;
    });
    afterEach(() => localStorage.removeItem(key));

    const fire = (init: StorageEventInit) => window.dispatchEvent(new StorageEvent('storage', init));

    it("calls back with the other tab's conversation, and stops after unsubscribing", () => {
      const store = new SessionStore(key, 'local', localStorage);
      const seen: Conversation[] = [];
      const unsubscribe = store.subscribe((c) => seen.push(c));
      fire({ key, newValue: envelope({}), storageArea: localStorage });
      expect(seen).to.deep.equal([{ sessionId: 'session-1', messages: [message('a', 1)] }]);
      unsubscribe();
      fire({ key, newValue: envelope({}), storageArea: localStorage });
      expect(seen).to.have.length(1);
    });

    it('hears a cleared storage (key null) as an empty conversation', () => {
      const store = new SessionStore(key, 'local', localStorage);
      const seen: Conversation[] = [];
      const unsubscribe = store.subscribe((c) => seen.push(c));
      fire({ key: null, newValue: null, storageArea: localStorage });
      unsubscribe();
      expect(seen).to.deep.equal([{ sessionId: null, messages: [] }]);
    });

    it('ignores other keys and other storage areas', () => {
      const store = new SessionStore(key, 'local', localStorage);
      const seen: Conversation[] = [];
      const unsubscribe = store.subscribe((c) => seen.push(c));
      fire({ key: `${key}-other`, newValue: envelope({}), storageArea: localStorage });
      fire({ key, newValue: envelope({}), storageArea: sessionStorage });
      unsubscribe();
      expect(seen).to.have.length(0);
    });

    it('a memory-only store does not listen', () => {
      const store = new SessionStore(key, 'none');
      const seen: Conversation[] = [];
      const unsubscribe = store.subscribe((c) => seen.push(c));
      fire({ key, newValue: envelope({}), storageArea: localStorage });
      unsubscribe();
      expect(seen).to.have.length(0);
    });
  });
});

describe('events.createChatEvent', () => {
  it('reaches the page from inside a shadow root, and only send can be prevented', () => {
    const host = document.createElement('div');
    const inner = document.createElement('span');
    host.attachShadow({ mode: 'open' }).append(inner);
    document.body.append(host);
    const heard: string[] = [];
    const listener = (event: Event) => {
      heard.push(event.type);
      event.preventDefault();
    };
    try {
      document.addEventListener('thinnest-chat-send', listener);
      document.addEventListener('thinnest-chat-reply', listener);
      const sent = inner.dispatchEvent(createChatEvent('thinnest-chat-send', { message: 'hi', sessionId: 's' }));
      const replied = inner.dispatchEvent(
        createChatEvent('thinnest-chat-reply', { message: 'yo', sessionId: 's', metadata: {} }),
      );
      expect(heard).to.deep.equal(['thinnest-chat-send', 'thinnest-chat-reply']);
      expect(sent).to.equal(false);
      expect(replied).to.equal(true);
    } finally {
      document.removeEventListener('thinnest-chat-send', listener);
      document.removeEventListener('thinnest-chat-reply', listener);
      host.remove();
    }
  });
});

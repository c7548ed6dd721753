// The session and transcript survive a reload, stay bounded and versioned, never leak between
// widgets, survive hostile storage, and follow other tabs (SPEC §4 "Session").
import { expect, fixtureSync, html } from '@open-wc/testing';
import type { ChatMessage, ThinnestChat } from '../src/index.js';
import { englishStrings } from '../src/strings.js';
import {
  $,
  $$,
  assistantMessages,
  bubbles,
  fakeUrl,
  input,
  pressEnter,
  requestsFor,
  retryButton,
  sleep,
  type,
  uniqueId,
  until,
  userMessages,
  waitForReplies,
} from './helpers/chat.js';
import { closePages, openPage } from './helpers/pages.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Storage keys this file created, removed after each test (other files share the origin's storage). */
let createdKeys: string[] = [];
/** Stubs to undo after each test, newest first. */
let restores: Array<() => void> = [];

afterEach(() => {
  for (const restore of restores.reverse()) restore();
  restores = [];
  for (const key of createdKeys) {
    localStorage.removeItem(key);
    sessionStorage.removeItem(key);
  }
  createdKeys = [];
});

/** Replaces `target[name]` until the end of the test (value or accessor). */
function stub(target: object, name: string, replacement: PropertyDescriptor): void {
  const original = Object.getOwnPropertyDescriptor(target, name);
  Object.defineProperty(target, name, { configurable: true, ...replacement });
  restores.push(() => {
    if (original) Object.defineProperty(target, name, original);
    else delete (target as Record<string, unknown>)[name];
  });
}

function undoStubs(): void {
  for (const restore of restores.reverse()) restore();
  restores = [];
}

interface Setup {
  id: string;
  key: string;
  attrs: Record<string, string>;
}

/** A unique fake proxy and storage key, without a widget yet (so storage can be seeded first). */
function prepare(steps: string, extra: Record<string, string> = {}): Setup {
  const id = uniqueId('persist');
  const storageKey = `test-${id}`;
  const key = `thinnest-chat:${storageKey}`;
  createdKeys.push(key);
  return { id, key, attrs: { 'storage-key': storageKey, 'proxy-url': fakeUrl(id, steps), ...extra } };
}

/** A connected widget with these attributes set before it connects, as on a page that loads. */
async function mount(attrs: Record<string, string>): Promise<ThinnestChat> {
  const el = document.createElement('thinnest-chat');
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  // fixtureSync: awaiting fixture() on a plain <div> waits for an animation frame, which never
  // comes while this page is a background tab (web-test-runner runs files side by side).
  const container = fixtureSync<HTMLDivElement>(html`<div></div>`);
  container.append(el);
  await el.updateComplete;
  return el;
}

async function widget(steps: string, extra: Record<string, string> = {}): Promise<Setup & { el: ThinnestChat }> {
  const setup = prepare(steps, extra);
  return { ...setup, el: await mount(setup.attrs) };
}

/** What the widget stored under `key`, parsed. */
function stored(key: string, storage: Storage = localStorage): { v: number; sessionId: string | null; messages: ChatMessage[] } {
  const raw = storage.getItem(key);
  expect(raw, `something stored under ${key}`).to.be.a('string');
  return JSON.parse(raw!);
}

async function sessionIdsSent(id: string): Promise<string[]> {
  return (await requestsFor(id)).map((request) => JSON.parse(request.body).session_id);
}

function seededMessages(count: number, text = (i: number) => `Seeded ${i}`): ChatMessage[] {
  const start = Date.now() - count * 1000;
  return Array.from({ length: count }, (_, i) => ({
    id: `m${i}`,
    role: i % 2 === 0 ? 'user' : 'assistant',
    text: text(i),
    createdAt: start + i * 1000,
  }));
}

/** Collects uncaught errors for the duration of a test step. */
function watchErrors(): { errors: unknown[]; stop: () => void } {
  const errors: unknown[] = [];
  const onError = (event: ErrorEvent) => errors.push(event.error ?? event.message);
  const onRejection = (event: PromiseRejectionEvent) => errors.push(event.reason);
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
  return {
    errors,
    stop: () => {
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onRejection);
    },
  };
}

function fromOtherTab(key: string, value: string | null, storageArea: Storage = localStorage): void {
  if (value === null) storageArea.removeItem(key);
  else storageArea.setItem(key, value);
  window.dispatchEvent(new StorageEvent('storage', { key, newValue: value, storageArea }));
}

describe('persistence', () => {
  describe('across a reload', () => {
    it('restores the session and transcript in a re-created widget, which continues the same session', async () => {
      const { el, id, key, attrs } = await widget('ok');
      await el.send('Hello');
      await waitForReplies(el, 1);
      const sessionId = el.sessionId;
      expect(sessionId).to.match(UUID_V4);
      el.remove();

      const again = await mount(attrs);
      expect(again.sessionId).to.equal(sessionId);
      expect(again.messages.map((m) => [m.role, m.text])).to.deep.equal([
        ['user', 'Hello'],
        ['assistant', 'Reply 1 to: Hello'],
      ]);
      expect(again.messages[1].metadata).to.deep.equal({ model: 'fake', latency_ms: 1 });
      expect(bubbles(again)).to.deep.equal(['Hello', 'Reply 1 to: Hello']);
      expect($(again, '[part~="error"]')).to.not.exist;

      await again.send('And again');
      expect(await sessionIdsSent(id)).to.deep.equal([sessionId, sessionId]);
      expect(bubbles(again)).to.deep.equal(['Hello', 'Reply 1 to: Hello', 'And again', 'Reply 2 to: And again']);
      expect(stored(key).messages).to.have.length(4);
    });

    it('keeps an unsent draft: a reload shows it in the input again; once sent, it is gone', async () => {
      const { el, id, key, attrs } = await widget('ok');
      const draftKey = key.replace('thinnest-chat:', 'thinnest-chat-draft:');
      createdKeys.push(draftKey);
      await type(el, 'Half a thought about pricing');
      el.remove();

      const again = await mount(attrs);
      expect(input(again).value, 'the draft after a reload').to.equal('Half a thought about pricing');
      expect($(again, '[part~="send-button"]')!.hasAttribute('disabled'), 'ready to send').to.equal(false);
      await pressEnter(again);
      await waitForReplies(again, 1);
      expect((await requestsFor(id)).map((request) => JSON.parse(request.body).message)).to.deep.equal(['Half a thought about pricing']);
      expect(localStorage.getItem(draftKey), 'nothing kept once sent').to.equal(null);
      again.remove();
      expect(input(await mount(attrs)).value, 'no draft after the next reload').to.equal('');
    });

    it('keeps each widget\'s draft apart, and none at all with persist="none"', async () => {
      const a = await widget('ok');
      const b = await widget('ok', { persist: 'none' });
      createdKeys.push(a.key.replace('thinnest-chat:', 'thinnest-chat-draft:'), b.key.replace('thinnest-chat:', 'thinnest-chat-draft:'));
      await type(a.el, 'For A');
      await type(b.el, 'For B');
      a.el.remove();
      b.el.remove();
      expect(input(await mount(a.attrs)).value).to.equal('For A');
      expect(input(await mount(b.attrs)).value, 'persist="none" keeps nothing').to.equal('');
      expect(localStorage.getItem(b.key.replace('thinnest-chat:', 'thinnest-chat-draft:'))).to.equal(null);
    });

    it('stores a versioned envelope (v:1) under thinnest-chat:<storage-key>', async () => {
      const { el, key } = await widget('ok');
      expect(localStorage.getItem(key)).to.equal(null);
      await el.send('Hello');
      const value = stored(key);
      expect(Object.keys(value).sort()).to.deep.equal(['messages', 'sessionId', 'startedAt', 'v']);
      expect(value.v).to.equal(1);
      // When the session began: two tabs that start sessions at once settle on the later one.
      expect((value as unknown as { startedAt: number }).startedAt).to.be.a('number');
      expect(value.sessionId).to.equal(el.sessionId);
      expect(value.messages.map((m) => [m.role, m.text])).to.deep.equal([
        ['user', 'Hello'],
        ['assistant', 'Reply 1 to: Hello'],
      ]);
      expect(value.messages[0], 'a delivered message has no status').to.not.have.property('status');
      expect(value.messages[0].id).to.not.equal(value.messages[1].id);
    });

    it('restores only the newest 200 of 250 stored messages and saves at most 200', async () => {
      const { id, key, attrs } = prepare('ok');
      localStorage.setItem(key, JSON.stringify({ v: 1, sessionId: 'seeded-session', messages: seededMessages(250) }));
      const el = await mount(attrs);

      expect(el.messages).to.have.length(200);
      expect(el.messages[0].id).to.equal('m50');
      expect(el.messages.at(-1)!.id).to.equal('m249');
      expect(userMessages(el).length + assistantMessages(el).length).to.equal(200);
      expect(bubbles(el)[0]).to.equal('Seeded 50');
      expect(el.sessionId).to.equal('seeded-session');

      await el.send('One more');
      expect(await sessionIdsSent(id)).to.deep.equal(['seeded-session']);
      const saved = stored(key);
      expect(saved.messages).to.have.length(200);
      expect(saved.messages[0].id).to.equal('m52');
      expect(saved.messages.slice(-2).map((m) => m.text)).to.deep.equal(['One more', 'Reply 1 to: One more']);
    });
  });

  describe('a long restored transcript', () => {
    it('opens at the newest message; the oldest is there, readable, when scrolled to; a new reply is scrolled to', async () => {
      // Waits are timers, not frames: a test window in the background may get no frames (layout queries do the work).
      const { key, attrs } = prepare('ok');
      localStorage.setItem(key, JSON.stringify({ v: 1, sessionId: 'seeded-session', messages: seededMessages(200, (i) => `Seeded **${i}**\n\n- a\n- b`) }));
      const el = await mount(attrs);
      const box = $(el, '[part~="transcript"]')!;
      await until(() => $$(el, '[part~="message"] strong').length === 100, 'the replies rendered as markdown');
      await sleep(50);

      const last = $(el, '[data-id="m199"]')!;
      const view = box.getBoundingClientRect();
      expect(last.getBoundingClientRect().bottom, 'the newest message is in view').to.be.within(view.top, view.bottom + 1);
      expect(box.scrollHeight - box.scrollTop - box.clientHeight).to.be.below(48);

      // Older messages are laid out when they are scrolled to, and read as they should.
      box.scrollTop = 0;
      await sleep(50);
      const first = $(el, '[data-id="m1"]')!; // the oldest reply
      first.scrollIntoView({ block: 'start' });
      await sleep(50);
      const rect = first.getBoundingClientRect();
      expect(rect.height, 'the oldest reply has its height').to.be.greaterThan(10);
      expect(rect.top, 'the oldest reply is in view').to.be.within(box.getBoundingClientRect().top - 1, box.getBoundingClientRect().bottom);
      expect(first.querySelector('strong')?.textContent, 'rendered as markdown').to.equal('1');
      expect(first.innerText, 'its text is laid out').to.contain('Seeded 1');

      // A new message scrolls the visitor back down to it.
      await el.send('One more');
      await el.updateComplete;
      await sleep(50);
      const reply = $(el, `[data-id="${el.messages.at(-1)!.id}"]`)!;
      expect(reply.getBoundingClientRect().bottom, 'the new reply is in view').to.be.within(box.getBoundingClientRect().top, box.getBoundingClientRect().bottom + 1);
    });
  });

  describe('separate widgets', () => {
    it('two widgets with different proxy-url and no storage-key never share a session', async () => {
      const idA = uniqueId('proxy-a');
      const idB = uniqueId('proxy-b');
      const urlA = fakeUrl(idA, 'ok');
      const urlB = fakeUrl(idB, 'ok');
      const keyA = `thinnest-chat:${new URL(urlA, location.href).href}`;
      const keyB = `thinnest-chat:${new URL(urlB, location.href).href}`;
      createdKeys.push(keyA, keyB);

      const a = await mount({ 'proxy-url': urlA });
      const b = await mount({ 'proxy-url': urlB });
      await a.send('To A');
      await b.send('To B');

      expect(a.sessionId).to.match(UUID_V4);
      expect(b.sessionId).to.match(UUID_V4);
      expect(a.sessionId).to.not.equal(b.sessionId);
      expect(bubbles(a)).to.deep.equal(['To A', 'Reply 1 to: To A']);
      expect(bubbles(b)).to.deep.equal(['To B', 'Reply 1 to: To B']);
      expect(await sessionIdsSent(idA)).to.deep.equal([a.sessionId]);
      expect(await sessionIdsSent(idB)).to.deep.equal([b.sessionId]);

      const storedA = stored(keyA);
      const storedB = stored(keyB);
      expect(storedA.sessionId).to.equal(a.sessionId);
      expect(storedB.sessionId).to.equal(b.sessionId);
      expect(storedA.messages.map((m) => m.text)).to.deep.equal(['To A', 'Reply 1 to: To A']);
      expect(storedB.messages.map((m) => m.text)).to.deep.equal(['To B', 'Reply 1 to: To B']);

      // Each restores its own conversation after a reload.
      a.remove();
      const againA = await mount({ 'proxy-url': urlA });
      expect(againA.sessionId).to.equal(a.sessionId);
      expect(bubbles(againA)).to.deep.equal(['To A', 'Reply 1 to: To A']);
    });
  });

  describe('persist', () => {
    it('persist="session" uses sessionStorage, not localStorage', async () => {
      const { el, key, attrs } = await widget('ok', { persist: 'session' });
      await el.send('Tab only');
      expect(localStorage.getItem(key)).to.equal(null);
      const value = stored(key, sessionStorage);
      expect(value.v).to.equal(1);
      expect(value.sessionId).to.equal(el.sessionId);
      expect(value.messages.map((m) => m.text)).to.deep.equal(['Tab only', 'Reply 1 to: Tab only']);

      el.remove();
      const again = await mount(attrs);
      expect(again.sessionId).to.equal(el.sessionId);
      expect(bubbles(again)).to.deep.equal(['Tab only', 'Reply 1 to: Tab only']);
    });

    it('persist="none" writes neither storage, and the chat works', async () => {
      const { el, id, key, attrs } = await widget('ok', { persist: 'none' });
      await el.send('Ephemeral');
      await el.send('Twice');
      expect(bubbles(el)).to.deep.equal(['Ephemeral', 'Reply 1 to: Ephemeral', 'Twice', 'Reply 2 to: Twice']);
      const sent = await sessionIdsSent(id);
      expect(sent[0]).to.match(UUID_V4);
      expect(sent[1]).to.equal(sent[0]);
      expect(localStorage.getItem(key)).to.equal(null);
      expect(sessionStorage.getItem(key)).to.equal(null);

      el.remove();
      const local = await mount({ ...attrs, persist: 'local' });
      expect(local.messages).to.have.length(0);
      expect(local.sessionId).to.equal(null);
    });
  });

  describe('bad stored data starts fresh without throwing, and the widget still chats', () => {
    const valid = (i: number) => ({ id: `old-${i}`, role: 'user', text: 'Old text', createdAt: 1_700_000_000_000 + i });
    const cases: Array<[string, string]> = [
      ['corrupt JSON', '{"v":1,"sessionId":"old-session","messages":[{"id":'],
      ['a foreign shape', JSON.stringify({ user: 'someone', history: ['Old text'], sessionId: 'old-session' })],
      ['a JSON array', JSON.stringify([valid(1)])],
      ['an old version (v:0)', JSON.stringify({ v: 0, sessionId: 'old-session', messages: [valid(1)] })],
      [
        'invalid messages',
        JSON.stringify({ v: 1, sessionId: 'old-session', messages: [valid(1), { id: 'x', role: 'bot', text: 1 }] }),
      ],
      ['duplicate message ids', JSON.stringify({ v: 1, sessionId: 'old-session', messages: [valid(1), valid(1)] })],
      ['a bad session id', JSON.stringify({ v: 1, sessionId: 'old session <script>', messages: [valid(1)] })],
    ];
    for (const [label, raw] of cases) {
      it(label, async () => {
        const { id, key, attrs } = prepare('ok');
        localStorage.setItem(key, raw);
        const watch = watchErrors();
        try {
          const el = await mount(attrs);
          expect(el.messages).to.have.length(0);
          expect(el.sessionId).to.equal(null);
          expect(bubbles(el)).to.deep.equal([]);

          await el.send('Fresh start');
          expect(bubbles(el)).to.deep.equal(['Fresh start', 'Reply 1 to: Fresh start']);
          expect(el.sessionId).to.match(UUID_V4);
          expect(await sessionIdsSent(id)).to.deep.equal([el.sessionId]);
          const value = stored(key);
          expect(value.v).to.equal(1);
          expect(value.sessionId).to.equal(el.sessionId);
          expect(value.messages.map((m) => m.text)).to.deep.equal(['Fresh start', 'Reply 1 to: Fresh start']);
          expect(watch.errors).to.deep.equal([]);
        } finally {
          watch.stop();
        }
      });
    }
  });

  describe('storage that fails', () => {
    const blocked = () => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    };

    it('falls back to memory when getItem and setItem throw, and the chat keeps working', async () => {
      stub(Storage.prototype, 'getItem', { value: blocked, writable: true });
      stub(Storage.prototype, 'setItem', { value: blocked, writable: true });
      const watch = watchErrors();
      try {
        const { el, id, key } = await widget('ok');
        await el.send('One');
        await el.send('Two');
        expect(bubbles(el)).to.deep.equal(['One', 'Reply 1 to: One', 'Two', 'Reply 2 to: Two']);
        const sent = await sessionIdsSent(id);
        expect(sent[0]).to.match(UUID_V4);
        expect(sent[1], 'the session is kept in memory').to.equal(sent[0]);
        expect(el.sessionId).to.equal(sent[0]);
        expect(watch.errors).to.deep.equal([]);
        undoStubs();
        expect(localStorage.getItem(key)).to.equal(null);
      } finally {
        watch.stop();
      }
    });

    it('falls back to memory when reading localStorage itself throws (cookies blocked)', async () => {
      // A page of its own where reading storage throws from its first line, as with cookies blocked. Not this
      // page with window.localStorage redefined once the widget has run: WebKit's optimized code went on
      // reading the old property after earlier test files had run (a JavaScriptCore caching bug; a browser
      // that blocks cookies throws from the start, as here).
      const page = await openPage('/test/pages/hostile.html?setup=storage-blocked&build=module');
      try {
        expect(() => page.win.localStorage).to.throw();
        const { id, key, attrs } = prepare('ok');
        const { el } = page;
        for (const [name, value] of Object.entries({ ...attrs, persist: 'local' })) el.setAttribute(name, value);
        el.removeAttribute('welcome-message');
        await el.updateComplete;
        await el.send('One');
        await el.send('Two');
        expect(bubbles(el)).to.deep.equal(['One', 'Reply 1 to: One', 'Two', 'Reply 2 to: Two']);
        const sent = await sessionIdsSent(id);
        expect(sent[1]).to.equal(sent[0]);
        expect(page.win.__errors).to.deep.equal([]);
        // This page's storage is the same origin's: nothing was written there.
        expect(localStorage.getItem(key)).to.equal(null);
      } finally {
        closePages();
      }
    });

    it('keeps the chat working when setItem always throws QuotaExceededError', async () => {
      stub(Storage.prototype, 'setItem', {
        value: () => {
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        },
        writable: true,
      });
      const { el, id, key } = await widget('ok');
      await el.send('One');
      await el.send('Two');
      expect(bubbles(el)).to.deep.equal(['One', 'Reply 1 to: One', 'Two', 'Reply 2 to: Two']);
      const sent = await sessionIdsSent(id);
      expect(sent[1]).to.equal(sent[0]);
      undoStubs();
      expect(localStorage.getItem(key)).to.equal(null);
    });

    it('on a nearly full quota keeps the newest messages that fit, and the chat keeps working', async () => {
      const { key, attrs } = prepare('ok');
      localStorage.setItem(
        key,
        JSON.stringify({ v: 1, sessionId: 'big-session', messages: seededMessages(120, (i) => `${i} ${'x'.repeat(300)}`) }),
      );
      const original = Storage.prototype.setItem;
      stub(Storage.prototype, 'setItem', {
        writable: true,
        value(this: Storage, name: string, value: string) {
          if (name === key && String(value).length > 20_000) {
            throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
          }
          return original.call(this, name, value);
        },
      });
      const el = await mount(attrs);
      expect(el.messages).to.have.length(120);
      await el.send('Newest');
      expect(el.messages).to.have.length(122);
      expect(bubbles(el).slice(-2)).to.deep.equal(['Newest', 'Reply 1 to: Newest']);
      const value = stored(key);
      expect(value.sessionId).to.equal('big-session');
      expect(value.messages).to.have.length(50);
      expect(value.messages[0].id).to.equal('m72');
      expect(value.messages.slice(-2).map((m) => m.text)).to.deep.equal(['Newest', 'Reply 1 to: Newest']);
    });
  });

  describe('newSession()', () => {
    it('clears the transcript, starts a new session id, fires thinnest-chat-session, and the next send uses it', async () => {
      const { el, id, key, attrs } = await widget('ok');
      await el.send('First conversation');
      const first = el.sessionId;
      expect(first).to.match(UUID_V4);

      const events: CustomEvent[] = [];
      const onSession = (event: Event) => events.push(event as CustomEvent);
      document.addEventListener('thinnest-chat-session', onSession);
      try {
        el.newSession();
        await el.updateComplete;
      } finally {
        document.removeEventListener('thinnest-chat-session', onSession);
      }

      expect(el.messages).to.have.length(0);
      expect(bubbles(el)).to.deep.equal([]);
      expect(el.sessionId).to.match(UUID_V4);
      expect(el.sessionId).to.not.equal(first);
      expect(events, 'one session event, heard at the document').to.have.length(1);
      expect(events[0].detail).to.deep.equal({ sessionId: el.sessionId, previous: first });
      expect(stored(key)).to.deep.include({ v: 1, sessionId: el.sessionId, messages: [] });

      await el.send('Second conversation');
      expect(await sessionIdsSent(id)).to.deep.equal([first, el.sessionId]);
      expect(bubbles(el)).to.deep.equal(['Second conversation', 'Reply 2 to: Second conversation']);

      el.remove();
      const again = await mount(attrs);
      expect(again.sessionId).to.not.equal(first);
      expect(bubbles(again)).to.deep.equal(['Second conversation', 'Reply 2 to: Second conversation']);
    });

    it('the header button starts a new conversation too', async () => {
      const { el } = await widget('ok');
      await el.send('Hello');
      const first = el.sessionId;
      const details: unknown[] = [];
      el.addEventListener('thinnest-chat-session', (event) => details.push(event.detail));
      $(el, '[part~="new-session-button"]')!.click();
      await el.updateComplete;
      expect(el.messages).to.have.length(0);
      expect(el.sessionId).to.not.equal(first);
      expect(details).to.deep.equal([{ sessionId: el.sessionId, previous: first }]);
    });

    it('drops a reply still in flight, which never lands in the new conversation', async () => {
      const { el, id, key } = await widget('slow300');
      const sending = el.send('Too late');
      await until(() => el.messages.length === 1 && el.messages[0].status === 'pending', 'message pending');
      el.newSession();
      await sending;
      await el.updateComplete;
      expect(el.messages).to.have.length(0);
      expect(stored(key).messages).to.deep.equal([]);

      await el.send('Next');
      expect(bubbles(el)).to.deep.equal(['Next', 'Slow reply to: Next']);
      expect((await sessionIdsSent(id)).at(-1)).to.equal(el.sessionId);
    });
  });

  describe('a page that reloaded mid-request', () => {
    it('where Web Locks are refused (a sandboxed frame, blocked cookies), fails a message left pending at once, and sends without an error', async () => {
      const original = LockManager.prototype.request;
      LockManager.prototype.request = (() => Promise.reject(new DOMException('Access to the Locks API is denied in this context.', 'SecurityError'))) as never;
      const rejections: string[] = [];
      const onRejection = (event: PromiseRejectionEvent) => rejections.push(String(event.reason));
      window.addEventListener('unhandledrejection', onRejection);
      try {
        const { key, attrs } = prepare('ok');
        const pendingMessage = { id: 'u1', role: 'user', text: 'Sent as the page went away', createdAt: Date.now() - 1000, status: 'pending' };
        localStorage.setItem(key, JSON.stringify({ v: 1, sessionId: 'refused-locks', messages: [pendingMessage] }));
        const el = await mount(attrs);
        await until(() => el.messages[0]?.status === 'failed', 'marked undelivered');
        expect(el.messages[0].error?.code).to.equal('interrupted');
        await el.send('and a new one');
        expect(el.messages.map((m) => [m.role, m.status])).to.deep.equal([
          ['user', 'failed'],
          ['user', undefined],
          ['assistant', undefined],
        ]);
        await sleep(50);
      } finally {
        LockManager.prototype.request = original;
        window.removeEventListener('unhandledrejection', onRejection);
      }
      expect(rejections).to.deep.equal([]);
    });

    it('shows a message left pending in storage as failed, with a retry control that resends it in the same session', async () => {
      const { id, key, attrs } = prepare('ok');
      const now = Date.now();
      localStorage.setItem(
        key,
        JSON.stringify({
          v: 1,
          sessionId: 'reloaded-session',
          messages: [
            { id: 'u1', role: 'user', text: 'Before the reload', createdAt: now - 3000 },
            { id: 'a1', role: 'assistant', text: 'Earlier answer', createdAt: now - 2000 },
            { id: 'u2', role: 'user', text: 'Sent as the page went away', createdAt: now - 1000, status: 'pending' },
          ],
        }),
      );
      const el = await mount(attrs);
      // Failed once its Web Lock is found free (no tab is waiting on it): a moment after the first render.
      await until(() => el.messages.at(-1)?.status === 'failed', 'marked undelivered');
      await el.updateComplete;

      const last = el.messages.at(-1)!;
      expect(last.status).to.equal('failed');
      expect(last.error?.code).to.equal('interrupted');
      expect(last.error?.retryable).to.equal(true);
      expect($(el, '.typing'), 'no typing indicator for a request that is gone').to.not.exist;
      expect($(el, '[part~="stop-button"]')).to.not.exist;
      const note = $(el, '[part~="error"]')!;
      expect(note).to.exist;
      expect(note.textContent).to.contain(englishStrings.errorInterrupted);
      const retry = retryButton(el)!;
      expect(retry).to.exist;
      expect(retry.getAttribute('aria-disabled')).to.equal('false');
      expect(retry.textContent!.trim()).to.equal(englishStrings.retryButton);

      retry.click();
      await waitForReplies(el, 2);
      const [request] = await requestsFor(id);
      expect(JSON.parse(request.body)).to.deep.equal({ message: 'Sent as the page went away', session_id: 'reloaded-session' });
      expect(bubbles(el)).to.deep.equal([
        'Before the reload',
        'Earlier answer',
        'Sent as the page went away',
        'Reply 1 to: Sent as the page went away',
      ]);
      expect($(el, '[part~="error"]')).to.not.exist;
      await until(() => stored(key).messages.length === 4, 'reply stored');
      expect(stored(key).messages.every((m) => m.status === undefined)).to.equal(true);
    });
  });

  describe('other tabs', () => {
    it("shows another tab's messages in the same session (storage event)", async () => {
      const { el, key } = await widget('ok');
      await el.send('Mine');
      const sessionId = el.sessionId;
      const mine = stored(key);
      const later = Date.now() + 1000;
      const theirs = JSON.stringify({
        ...mine,
        messages: [
          ...mine.messages,
          { id: 'other-u', role: 'user', text: 'From the other tab', createdAt: later },
          { id: 'other-a', role: 'assistant', text: 'Answer in the other tab', createdAt: later + 1 },
        ],
      });
      fromOtherTab(key, theirs);
      await until(() => bubbles(el).includes('Answer in the other tab'), "the other tab's reply is shown");
      expect(bubbles(el)).to.deep.equal(['Mine', 'Reply 1 to: Mine', 'From the other tab', 'Answer in the other tab']);
      expect(el.sessionId).to.equal(sessionId);
    });

    it('follows another tab that started a new conversation', async () => {
      const { el, id, key } = await widget('ok');
      await el.send('Old conversation');
      const theirs = JSON.stringify({
        v: 1,
        sessionId: 'other-tab-session',
        messages: [{ id: 'x1', role: 'user', text: 'Started elsewhere', createdAt: Date.now() }],
      });
      fromOtherTab(key, theirs);
      await until(() => el.sessionId === 'other-tab-session', 'adopts the other tab session');
      await el.updateComplete;
      expect(bubbles(el)).to.deep.equal(['Started elsewhere']);

      await el.send('Continuing here');
      expect((await sessionIdsSent(id)).at(-1)).to.equal('other-tab-session');
    });

    it('keeps its own request in flight while another tab adds messages to the same session', async () => {
      const { el, key } = await widget('slow800');
      await el.send('Hello');
      const sending = el.send('Mine, in flight');
      await until(() => stored(key).messages.at(-1)?.status === 'pending', 'pending message stored');
      const mine = stored(key);
      const later = Date.now() + 5;
      fromOtherTab(
        key,
        JSON.stringify({
          ...mine,
          messages: [...mine.messages, { id: 'other-u', role: 'user', text: 'From the other tab', createdAt: later }],
        }),
      );
      await until(() => bubbles(el).includes('From the other tab'), "the other tab's message is shown");
      await sending;
      await el.updateComplete;
      expect(bubbles(el)).to.include.members(['Mine, in flight', 'From the other tab', 'Slow reply to: Mine, in flight']);
      expect(el.messages.every((m) => m.status === undefined), 'nothing left pending or failed').to.equal(true);
      expect(stored(key).messages.map((m) => m.text)).to.include.members([
        'Mine, in flight',
        'From the other tab',
        'Slow reply to: Mine, in flight',
      ]);
    });

    it('ignores storage events for other keys and other storage areas', async () => {
      const { el, key } = await widget('ok');
      await el.send('Mine');
      const sessionId = el.sessionId;
      const foreign = JSON.stringify({
        v: 1,
        sessionId: 'foreign-session',
        messages: [{ id: 'f1', role: 'user', text: 'Not for this widget', createdAt: Date.now() }],
      });
      const otherKey = `${key}-other`;
      createdKeys.push(otherKey);
      fromOtherTab(otherKey, foreign);
      fromOtherTab(key, foreign, sessionStorage);
      await el.updateComplete;
      expect(el.sessionId).to.equal(sessionId);
      expect(bubbles(el)).to.deep.equal(['Mine', 'Reply 1 to: Mine']);
    });
  });

  describe('a widget removed or moved while a reply is on its way', () => {
    // Regression (fixed): src/chat-controller.ts hostDisconnected() sets #store = null, so the reply that lands
    // after the element left the page is never saved; storage keeps the message `pending` and the
    // re-created widget says "may not have been delivered" about a delivered message whose reply
    // is lost. Keep the store in hostDisconnected (only unsubscribe from `storage` events).
    it('stores the reply that arrives after the element was removed, for the re-created widget', async () => {
      const { el, key, attrs } = await widget('slow400');
      const sending = el.send('Leaving');
      await until(() => el.messages[0]?.status === 'pending', 'message pending');
      el.remove();
      await sending;
      expect(stored(key).messages.map((m) => [m.text, m.status])).to.deep.equal([
        ['Leaving', undefined],
        ['Slow reply to: Leaving', undefined],
      ]);
      const again = await mount(attrs);
      expect(bubbles(again)).to.deep.equal(['Leaving', 'Slow reply to: Leaving']);
      expect($(again, '[part~="error"]')).to.not.exist;
    });

    // Regression (fixed): src/chat-controller.ts hostDisconnected() drops #store, so on reconnect open() sees no
    // store and runs its full re-open: #abortInFlight() aborts the request and the reload from
    // storage marks the message `interrupted`. Moving the element in the DOM (re-parenting by a
    // framework, moving a bubble to <body>) loses the reply and invites a duplicate send. Keep
    // the store across disconnect and only re-subscribe in hostConnected when key and persist match.
    it('moving the element in the page keeps the request in flight and its reply', async () => {
      const { el, id } = await widget('slow400');
      const sending = el.send('Moving');
      await until(() => el.messages[0]?.status === 'pending', 'message pending');
      const elsewhere = fixtureSync<HTMLDivElement>(html`<div></div>`);
      elsewhere.append(el);
      await sending;
      await el.updateComplete;
      expect(bubbles(el)).to.deep.equal(['Moving', 'Slow reply to: Moving']);
      expect(el.messages[0].status).to.equal(undefined);
      expect(await requestsFor(id)).to.have.length(1);
    });
  });

  describe('read-only state', () => {
    it('messages and sessionId cannot be assigned', async () => {
      const { el } = await widget('ok');
      await el.send('Hello');
      const sessionId = el.sessionId;
      const writable = el as unknown as { messages: unknown; sessionId: unknown };
      expect(() => (writable.messages = [])).to.throw(TypeError);
      expect(() => (writable.sessionId = 'hijacked')).to.throw(TypeError);
      expect(el.sessionId).to.equal(sessionId);
      expect(el.messages).to.have.length(2);
    });

    // Regression (fixed): src/chat-controller.ts `get messages()` (and ThinnestChat#messages) hands out the
    // controller's own array, so page code such as `el.messages.reverse()` or `.push()` rewrites
    // the transcript, and the next save persists it. Freeze the arrays on commit or return a copy.
    it('changing the array it returns does not change the transcript', async () => {
      const { el, key } = await widget('ok');
      await el.send('First');
      await el.send('Second');
      const before = el.messages.map((m) => m.text);
      const handed = el.messages as ChatMessage[];
      try {
        handed.reverse();
        handed.push({ id: 'injected', role: 'assistant', text: 'Injected', createdAt: Date.now() });
      } catch {
        // A frozen array refusing the change is fine too.
      }
      expect(el.messages.map((m) => m.text)).to.deep.equal(before);
      await el.send('Third');
      expect(stored(key).messages.map((m) => m.text)).to.deep.equal([...before, 'Third', 'Reply 3 to: Third']);
    });
  });
});

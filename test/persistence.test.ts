// SPEC §4 Session: the session id and the transcript persist under the storage key, so a reload
// or another page of the site restores the conversation; other tabs of the site follow along
// (storage events; two real tabs converge on one transcript); stored data is versioned, bounded
// (the newest 200 messages) and validated on read, so corrupt, foreign, old or huge data starts
// fresh (or keeps what is valid) without throwing; storage that throws on read, on write or past
// its quota falls back to memory and the chat keeps working. Tabs are same-origin iframes with
// the same storage-key, real localStorage and real storage events. The rules of parseConversation,
// mergeMessages and SessionStore over a storage that throws run in Node (test/unit/).
import { expect, fixtureSync, html } from '@open-wc/testing';
import type { ChatMessage, ThinnestChat } from '../src/index.js';
import { englishStrings } from '../src/english.js';
import { SessionStore } from '../src/session-store.js';
import { memory, memoryKey, parseConversation, type Conversation } from '../src/stored-conversation.js';
import { storageKeyFor } from '../src/configuration.js';
import {
  $,
  $$,
  assistantMessages,
  bubbles,
  fakeUrl,
  goOffline,
  input,
  pressEnter,
  recordErrors,
  requestsFor,
  retryButton,
  sleep,
  type,
  uniqueId,
  until,
  userMessages,
  waitForReplies,
  waitForRequests,
} from './helpers/chat.js';
import { closePages, openPage, type Page } from './helpers/pages.js';
import { listen } from './helpers/a11y.js';

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
  closePages();
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

/** A unique storage key (and fake-proxy id), removed after the test. */
function newKey(label: string): { storageKey: string; key: string; id: string } {
  const id = uniqueId(label);
  const storageKey = `test-${id}`;
  const key = `thinnest-chat:${storageKey}`;
  createdKeys.push(key);
  return { storageKey, key, id };
}

/** A unique fake proxy and storage key, without a widget yet (so storage can be seeded first). */
function prepare(steps: string, extra: Record<string, string> = {}): Setup {
  const { id, key, storageKey } = newKey('persist');
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

/** Where the widget keeps its unsent draft, beside the conversation stored under `key`. */
function draftKeyOf(key: string): string {
  return key.replace('thinnest-chat:', 'thinnest-chat-draft:');
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

/** Uncaught errors and rejections on this page until the test ends. */
function watchPage(): unknown[] {
  const watch = watchErrors();
  restores.push(watch.stop);
  return watch.errors;
}

function fromOtherTab(key: string, value: string | null, storageArea: Storage = localStorage): void {
  if (value === null) storageArea.removeItem(key);
  else storageArea.setItem(key, value);
  window.dispatchEvent(new StorageEvent('storage', { key, newValue: value, storageArea }));
}

/** Replaces a Storage method for one key only (other tests and the runner keep real storage) until the test ends. */
function breakStorage(name: 'getItem' | 'setItem' | 'removeItem', key: string, replacement: (this: Storage, ...args: string[]) => unknown): void {
  const original = Storage.prototype[name] as (...args: string[]) => unknown;
  Storage.prototype[name] = function (this: Storage, ...args: string[]) {
    return args[0] === key ? replacement.apply(this, args) : original.apply(this, args);
  } as never;
  restores.push(() => (Storage.prototype[name] = original as never));
}

/** Two messages and their replies through `el`: the chat works. */
async function chatTwice(el: ThinnestChat): Promise<void> {
  const before = el.messages.length;
  await el.send('first after the trouble');
  await el.send('second after the trouble');
  await el.updateComplete;
  expect(el.messages.slice(before).map((m) => [m.role, m.status])).to.deep.equal([
    ['user', undefined],
    ['assistant', undefined],
    ['user', undefined],
    ['assistant', undefined],
  ]);
}

const quota = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');
const blocked = () => new DOMException('Access is denied for this document.', 'SecurityError');

interface StorageFault {
  name: string;
  arrange: (key: string) => void;
  /** What storage holds afterwards: the whole transcript, the newest part that fits, or nothing of ours. */
  stored: 'all' | 'newest that fit' | 'nothing';
}

const storageFaults: StorageFault[] = [
  { name: 'storage that throws on read', arrange: (key) => breakStorage('getItem', key, () => { throw blocked(); }), stored: 'nothing' },
  { name: 'storage that throws on write', arrange: (key) => breakStorage('setItem', key, () => { throw blocked(); }), stored: 'nothing' },
  {
    name: 'storage that throws only past its quota (600 characters)',
    arrange: (key) => {
      const original = Storage.prototype.setItem;
      breakStorage('setItem', key, function (this: Storage, k: string, value: string) {
        if (value.length > 600) throw quota();
        return original.call(this, k, value);
      });
    },
    stored: 'newest that fit',
  },
  { name: 'storage whose removeItem throws', arrange: (key) => breakStorage('removeItem', key, () => { throw blocked(); }), stored: 'all' },
];

interface StoredValue {
  name: string;
  value: () => string;
  /** Texts of the messages that are valid and so restored; none unless said. */
  restored?: string[];
}

const now = Date.now();
const message = (extra: Partial<ChatMessage> & Record<string, unknown>) => ({ id: 'u1', role: 'user', text: 'hi', createdAt: now - 1000, ...extra });
const envelope = (messages: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({ v: 1, sessionId: 's-1', messages, ...extra });

const storedValues: StoredValue[] = [
  { name: 'corrupt JSON', value: () => '{"v":1,"sessionId":"s-1","messages":[{"id":' },
  { name: 'not JSON at all', value: () => 'undefined' },
  { name: "another app's value under our key", value: () => JSON.stringify({ user: 'x', cart: [1, 2, 3] }) },
  { name: 'an older schema (no version, a bare array)', value: () => JSON.stringify([{ from: 'user', body: 'hi' }]) },
  { name: 'an older schema (v: 0)', value: () => JSON.stringify({ v: 0, session: 's-1', history: [] }) },
  { name: 'a newer schema (v: 2)', value: () => JSON.stringify({ v: 2, sessionId: 's-1', messages: [], extra: true }) },
  { name: 'a huge value (5 MB string)', value: () => `"${'x'.repeat(5 * 1024 * 1024)}"` },
  { name: 'a message id that would break a selector', value: () => envelope([message({ id: 'a"] , *[x="' })]) },
  { name: 'a message id of markup', value: () => envelope([message({ id: '<img src=x onerror=window.__pwn=1>' })]) },
  { name: 'a session id that is not a token', value: () => JSON.stringify({ v: 1, sessionId: '../../admin', messages: [] }) },
  { name: 'a non-finite or absurd timestamp', value: () => envelope([message({ createdAt: 1e300 })]) },
  {
    name: 'a failure whose code is a name every object has ("constructor")',
    value: () => envelope([message({ status: 'failed', error: { code: 'constructor', status: 0, message: 'x', retryable: true } })]),
  },
  {
    name: 'a retry wait of centuries (a live one is at most a day)',
    value: () => envelope([message({ status: 'failed', error: { code: 'rate_limited', status: 429, message: 'x', retryable: true }, retryAt: 8.64e15 })]),
  },
  {
    name: 'a prototype-polluting message (restored, without the pollution)',
    value: () => `{"v":1,"sessionId":"s-1","messages":[{"id":"u1","role":"user","text":"hi","createdAt":1,"__proto__":{"polluted":true},"metadata":{"__proto__":{"polluted":true}}}]}`,
    restored: ['hi'],
  },
];

/** A conversation of `count` messages as SessionStore saves it. */
const conversation = (count: number, sessionId = 'session-1'): Conversation => ({
  sessionId,
  messages: Array.from({ length: count }, (_, i) => message({ id: `m${i}`, createdAt: i }) as ChatMessage),
});

/** A tab: the widget page in a same-origin iframe with this storage key and proxy. */
function openTab(storageKey: string, proxyUrl: string): Promise<Page> {
  return openPage(`/test/pages/widget.html?key=${encodeURIComponent(storageKey)}&proxy=${encodeURIComponent(proxyUrl)}`);
}

function transcript(el: ThinnestChat): string[] {
  return el.messages.map((m) => `${m.role}:${m.text}${m.status ? ` (${m.status})` : ''}`);
}

/** Both tabs show the same conversation, and it is the stored one. */
async function expectConverged(a: Page, b: Page, key: string): Promise<void> {
  const storedTranscript = () => {
    const raw = JSON.parse(localStorage.getItem(key) ?? 'null');
    return raw ? { sessionId: raw.sessionId, ids: raw.messages.map((m: ChatMessage) => m.id) } : null;
  };
  await until(
    () =>
      JSON.stringify(transcript(a.el)) === JSON.stringify(transcript(b.el)) &&
      a.el.sessionId === b.el.sessionId &&
      JSON.stringify(storedTranscript()) === JSON.stringify({ sessionId: a.el.sessionId, ids: a.el.messages.map((m) => m.id) }),
    'the tabs converge on the stored transcript',
    8000,
  ).catch(() => {
    expect({ a: transcript(a.el), b: transcript(b.el), aSession: a.el.sessionId, bSession: b.el.sessionId }).to.deep.equal({});
  });
  expect(a.win.__errors).to.deep.equal([]);
  expect(b.win.__errors).to.deep.equal([]);
}

/** The proxy got exactly `sent`, and `el` shows one visitor message and its reply, both delivered. */
async function expectOneExchange(el: ThinnestChat, id: string, sent: string[]): Promise<void> {
  expect((await requestsFor(id)).map((r) => JSON.parse(r.body).message)).to.deep.equal(sent);
  expect(el.messages.map((m) => [m.role, m.status])).to.deep.equal([
    ['user', undefined],
    ['assistant', undefined],
  ]);
}

describe('the session id', () => {
  it('is made by crypto.randomUUID() on the first send (SPEC §4), and sent with every message', async () => {
    const real = Object.getOwnPropertyDescriptor(Crypto.prototype, 'randomUUID')!;
    const made: string[] = [];
    Object.defineProperty(Crypto.prototype, 'randomUUID', {
      configurable: true,
      writable: true,
      value(this: Crypto) {
        made.push(real.value.call(this));
        return made.at(-1);
      },
    });
    try {
      const { el, id } = await widget('ok');
      await el.send('Hello');
      await el.send('Again');
      expect(made).to.include(el.sessionId);
      expect(await sessionIdsSent(id)).to.deep.equal([el.sessionId, el.sessionId]);
    } finally {
      Object.defineProperty(Crypto.prototype, 'randomUUID', real);
    }
  });
});

describe('persist changed on the page (a consent banner)', () => {
  it('none, then local once the visitor consents: the conversation stays on screen and is kept from then on; a reply on its way lands', async () => {
    const { el, id, key, attrs } = await widget('ok,slow300', { persist: 'none' });
    await el.send('Before consent');
    const sessionId = el.sessionId;
    const sending = el.send('Still waiting');
    await until(() => el.messages.at(-1)?.status === 'pending', 'a reply on its way');
    el.persist = 'local';
    await el.updateComplete;
    expect(bubbles(el).slice(0, 2)).to.deep.equal(['Before consent', 'Reply 1 to: Before consent']);
    await sending;
    expect(bubbles(el)).to.deep.equal(['Before consent', 'Reply 1 to: Before consent', 'Still waiting', 'Slow reply to: Still waiting']);
    expect(el.sessionId).to.equal(sessionId);
    expect(stored(key).messages.map((m) => m.text)).to.deep.equal(bubbles(el));
    expect((await sessionIdsSent(id)).every((sent) => sent === sessionId), 'one session throughout').to.equal(true);

    el.remove();
    const again = await mount({ ...attrs, persist: 'local' });
    expect(bubbles(again), 'a reload restores it').to.deep.equal(bubbles(el));
  });

  it('local, then none when consent is withdrawn: the conversation stays on screen, and storage keeps none of it', async () => {
    const { el, key } = await widget('ok');
    await el.send('Hello');
    expect(stored(key).messages).to.have.length(2);
    el.persist = 'none';
    await el.updateComplete;
    expect(bubbles(el)).to.deep.equal(['Hello', 'Reply 1 to: Hello']);
    expect(localStorage.getItem(key)).to.equal(null);
    await el.send('Again');
    expect(bubbles(el)).to.have.length(4);
    expect(localStorage.getItem(key)).to.equal(null);
  });
});

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
    const draftKey = draftKeyOf(key);
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
    createdKeys.push(draftKeyOf(a.key), draftKeyOf(b.key));
    await type(a.el, 'For A');
    await type(b.el, 'For B');
    a.el.remove();
    b.el.remove();
    expect(input(await mount(a.attrs)).value).to.equal('For A');
    expect(input(await mount(b.attrs)).value, 'persist="none" keeps nothing').to.equal('');
    expect(localStorage.getItem(draftKeyOf(b.key))).to.equal(null);
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
  it('appears whole, its welcome message with it: never the welcome alone while the messages are drawn', async () => {
    const { key, attrs } = prepare('ok', { 'welcome-message': 'Welcome **back**' });
    localStorage.setItem(key, JSON.stringify({ v: 1, sessionId: 'seeded-session', messages: seededMessages(200, (i) => `Seeded **${i}**\n\n- a\n- b`) }));
    const el = document.createElement('thinnest-chat');
    for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
    fixtureSync<HTMLDivElement>(html`<div></div>`).append(el);
    // How many messages were on screen each time the welcome message was.
    const shownWithWelcome: number[] = [];
    const observer = new MutationObserver(() => {
      if ($(el, '[part~="assistant-message"]:not([data-id])')) shownWithWelcome.push($$(el, '[part~="message"][data-id]').length);
    });
    observer.observe(el.shadowRoot!, { childList: true, subtree: true });
    await el.updateComplete;
    await until(() => $$(el, '[part~="message"][data-id]').length === 200, 'the 200 messages drawn');
    observer.disconnect();
    expect($(el, '[part~="assistant-message"]:not([data-id]) strong')?.textContent, 'the welcome message, as markdown').to.equal('back');
    expect(shownWithWelcome.length, 'the welcome message was shown').to.be.greaterThan(0);
    expect(Math.min(...shownWithWelcome), 'messages on screen whenever the welcome message was').to.equal(200);
  });

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

describe('separate widgets never share a session', () => {
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

  it('two widgets on one page with the same proxy (a site-wide bubble beside an inline one) share one conversation and lose none of it', async () => {
    const id = uniqueId('same-proxy');
    const url = fakeUrl(id, 'echo');
    const key = `thinnest-chat:${new URL(url, location.href).href}`;
    createdKeys.push(key);
    const inline = await mount({ 'proxy-url': url });
    const bubble = await mount({ 'proxy-url': url, mode: 'bubble' });
    bubble.show();
    // A page gets no storage event for its own writes: each send first reads what the other widget stored.
    await inline.send('one');
    await bubble.send('two');
    await inline.send('three');
    const all = ['one', 'one', 'two', 'two', 'three', 'three'];
    expect(bubbles(inline)).to.deep.equal(all);
    expect(stored(key).messages.map((m) => m.text)).to.deep.equal(all);
    expect(new Set(await sessionIdsSent(id)).size, 'one session').to.equal(1);
    inline.remove();
    expect(bubbles(await mount({ 'proxy-url': url })), 'a reload shows every message').to.deep.equal(all);
  });

  it('two widgets on one page with the same key show each other\'s messages and replies at once, not at their next send', async () => {
    const id = uniqueId('same-proxy-live');
    const url = fakeUrl(id, 'echo');
    createdKeys.push(`thinnest-chat:${new URL(url, location.href).href}`);
    const inline = await mount({ 'proxy-url': url });
    const bubble = await mount({ 'proxy-url': url, mode: 'bubble' });
    bubble.show();
    await bubble.updateComplete;
    await inline.send('asked inline');
    await until(() => bubbles(bubble).length === 2, 'the bubble shows the message and its reply');
    expect(bubbles(bubble)).to.deep.equal(['asked inline', 'asked inline']);
    expect(bubble.sessionId).to.equal(inline.sessionId);
    await bubble.send('asked in the bubble');
    await until(() => bubbles(inline).length === 4, 'the inline widget shows the bubble\'s');
    expect(bubbles(inline)).to.deep.equal(['asked inline', 'asked inline', 'asked in the bubble', 'asked in the bubble']);
    expect(new Set(await sessionIdsSent(id)).size, 'one session').to.equal(1);
  });

  it('storage-key changed on a live widget (a page that keys the chat by the signed-in user) switches conversations and fires thinnest-chat-session each way', async () => {
    const { attrs } = prepare('ok');
    const el = await mount(attrs);
    await el.send('as the first user');
    const first = el.sessionId;
    const sessions: Array<{ sessionId: string | null; previous: string | null }> = [];
    el.addEventListener('thinnest-chat-session', (event) => sessions.push(event.detail));
    const other = newKey('persist');
    el.storageKey = other.storageKey;
    await el.updateComplete;
    expect(el.messages).to.have.length(0);
    expect(sessions).to.deep.equal([{ sessionId: null, previous: first }]);
    el.storageKey = attrs['storage-key'];
    await el.updateComplete;
    expect(bubbles(el)).to.deep.equal(['as the first user', 'Reply 1 to: as the first user']);
    expect(sessions.at(-1)).to.deep.equal({ sessionId: first, previous: null });
    expect(sessions).to.have.length(2);
  });

  // The storage key of a relative proxy-url: the page's address is part of it (the rest of
  // storageKeyFor runs in Node, test/unit/configuration.test.ts).
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

  // SessionStore itself over the browser's storage (over a storage that throws: test/unit/session-store.test.ts).
  it('persist="none" keeps the conversation in memory only, for the page', () => {
    const key = `thinnest-chat:store-${uniqueId()}`;
    const store = new SessionStore(key, 'none');
    store.save(conversation(2));
    expect(memory.has(memoryKey('none', key))).to.equal(true);
    expect(localStorage.getItem(key)).to.equal(null);
    expect(sessionStorage.getItem(key)).to.equal(null);
    expect(new SessionStore(key, 'none').load()).to.deep.equal(conversation(2));
  });

  it('uses localStorage for "local" and sessionStorage for "session" by default', () => {
    const key = `thinnest-chat:store-${uniqueId()}`;
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

describe('bad stored values: start fresh (or keep what is valid), never throw, keep chatting', function () {
  this.timeout(20000);

  for (const row of storedValues) {
    it(row.name, async () => {
      const errors = watchPage();
      const { storageKey, key, id } = newKey('value');
      const value = row.value();
      // The huge value is handed out by storage until the widget writes its own (a real 5 MB write would eat the
      // origin's quota); then storage gives back what was written, as a real one does.
      const realGetItem = Storage.prototype.getItem;
      if (value.length > 1_000_000) breakStorage('getItem', key, function (this: Storage, name) { return realGetItem.call(this, name) ?? value; });
      else localStorage.setItem(key, value);
      const el = await mount({ 'storage-key': storageKey, 'proxy-url': fakeUrl(id, 'ok') });
      expect(el.messages.map((m) => m.text), 'only what is valid is restored').to.deep.equal(row.restored ?? []);
      for (const m of el.messages) expect((m as unknown as Record<string, unknown>).polluted).to.equal(undefined);
      expect(el.sessionId === null || /^[\w.:-]{1,128}$/.test(el.sessionId)).to.equal(true);
      expect(({} as Record<string, unknown>).polluted, 'Object.prototype untouched').to.equal(undefined);
      await chatTwice(el);
      await sleep(50);
      expect((window as { __pwn?: unknown }).__pwn).to.equal(undefined);
      expect(errors).to.deep.equal([]);
      for (const request of await requestsFor(id)) expect(JSON.parse(request.body).session_id).to.match(/^[\w.:-]{1,128}$/);
    });
  }

  it('a stored reply of 300 KB inside a valid envelope renders shortened and is kept whole', async () => {
    const { storageKey, key, id } = newKey('value');
    const text = `# big\n\n${'word '.repeat(60_000)}`;
    localStorage.setItem(key, envelope([message({}), { id: 'a1', role: 'assistant', text, createdAt: now - 500 }]));
    const el = await mount({ 'storage-key': storageKey, 'proxy-url': fakeUrl(id, 'ok') });
    expect(el.messages.map((m) => m.text.length)).to.deep.equal([2, text.length]);
    expect(el.shadowRoot!.querySelector('.md-shortened')).to.exist;
    await chatTwice(el);
  });
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

describe('broken storage: nothing throws, the chat works, nothing delivered is lost', function () {
  this.timeout(20000);

  for (const fault of storageFaults) {
    it(fault.name, async () => {
      const errors = watchPage();
      const { storageKey, key, id } = newKey('store');
      fault.arrange(key);
      const el = await mount({ 'storage-key': storageKey, 'proxy-url': fakeUrl(id, 'ok') });
      await chatTwice(el);
      el.newSession();
      await el.send('in a new session');
      await el.updateComplete;
      expect(el.messages.map((m) => m.text)).to.deep.equal(['in a new session', 'Reply 3 to: in a new session']);

      // Another widget on this page with the same key (a framework re-mounting it) gets the conversation back.
      const again = await mount({ 'storage-key': storageKey, 'proxy-url': fakeUrl(id, 'ok') });
      expect(again.sessionId).to.equal(el.sessionId);
      expect(again.messages.map((m) => m.text)).to.deep.equal(el.messages.map((m) => m.text));
      for (const restore of restores.splice(1).reverse()) restore(); // storage works again, to read it
      const raw = localStorage.getItem(key);
      if (fault.stored === 'nothing') expect(raw).to.equal(null);
      else {
        const stored = JSON.parse(raw!);
        expect(stored.sessionId).to.equal(el.sessionId);
        if (fault.stored === 'all') expect(stored.messages.map((m: ChatMessage) => m.text)).to.deep.equal(el.messages.map((m) => m.text));
        else expect(el.messages.map((m) => m.text)).to.include.members(stored.messages.map((m: ChatMessage) => m.text));
      }
      expect(errors).to.deep.equal([]);
    });
  }
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

  it('the header button starts a new conversation too, and puts focus in the input', async () => {
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
    expect(el.shadowRoot!.activeElement, 'focus in the input').to.equal(input(el));
  });

  it('called by the page, leaves focus where the visitor has it (a reset on logout does not pull them into the chat)', async () => {
    for (const mode of ['inline', 'bubble']) {
      const { el } = await widget('ok', { mode });
      if (mode === 'bubble') el.show();
      await el.send('Hello');
      const elsewhere = document.createElement('button');
      elsewhere.textContent = 'Log out';
      document.body.append(elsewhere);
      try {
        elsewhere.focus();
        el.newSession();
        await el.updateComplete;
        await sleep(50);
        expect(el.messages, mode).to.have.length(0);
        expect(document.activeElement, `${mode}: focus stays on the page's button`).to.equal(elsewhere);
      } finally {
        elsewhere.remove();
      }
    }
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
    const failures = recordErrors(document);
    const el = await mount(attrs);
    // Failed once its Web Lock is found free (no tab is waiting on it): a moment after the first render.
    await until(() => el.messages.at(-1)?.status === 'failed', 'marked undelivered');
    await el.updateComplete;
    failures.stop();
    // Not a send of this page's: every tab open finds it so, and would report it once each.
    expect(failures, 'no thinnest-chat-error').to.deep.equal([]);

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

  describe('SessionStore.subscribe, the storage event underneath', () => {
    let key: string;
    beforeEach(() => {
      key = `thinnest-chat:store-${uniqueId()}`;
    });
    afterEach(() => localStorage.removeItem(key));

    const fire = (init: StorageEventInit) => window.dispatchEvent(new StorageEvent('storage', init));

    it("calls back with the other tab's conversation, and stops after unsubscribing", () => {
      const store = new SessionStore(key, 'local', localStorage);
      const seen: Conversation[] = [];
      const unsubscribe = store.subscribe((c) => seen.push(c));
      fire({ key, newValue: envelope([message({})]), storageArea: localStorage });
      expect(seen).to.deep.equal([{ sessionId: 's-1', messages: [message({})] }]);
      unsubscribe();
      fire({ key, newValue: envelope([message({})]), storageArea: localStorage });
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
      fire({ key: `${key}-other`, newValue: envelope([message({})]), storageArea: localStorage });
      fire({ key, newValue: envelope([message({})]), storageArea: sessionStorage });
      unsubscribe();
      expect(seen).to.have.length(0);
    });

    it('a memory-only store does not listen', () => {
      const store = new SessionStore(key, 'none');
      const seen: Conversation[] = [];
      const unsubscribe = store.subscribe((c) => seen.push(c));
      fire({ key, newValue: envelope([message({})]), storageArea: localStorage });
      unsubscribe();
      expect(seen).to.have.length(0);
    });
  });
});

describe('many tabs: two tabs on one conversation converge', function () {
  this.timeout(30000);

  it('two tabs chatting at the same time in one session: both see every message and reply, once', async () => {
    const { storageKey, key, id } = newKey('tabs');
    localStorage.setItem(key, envelope([message({ text: 'from before' }), { id: 'a0', role: 'assistant', text: 'earlier reply', createdAt: now - 900 }]));
    const proxy = fakeUrl(id, 'slow300');
    const [a, b] = await Promise.all([openTab(storageKey, proxy), openTab(storageKey, proxy)]);
    await Promise.all([a.el.send('from tab A'), b.el.send('from tab B')]);
    await Promise.all([a.el.send('A again'), b.el.send('B again')]);
    await expectConverged(a, b, key);
    const texts = a.el.messages.map((m) => m.text);
    expect(texts.slice(0, 2)).to.deep.equal(['from before', 'earlier reply']);
    for (const text of ['from tab A', 'from tab B', 'A again', 'B again']) {
      expect(texts.filter((t) => t === text), text).to.have.length(1);
      expect(texts.filter((t) => t === `Slow reply to: ${text}`), `reply to ${text}`).to.have.length(1);
    }
    expect(a.el.messages.every((m) => m.status === undefined)).to.equal(true);
    const sent = (await requestsFor(id)).map((r) => JSON.parse(r.body));
    expect(sent).to.have.length(4);
    expect(new Set(sent.map((body) => body.session_id))).to.deep.equal(new Set(['s-1']));
  });

  it('two fresh tabs whose first messages cross: they settle on one session, and no delivered reply is lost', async () => {
    const { storageKey, key, id } = newKey('tabs');
    const proxy = fakeUrl(id, 'slow300');
    const [a, b] = await Promise.all([openTab(storageKey, proxy), openTab(storageKey, proxy)]);
    await Promise.all([a.el.send('first from A'), b.el.send('first from B')]);
    await expectConverged(a, b, key);
    // Each visitor message is either delivered with its reply, or kept as not delivered with a retry.
    for (const text of ['first from A', 'first from B']) {
      const mine = a.el.messages.filter((m) => m.text === text);
      expect(mine, text).to.have.length(1);
      const reply = a.el.messages.some((m) => m.text === `Slow reply to: ${text}`);
      expect(reply || (mine[0].status === 'failed' && mine[0].error?.retryable === true), `${text}: delivered or retryable`).to.equal(true);
    }
    // The conversation goes on in both.
    await a.el.send('after the race');
    await expectConverged(a, b, key);
    expect(b.el.messages.at(-1)!.text).to.equal('Slow reply to: after the race');
  });

  /** Tabs A and B with `a` and `b` typed, each sent with Enter in one task: B reads A's new session before any storage event. */
  async function enterInBoth(a: Page, b: Page): Promise<void> {
    await type(a.el, 'typed in A');
    await type(b.el, 'typed in B');
    const enter = () => new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true, cancelable: true });
    input(a.el).dispatchEvent(enter());
    input(b.el).dispatchEvent(enter());
  }

  it('a first message typed in a tab just after another tab started a session: it joins that session, its draft then cleared', async () => {
    const { storageKey, key, id } = newKey('tabs');
    const proxy = fakeUrl(id, 'ok');
    const [a, b] = await Promise.all([openTab(storageKey, proxy), openTab(storageKey, proxy)]);
    await enterInBoth(a, b);
    await until(() => b.el.messages.filter((m) => m.role === 'assistant').length === 2, 'both replies in B');
    await expectConverged(a, b, key);
    expect(new Set(await sessionIdsSent(id))).to.deep.equal(new Set([a.el.sessionId]));
    expect(input(b.el).value, "B's draft, sent").to.equal('');
  });

  it('a first message typed in a tab just after another tab started a session, its send cancelled: the draft stays', async () => {
    const { storageKey, key, id } = newKey('tabs');
    const proxy = fakeUrl(id, 'ok');
    const [a, b] = await Promise.all([openTab(storageKey, proxy), openTab(storageKey, proxy)]);
    b.el.addEventListener('thinnest-chat-send', (event) => event.preventDefault());
    await enterInBoth(a, b);
    await until(() => b.el.sessionId !== null && b.el.sessionId === a.el.sessionId, "B joins A's session");
    await expectConverged(a, b, key);
    await b.el.updateComplete;
    // A's request is stored as pending before it reaches the fake: wait for it to arrive (once seen on a loaded WebKit).
    await waitForRequests(id, 1);
    expect((await requestsFor(id)).map((r) => JSON.parse(r.body).message)).to.deep.equal(['typed in A']);
    expect(input(b.el).value, "B's draft, kept").to.equal('typed in B');
  });

  for (const later of [true, false]) {
    it(`first messages that cross between processes: ${later ? "the other tab's later session wins, ours is kept to retry there" : 'our later session wins and is written back for the other tab'}`, async () => {
      const errors = watchPage();
      const { storageKey, key, id } = newKey('race');
      const el = await mount({ 'storage-key': storageKey, 'proxy-url': fakeUrl(id, 'slow800,ok') });
      const failures = recordErrors(el);
      const sending = el.send('first from here');
      await until(() => el.messages.at(-1)?.status === 'pending', 'pending');
      // The request is on its way (the fake has it) when the other tab's session arrives.
      await waitForRequests(id, 1, 4000);
      const ours = JSON.parse(localStorage.getItem(key)!);
      expect(ours.startedAt, 'the session start is stored').to.be.a('number');
      const theirs = { v: 1, sessionId: 'other-tab', startedAt: ours.startedAt + (later ? 1 : -1), messages: [{ id: 'b1', role: 'user', text: 'first from there', createdAt: ours.startedAt + 5, status: 'pending' }] };
      fromOtherTab(key, JSON.stringify(theirs));
      await sending;
      await el.updateComplete;
      const stored = JSON.parse(localStorage.getItem(key)!);
      if (later) {
        expect(el.sessionId).to.equal('other-tab');
        expect(el.messages.map((m) => [m.text, m.status, m.error?.code])).to.deep.equal([
          ['first from here', 'failed', 'interrupted'],
          ['first from there', 'pending', undefined],
        ]);
        expect(stored.sessionId).to.equal('other-tab');
        expect(stored.messages.map((m: ChatMessage) => m.text)).to.deep.equal(['first from here', 'first from there']);
        expect(failures, 'the page hears its send failed').to.deep.equal([{ code: 'interrupted', status: 0, message: englishStrings.errorInterrupted, retryable: true }]);
        // Retried in the session that won, once.
        el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="retry-button"]')!.click();
        await until(() => el.messages.some((m) => m.role === 'assistant'), 'the retry answered');
        expect((await requestsFor(id)).map((r) => JSON.parse(r.body))).to.deep.equal([
          { message: 'first from here', session_id: ours.sessionId },
          { message: 'first from here', session_id: 'other-tab' },
        ]);
      } else {
        expect(el.sessionId).to.equal(ours.sessionId);
        expect(el.messages.map((m) => m.text)).to.deep.equal(['first from here', 'Slow reply to: first from here']);
        expect(stored.sessionId, 'ours written back for the other tab to follow').to.equal(ours.sessionId);
        expect(failures).to.deep.equal([]);
      }
      expect(errors).to.deep.equal([]);
    });
  }

  /** Tab A sends and waits on a slow reply (`steps`); tab B opens meanwhile. */
  async function openWhileWaiting(steps: string): Promise<{ a: Page; b: Page; key: string; id: string }> {
    const { storageKey, key, id } = newKey('tabs');
    const proxy = fakeUrl(id, steps);
    const a = await openTab(storageKey, proxy);
    void a.el.send('asked in A');
    await until(() => (JSON.parse(localStorage.getItem(key) ?? 'null')?.messages.length ?? 0) === 1, 'stored pending');
    return { a, b: await openTab(storageKey, proxy), key, id };
  }

  it('a tab opened while another waits for a reply: no storage ping-pong, and the reply reaches both', async () => {
    const { a, b, key } = await openWhileWaiting('slow1500,ok');
    let writes = 0;
    for (const win of [a.win, b.win] as unknown as Array<Window & typeof globalThis>) {
      const original = win.Storage.prototype.setItem;
      win.Storage.prototype.setItem = function (this: Storage, ...args: [string, string]) {
        writes++;
        return original.apply(this, args);
      };
    }
    // A holds the message's Web Lock while it waits: B shows the message as sending, with no retry to duplicate it.
    await sleep(200);
    expect(b.el.messages[0].status).to.equal('pending');
    expect(b.el.shadowRoot!.querySelector('[part~="retry-button"]')).to.equal(null);
    expect(b.el.shadowRoot!.querySelector('[part~="user-message"]')!.textContent).to.include('Sending');
    await b.el.send('asked in B');
    await until(() => a.el.messages.filter((m) => m.role === 'assistant').length === 2, 'both replies in A', 8000);
    await expectConverged(a, b, key);
    expect(writes, 'storage writes while both tabs chatted').to.be.below(20);
    expect(a.el.messages.map((m) => m.status)).to.deep.equal([undefined, undefined, undefined, undefined]);
  });

  it('a tab opened while another waits, which then goes away: the message is marked undelivered, and its retry sends it once', async () => {
    const { a, b, id } = await openWhileWaiting('slow3000,ok');
    await sleep(200);
    expect(b.el.messages[0].status).to.equal('pending');
    a.frame.remove(); // A is closed mid-request: its lock goes with it
    await until(() => b.el.messages[0].status === 'failed', 'B says the message may not have arrived');
    expect(b.el.messages[0].error?.code).to.equal('interrupted');
    await b.el.updateComplete;
    b.el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="retry-button"]')!.click();
    await until(() => b.el.messages.some((m) => m.role === 'assistant'), 'the retry answered', 8000);
    await expectOneExchange(b.el, id, ['asked in A', 'asked in A']); // A's own request (never answered to anyone) and B's one retry
  });

  it('the message is locked before it is stored as sending: a tab reading it at that instant finds it held, not failed', async () => {
    const { storageKey, key, id } = newKey('tabs');
    const a = await openTab(storageKey, fakeUrl(id, 'slow300'));
    const win = a.win as unknown as Window & typeof globalThis;
    // What the lock manager holds at the moment the pending message reaches storage (asked on A's own
    // lock manager, so it is answered after any request A made before the write).
    let atWrite: Promise<LockManagerSnapshot> | undefined;
    const setItem = win.Storage.prototype.setItem;
    win.Storage.prototype.setItem = function (this: Storage, name: string, value: string) {
      if (!atWrite && name === key && value.includes('"pending"')) atWrite = win.navigator.locks.query();
      return setItem.call(this, name, value);
    };
    await a.el.send('asked in A');
    const snapshot = await atWrite!;
    const names = [...(snapshot.held ?? []), ...(snapshot.pending ?? [])].map((lock) => lock.name);
    expect(names).to.include(`thinnest-chat ${a.el.messages[0].id}`);
  });

  it('a tab retrying a failed message: the other tab shows it as sending again, with no retry of its own to duplicate it', async () => {
    const { storageKey, key, id } = newKey('tabs');
    const proxy = fakeUrl(id, 's500,slow1500');
    const [a, b] = await Promise.all([openTab(storageKey, proxy), openTab(storageKey, proxy)]);
    await a.el.send('hi');
    await until(() => b.el.messages[0]?.status === 'failed', 'B shows the failure');
    a.el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="retry-button"]')!.click();
    await until(() => b.el.messages[0]?.status === 'pending', 'B follows the retry');
    await b.el.updateComplete;
    expect(b.el.shadowRoot!.querySelector('[part~="retry-button"]')).to.equal(null);
    await until(() => b.el.messages.some((m) => m.role === 'assistant'), 'the reply reaches B', 8000);
    await expectConverged(a, b, key);
    await expectOneExchange(a.el, id, ['hi', 'hi']);
  });

  it('back online, with the message that failed offline in both tabs: it is resent once, by one tab', async () => {
    const { storageKey, key, id } = newKey('tabs');
    const proxy = fakeUrl(id, 'slow500');
    const [a, b] = await Promise.all([openTab(storageKey, proxy), openTab(storageKey, proxy)]);
    const wins = [a.win, b.win] as unknown as Array<Window & typeof globalThis>;
    const online = wins.map((win) => goOffline(win));
    await a.el.send('sent offline');
    await until(() => b.el.messages[0]?.error?.code === 'offline', 'B shows the offline failure');
    for (const back of online) back();
    for (const win of wins) win.dispatchEvent(new Event('online'));
    await until(() => a.el.messages.some((m) => m.role === 'assistant') && b.el.messages.some((m) => m.role === 'assistant'), 'the reply in both', 8000);
    await expectConverged(a, b, key);
    await sleep(700); // a second resend, had there been one, would have arrived by now
    await expectOneExchange(a.el, id, ['sent offline']);
  });

  it("another tab's messages leave this tab's earlier replies alone: not made again, not spoken again, focus kept", async () => {
    const { storageKey, key, id } = newKey('tabs');
    const proxy = fakeUrl(id, 'md,ok,ok');
    const [a, b] = await Promise.all([openTab(storageKey, proxy), openTab(storageKey, proxy)]);
    await a.el.send('plans?');
    await a.el.send('two');
    await until(() => b.el.messages.length === 4, 'B follows');
    await b.el.updateComplete;
    const replies = Array.from(b.el.shadowRoot!.querySelectorAll('[part~="assistant-message"] .markdown'));
    const link = b.el.shadowRoot!.querySelector<HTMLAnchorElement>('[part~="assistant-message"] a')!;
    link.focus();
    const added = listen(b.el.shadowRoot!.querySelector('[part~="transcript"]')!);
    await a.el.send('three');
    await until(() => b.el.messages.length === 6, 'B follows the third exchange');
    await b.el.updateComplete;
    added.stop();
    expect(replies.every((node) => node.isConnected), 'the earlier replies are the same nodes').to.equal(true);
    expect(b.el.shadowRoot!.activeElement, 'focus stays on the link in an earlier reply').to.equal(link);
    expect(added.spoken.filter((text) => /Plans|Reply 2 to: two|You:\s*two/.test(text)), 'earlier messages added to the log again').to.deep.equal([]);
    expect(added.spoken.some((text) => text.includes('Reply 3 to: three'))).to.equal(true);
    await expectConverged(a, b, key);
  });

  it('back online: resending the message that failed offline leaves the earlier replies alone', async () => {
    const { storageKey, id } = newKey('tabs');
    const a = await openTab(storageKey, fakeUrl(id, 'md,ok'));
    await a.el.send('plans?');
    await a.el.updateComplete;
    const reply = a.el.shadowRoot!.querySelector('[part~="assistant-message"] .markdown')!;
    const win = a.win as unknown as Window & typeof globalThis;
    const online = goOffline(win);
    await a.el.send('sent offline');
    online();
    const added = listen(a.el.shadowRoot!.querySelector('[part~="transcript"]')!);
    win.dispatchEvent(new Event('online'));
    await until(() => a.el.messages.length === 4, 'resent and answered');
    await a.el.updateComplete;
    added.stop();
    expect(reply.isConnected, 'the earlier reply is the same node').to.equal(true);
    expect(added.spoken.filter((text) => text.includes('Plans')), 'the earlier reply added to the log again').to.deep.equal([]);
  });

  it('newSession() in one tab while the other is mid-request: both follow the new session, the old reply never lands in it', async () => {
    const { storageKey, key, id } = newKey('tabs');
    localStorage.setItem(key, envelope([message({ text: 'from before' })]));
    const [a, b] = await Promise.all([openTab(storageKey, fakeUrl(id, 'slow1500,ok')), openTab(storageKey, fakeUrl(id, 'slow1500,ok'))]);
    void b.el.send('B is waiting');
    await until(() => a.el.messages.some((m) => m.text === 'B is waiting'), 'tab A sees B pending');
    // B's request has reached the proxy: it really is mid-request.
    await waitForRequests(id, 1, 4000);
    expect(await requestsFor(id)).to.have.length(1);
    a.el.newSession();
    const fresh = a.el.sessionId;
    expect(fresh).to.not.equal('s-1');
    await until(() => b.el.sessionId === fresh, 'tab B follows the new session');
    await sleep(1800); // the old request would have been answered by now
    await expectConverged(a, b, key);
    expect(a.el.messages).to.deep.equal([]);
    await b.el.send('in the new session');
    await expectConverged(a, b, key);
    expect(a.el.messages.map((m) => m.text)).to.deep.equal(['in the new session', 'Reply 2 to: in the new session']);
    const sent = (await requestsFor(id)).map((r) => JSON.parse(r.body));
    expect(sent.at(-1)).to.deep.equal({ message: 'in the new session', session_id: fresh });
  });

  it('a tab that clears storage (the site logs the visitor out) empties the other tab, which keeps working', async () => {
    const { storageKey, key, id } = newKey('tabs');
    localStorage.setItem(key, envelope([message({ text: 'from before' })]));
    const [a, b] = await Promise.all([openTab(storageKey, fakeUrl(id, 'ok')), openTab(storageKey, fakeUrl(id, 'ok'))]);
    expect(b.el.messages).to.have.length(1);
    a.win.localStorage.removeItem(key);
    await until(() => b.el.messages.length === 0, 'tab B emptied');
    await b.el.send('hello again');
    await until(() => a.el.messages.length === 2, 'tab A follows');
    await expectConverged(a, b, key);
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

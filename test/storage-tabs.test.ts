// Issue 5, broken storage and many tabs. Storage that throws on read, on write or only on quota;
// stored values that are corrupt, foreign, of another schema or huge; two tabs (same-origin
// iframes with the same storage-key, real localStorage, real storage events) chatting at the same
// time; newSession() in one tab while the other is mid-request. Each case: nothing throws to the
// page, the chat keeps working, nothing delivered is lost, and tabs converge on one transcript.
import { expect, fixtureSync, html } from '@open-wc/testing';
import type { ChatMessage, ThinnestChat } from '../src/index.js';
import { fakeUrl, requestsFor, sleep, uniqueId, until } from './helpers/chat.js';
import { closePages, openPage, type Page } from './helpers/pages.js';
import { listen } from './helpers/a11y.js';

let restores: Array<() => void> = [];
let keys: string[] = [];

afterEach(() => {
  for (const restore of restores.reverse()) restore();
  restores = [];
  for (const key of keys) localStorage.removeItem(key);
  keys = [];
  closePages();
});

/** Replaces a Storage method for one key only (other tests and the runner keep real storage) until the test ends. */
function breakStorage(name: 'getItem' | 'setItem' | 'removeItem', key: string, replacement: (this: Storage, ...args: string[]) => unknown): void {
  const original = Storage.prototype[name] as (...args: string[]) => unknown;
  Storage.prototype[name] = function (this: Storage, ...args: string[]) {
    return args[0] === key ? replacement.apply(this, args) : original.apply(this, args);
  } as never;
  restores.push(() => (Storage.prototype[name] = original as never));
}

/** Uncaught errors and rejections on this page while a test runs. */
function watchPage(): string[] {
  const errors: string[] = [];
  const onError = (event: ErrorEvent) => errors.push(String(event.error ?? event.message));
  const onRejection = (event: PromiseRejectionEvent) => errors.push(`rejection: ${String(event.reason)}`);
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
  restores.push(() => {
    window.removeEventListener('error', onError);
    window.removeEventListener('unhandledrejection', onRejection);
  });
  return errors;
}

function newKey(label: string): { storageKey: string; key: string; id: string } {
  const id = uniqueId(label);
  const storageKey = `tabs-${id}`;
  const key = `thinnest-chat:${storageKey}`;
  keys.push(key);
  return { storageKey, key, id };
}

async function mount(storageKey: string, proxyUrl: string): Promise<ThinnestChat> {
  const container = fixtureSync<HTMLDivElement>(html`<div></div>`);
  const el = document.createElement('thinnest-chat');
  el.setAttribute('storage-key', storageKey);
  el.setAttribute('proxy-url', proxyUrl);
  container.append(el);
  await el.updateComplete;
  return el;
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

describe('broken storage: nothing throws, the chat works, nothing delivered is lost', function () {
  this.timeout(20000);

  for (const fault of storageFaults) {
    it(fault.name, async () => {
      const errors = watchPage();
      const { storageKey, key, id } = newKey('store');
      fault.arrange(key);
      const el = await mount(storageKey, fakeUrl(id, 'ok'));
      await chatTwice(el);
      el.newSession();
      await el.send('in a new session');
      await el.updateComplete;
      expect(el.messages.map((m) => m.text)).to.deep.equal(['in a new session', 'Reply 3 to: in a new session']);

      // Another widget on this page with the same key (a framework re-mounting it) gets the conversation back.
      const again = await mount(storageKey, fakeUrl(id, 'ok'));
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

describe('bad stored values: start fresh (or keep what is valid), never throw, keep chatting', function () {
  this.timeout(20000);

  for (const row of storedValues) {
    it(row.name, async () => {
      const errors = watchPage();
      const { storageKey, key, id } = newKey('value');
      const value = row.value();
      // The huge value is handed out by storage (a real 5 MB write would eat the origin's quota).
      if (value.length > 1_000_000) breakStorage('getItem', key, () => value);
      else localStorage.setItem(key, value);
      const el = await mount(storageKey, fakeUrl(id, 'ok'));
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
    const el = await mount(storageKey, fakeUrl(id, 'ok'));
    expect(el.messages.map((m) => m.text.length)).to.deep.equal([2, text.length]);
    expect(el.shadowRoot!.querySelector('.md-shortened')).to.exist;
    await chatTwice(el);
  });
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

  /** As another tab in another process would: its write arrives later, as a storage event. */
  function fromOtherTab(key: string, value: object): void {
    const newValue = JSON.stringify(value);
    localStorage.setItem(key, newValue);
    window.dispatchEvent(new StorageEvent('storage', { key, newValue, storageArea: localStorage }));
  }

  for (const later of [true, false]) {
    it(`first messages that cross between processes: ${later ? "the other tab's later session wins, ours is kept to retry there" : 'our later session wins and is written back for the other tab'}`, async () => {
      const errors = watchPage();
      const { storageKey, key, id } = newKey('race');
      const el = await mount(storageKey, fakeUrl(id, 'slow800,ok'));
      const sending = el.send('first from here');
      await until(() => el.messages.at(-1)?.status === 'pending', 'pending');
      // The request is on its way (the fake has it) when the other tab's session arrives.
      for (let tries = 0; (await requestsFor(id)).length === 0 && tries < 200; tries++) await sleep(20);
      const ours = JSON.parse(localStorage.getItem(key)!);
      expect(ours.startedAt, 'the session start is stored').to.be.a('number');
      const theirs = { v: 1, sessionId: 'other-tab', startedAt: ours.startedAt + (later ? 1 : -1), messages: [{ id: 'b1', role: 'user', text: 'first from there', createdAt: ours.startedAt + 5, status: 'pending' }] };
      fromOtherTab(key, theirs);
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
    for (const win of wins) Object.defineProperty(win.navigator, 'onLine', { configurable: true, get: () => false });
    await a.el.send('sent offline');
    await until(() => b.el.messages[0]?.error?.code === 'offline', 'B shows the offline failure');
    for (const win of wins) delete (win.navigator as { onLine?: boolean }).onLine;
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
    Object.defineProperty(win.navigator, 'onLine', { configurable: true, get: () => false });
    await a.el.send('sent offline');
    delete (win.navigator as { onLine?: boolean }).onLine;
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
    for (let tries = 0; (await requestsFor(id)).length === 0 && tries < 200; tries++) await sleep(20);
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

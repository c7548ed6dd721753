// SPEC §4 Hostile pages: pages as they are in the wild keep a working widget. Each case is a
// real page (test/pages/hostile.html in a same-origin iframe) whose setup runs before our
// script loads: analytics that wrap fetch and XMLHttpRequest, an old library that adds
// enumerable methods to the built-in prototypes, globals named marked, DOMPurify and Lit that
// are other versions (or not what they seem), and two copies of our script, of two versions.
// In each, the widget chats (a markdown reply with table and code), a hostile reply stays inert,
// and nothing throws to the page.
import { expect } from '@open-wc/testing';
import { fakeUrl, requestsFor, sleep, uniqueId, until } from './helpers/chat.js';
import { askForPlans, closePages, openPage, type Page } from './helpers/pages.js';
import { problems } from './helpers/inert.js';

interface HostileWindow extends Window {
  __analytics?: string[];
  __pwn?: unknown;
}

/** Chats in the page's widget: a markdown reply, then a hostile one; checks what the visitor sees. */
async function chatsInPage(page: Page): Promise<void> {
  const { el } = page;
  const win = page.win as unknown as HostileWindow;
  const welcome = el.shadowRoot!.querySelector('[part~="assistant-message"] .bubble strong');
  expect(welcome?.textContent, 'the welcome message rendered as markdown').to.equal('Hello');

  const id = uniqueId('page');
  await askForPlans(el, fakeUrl(id, 'md,echo'));

  await el.send('<img src=x onerror="window.__pwn=1"> **still markdown**');
  await el.updateComplete;
  await sleep(200);
  const hostile = el.shadowRoot!.querySelectorAll('[part~="assistant-message"][data-id] .bubble')[1];
  expect(hostile.querySelector('strong')?.textContent).to.equal('still markdown');
  expect(problems(hostile)).to.deep.equal([]);
  expect(win.__pwn, 'nothing ran').to.equal(undefined);

  // Exactly the documented body went out, once per message.
  const sent = (await requestsFor(id)).map((r) => JSON.parse(r.body));
  expect(sent.map((body) => Object.keys(body))).to.deep.equal([['message', 'session_id'], ['message', 'session_id']]);
  expect(el.messages.map((m) => m.status)).to.deep.equal([undefined, undefined, undefined, undefined]);
  expect(page.win.__errors, 'errors on the page').to.deep.equal([]);
}

/** Files of the other copy that ran (test/fake-proxy.mjs marks each). */
function otherCopyRan(page: Page): string[] {
  return (page.win as unknown as { __thinnestCopies?: string[] }).__thinnestCopies ?? [];
}

/** The element is defined once, by one copy, and the page's widget is an instance of that definition. */
function expectOneDefinition(page: Page): void {
  expect(page.win.customElements.get('thinnest-chat')).to.equal(page.el.constructor);
  const OtherElement = class extends (page.win as unknown as typeof globalThis).HTMLElement {};
  expect(() => page.win.customElements.define('thinnest-chat', OtherElement), 'already defined').to.throw();
}

describe('hostile pages: the widget keeps working on pages as they are in the wild', function () {
  this.timeout(40000);
  afterEach(closePages);

  for (const build of ['script', 'module']) {
    const file = build === 'script' ? 'dist/thinnest-chat.min.js' : 'the ES module';

    it(`analytics that wrap fetch and XMLHttpRequest (${file}): the chat works and the wrapper sees it`, async () => {
      const page = await openPage(`/test/pages/hostile.html?setup=analytics&build=${build}`);
      const win = page.win as unknown as HostileWindow;
      expect(win.__analytics, 'the analytics wrapper is installed').to.be.an('array');
      await chatsInPage(page);
      const posts = win.__analytics!.filter((entry) => entry.startsWith('fetch POST /fake/'));
      expect(posts, 'the wrapper saw both sends').to.have.length(2);
      await until(() => win.__analytics!.filter((entry) => entry.startsWith('read 200')).length >= 2, 'the wrapper read its clones');
    });

    it(`an old library's enumerable methods on Array, Object, String and Function prototypes (${file})`, async () => {
      const page = await openPage(`/test/pages/hostile.html?setup=prototypes&build=${build}`);
      const win = page.win as unknown as Window & typeof globalThis;
      const probe: string[] = [];
      // The page really is polluted: for…in over a plain object and an array sees the methods.
      for (const key in new win.Object()) probe.push(key);
      for (const key in new win.Array()) probe.push(key);
      expect(probe).to.include.members(['extend', 'keys', 'each', 'last', 'remove']);
      await chatsInPage(page);
    });

    it(`globals named marked, DOMPurify and Lit of other versions (${file}): ours are used, not theirs`, async () => {
      const page = await openPage(`/test/pages/hostile.html?setup=globals&build=${build}`);
      const win = page.win as unknown as { DOMPurify: { version: string }; marked: unknown };
      expect(win.DOMPurify.version, "the page's DOMPurify is still the page's").to.equal('0.8.0');
      // A reply passed to the page's pass-through "DOMPurify" would keep its onerror; to its throwing "marked", no markdown.
      await chatsInPage(page);
    });
  }

  for (const [build, order] of [['copies', 'another version first'], ['copies-ours-first', 'ours first']]) {
    it(`two copies of the script from two paths, ${order}: one definition, nothing thrown, the chat works`, async () => {
      const page = await openPage(`/test/pages/hostile.html?build=${build}`);
      const scripts = Array.from(page.win.document.scripts).map((s) => s.getAttribute('src'));
      expect(scripts).to.include.members(['/fake-copy/v0.0.9-other/thinnest-chat.min.js', '/dist/thinnest-chat.min.js']);
      expect(otherCopyRan(page), 'the other copy ran').to.include('v0.0.9-other/thinnest-chat.min.js');
      expectOneDefinition(page);
      await chatsInPage(page);
      await sleep(100);
      expect(page.win.__errors, 'errors from the two copies').to.deep.equal([]);
    });
  }

  it('the panel file cannot be loaded: the transcript says the chat cannot be reached, in words; what is typed stays; nothing throws', async () => {
    const page = await openPage('/test/pages/hostile.html?build=no-panel');
    const root = page.el.shadowRoot!;
    await until(() => root.querySelector('.unavailable') !== null, 'the unavailable note');
    const note = root.querySelector<HTMLElement>('[part~="transcript"] .unavailable')!;
    expect(note.textContent).to.equal('The chat service could not be reached. Try again.');
    expect(note.getAttribute('role')).to.equal('status');
    expect(note.getBoundingClientRect().height, 'the note is visible').to.be.greaterThan(10);
    // The composer is the element's own: the visitor can type, and a message sent now is kept, not lost.
    const input = root.querySelector<HTMLTextAreaElement>('[part~="input"]')!;
    input.value = 'Are you there?';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await page.el.updateComplete;
    root.querySelector<HTMLFormElement>('[part~="composer"]')!.requestSubmit();
    await sleep(300);
    await page.el.updateComplete;
    expect(root.querySelector<HTMLTextAreaElement>('[part~="input"]')!.value, 'the typed message is still there').to.equal('Are you there?');
    expect(page.el.messages, 'nothing was sent').to.deep.equal([]);
    expect(page.win.__errors, 'nothing thrown to the page').to.deep.equal([]);
  });

  it('every setup at once, with the two copies', async () => {
    const page = await openPage('/test/pages/hostile.html?setup=analytics,prototypes,globals&build=copies');
    await chatsInPage(page);
  });
});

// One tag, any CDN path: the script-tag file is the element itself and runs as a classic,
// a `defer` or a `type="module"` script, from any folder: its chunks come from beside it, not from
// the page's folder or dist/. Each page (test/fake-proxy.mjs, /script-tag-page) loads it from a
// folder of its own, as from a CDN, and chats; nothing but Lit's version lists is added to the
// page's global names.
import { expect } from '@open-wc/testing';
import { fakeUrl, requestsFor, sleep, uniqueId, until } from './helpers/chat.js';
import { askForPlans, closePages, openPage, type Page } from './helpers/pages.js';
import { actFocused, listen } from './helpers/a11y.js';
import { bringToFront, engine } from './helpers/commands.js';

/** The scripts the page fetched, by path. */
function scriptsFetched(page: Page): string[] {
  return page.win.performance
    .getEntriesByType('resource')
    .map((entry) => new URL(entry.name).pathname)
    .filter((path) => path.endsWith('.js') && path.includes('thinnest-chat'));
}

// What Lit itself puts on every page that uses it (lit-html, lit-element, reactive-element), and the test's own.
const LIT_GLOBALS = ['litHtmlVersions', 'litElementVersions', 'reactiveElementVersions', 'litPropertyMetadata'];
const TEST_GLOBALS = ['__globalsBefore', '__errors', '__thinnestCopies'];

describe('the script-tag file: one tag, any folder, classic, defer or module', function () {
  this.timeout(30000);
  afterEach(closePages);

  for (const type of ['classic', 'defer', 'module']) {
    it(`as a ${type} script from a CDN-like folder: defines the element, chats, and loads its chunks from beside itself`, async () => {
      const page = await openPage(`/script-tag-page?type=${type}`);
      const folder = `/fake-copy/v1.0.0-cdn-${type}/`;
      const { el } = page;
      expect(el.shadowRoot!.querySelector('[part~="assistant-message"] .bubble strong')?.textContent, 'the welcome message').to.equal('Hello');

      await askForPlans(el, fakeUrl(uniqueId('tag'), 'md'));

      const fetched = scriptsFetched(page);
      expect(fetched, 'the script, its panel and its renderer, from its own folder').to.include.members([
        `${folder}thinnest-chat.min.js`,
        `${folder}thinnest-chat.conversation.js`,
        `${folder}thinnest-chat.markdown.js`,
      ]);
      expect(fetched.filter((path) => !path.startsWith(folder)), 'nothing from elsewhere').to.deep.equal([]);

      // The bundle's own names stay inside it: a classic script's top-level names would be the page's globals.
      const win = page.win as unknown as Window & { __globalsBefore: string[] };
      const added = Object.getOwnPropertyNames(win).filter((name) => !win.__globalsBefore.includes(name));
      expect(added.filter((name) => !LIT_GLOBALS.includes(name) && !TEST_GLOBALS.includes(name)), 'globals added').to.deep.equal([]);
      expect(page.win.__errors).to.deep.equal([]);
    });
  }

  it('as a module script followed by a locale script from the same package folder: chunks still come from beside it', async () => {
    const page = await openPage('/script-tag-page?type=module&locale=1');
    const folder = '/fake-copy/v1.0.0-cdn-module-thinnest-chat/';
    const { el } = page;
    el.setAttribute('lang', 'de');
    await askForPlans(el, fakeUrl(uniqueId('tag'), 'md'));
    expect(el.shadowRoot!.querySelector('[part~="input"]')!.getAttribute('placeholder'), 'the locale applies').to.equal('Nachricht eingeben…');
    expect(scriptsFetched(page)).to.include.members([`${folder}thinnest-chat.conversation.js`, `${folder}thinnest-chat.markdown.js`, `${folder}locales/de.min.js`]);
    expect(page.win.__errors).to.deep.equal([]);
  });

  it('the renderer file failing to load: replies show as text, and it is asked for again on approach, not in a loop', async () => {
    const page = await openPage('/script-tag-page?type=classic&nomarkdown=1');
    const { el } = page;
    const attempts = () =>
      page.win.performance.getEntriesByType('resource').filter((entry) => new URL(entry.name).pathname.endsWith('/thinnest-chat.markdown.js')).length;
    el.setAttribute('proxy-url', fakeUrl(uniqueId('nomd'), 'md'));
    await el.send('What plans are there?');
    await sleep(1500);
    const reply = el.shadowRoot!.querySelector('[part~="assistant-message"][data-id] .bubble');
    expect(reply?.textContent, 'the reply, as text').to.include('## Plans');
    expect(attempts(), 'tries while the page settles').to.be.within(1, 3);
    const settled = attempts();
    await sleep(1000);
    expect(attempts(), 'no retry loop').to.equal(settled);
    el.dispatchEvent(new FocusEvent('focusin', { bubbles: true, composed: true }));
    // A new request even in Firefox, which keeps a failed module for the page's life: the retry asks under another URL.
    await until(() => attempts() === settled + 1, 'one more try when the visitor comes back');
    await sleep(500);
    expect(attempts(), 'one try per approach').to.equal(settled + 1);
  });

  it('a bubble whose panel came on approach, opened before the renderer: the welcome message appears once, as markdown', async () => {
    const page = await openPage('/script-tag-page?type=classic&bubble=1&slowmarkdown=1');
    const { el } = page;
    const launcher = el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="launcher"]')!;
    launcher.dispatchEvent(new FocusEvent('focus')); // the visitor tabs to it: the panel's code comes, not the renderer
    await until(() => scriptsFetched(page).some((file) => file.endsWith('thinnest-chat.conversation.js')), 'the panel file fetched on approach');
    await el.updateComplete;
    const log = listen(el.shadowRoot!.querySelector('[part~="transcript"]')!);
    try {
      launcher.click();
      await until(() => el.shadowRoot!.querySelector('[part~="assistant-message"] strong')?.textContent === 'Hello', 'the welcome, as markdown', 5000);
      await sleep(100);
    } finally {
      log.stop();
    }
    expect(log.spoken.filter((text) => text.includes('**')), 'the welcome shown as raw markdown first').to.deep.equal([]);
    expect(log.spoken.filter((text) => /^Hello from a CDN$/.test(text)), 'the welcome added to the log once').to.have.length(1);
  });

  it("a visitor with one tab never fetches the code that follows other tabs; another tab's change fetches it, and is followed", async () => {
    const page = await openPage('/script-tag-page?type=classic');
    const folder = '/fake-copy/v1.0.0-cdn-classic/';
    const { el } = page;
    const storageKey = uniqueId('one-tab');
    const key = `thinnest-chat:${storageKey}`;
    try {
      el.setAttribute('storage-key', storageKey);
      el.setAttribute('persist', 'local');
      await askForPlans(el, fakeUrl(uniqueId('tag'), 'md'));
      await el.send('And a second question');
      expect(scriptsFetched(page), 'alone: no tab-sync code').to.not.include(`${folder}thinnest-chat.tab-sync.js`);

      // Another tab adds a message to the conversation: its storage event brings the code, then the message.
      const stored = JSON.parse(page.win.localStorage.getItem(key)!);
      const theirs = { id: 'other-tab-message', role: 'user', text: 'From the other tab', createdAt: Date.now() + 1000 };
      const value = JSON.stringify({ ...stored, messages: [...stored.messages, theirs] });
      page.win.localStorage.setItem(key, value);
      const win = page.win as unknown as typeof globalThis;
      win.dispatchEvent(new win.StorageEvent('storage', { key, newValue: value, storageArea: page.win.localStorage }));
      await until(() => el.messages.some((m) => m.id === 'other-tab-message'), "the other tab's message is followed");
      expect(scriptsFetched(page)).to.include(`${folder}thinnest-chat.tab-sync.js`);
      expect(page.win.__errors).to.deep.equal([]);
    } finally {
      page.win.localStorage.removeItem(key);
    }
  });

  it('a second tag of the same file on the page does nothing: one definition, no error', async () => {
    const page = await openPage('/script-tag-page?type=classic');
    const script = page.win.document.createElement('script');
    const ran = new Promise((resolve) => script.addEventListener('load', resolve, { once: true }));
    script.src = '/fake-copy/v1.0.0-cdn-again/thinnest-chat.min.js';
    page.win.document.head.append(script);
    await ran;
    expect(page.win.customElements.get('thinnest-chat')).to.equal(page.el.constructor);
    expect(page.win.__errors).to.deep.equal([]);
  });

  it('an inline widget shows its textbox before the panel file has come; what is typed then is sent once it has', async () => {
    const frame = document.createElement('iframe');
    frame.width = '420';
    frame.height = '600';
    document.body.append(frame);
    try {
      frame.src = '/script-tag-page?type=classic&slow=1';
      const find = () => frame.contentDocument?.querySelector('thinnest-chat')?.shadowRoot?.querySelector<HTMLTextAreaElement>('[part~="input"]');
      await until(() => !!find(), 'the textbox', 10000);
      const input = find()!;
      const el = frame.contentDocument!.querySelector('thinnest-chat')!;
      const panelFetched = () =>
        frame.contentWindow!.performance.getEntriesByType('resource').some((entry) => entry.name.endsWith('/thinnest-chat.conversation.js'));
      expect(panelFetched(), 'the panel file has not come yet').to.equal(false);
      expect(input.getBoundingClientRect().height, 'the textbox is shown').to.be.greaterThan(30);

      const id = uniqueId('early');
      el.setAttribute('proxy-url', fakeUrl(id, 'echo'));
      input.value = 'typed early';
      input.dispatchEvent(new Event('input', { bubbles: true }));
      // Not el.updateComplete: that waits for the panel's code.
      await sleep(50);
      el.shadowRoot!.querySelector<HTMLFormElement>('[part~="composer"]')!.requestSubmit();
      expect(el.messages, 'not sent before the panel is here').to.deep.equal([]);

      await until(() => el.messages.length === 2, 'the message sent once the panel came, and its reply', 10000);
      expect(panelFetched()).to.equal(true);
      expect(el.messages.map((m) => `${m.role}:${m.text}`)).to.deep.equal(['user:typed early', 'assistant:typed early']);
      expect((await requestsFor(id)).map((r) => JSON.parse(r.body).message)).to.deep.equal(['typed early']);
      expect(el.shadowRoot!.querySelector<HTMLTextAreaElement>('[part~="input"]')!.value, 'the box is cleared once sent').to.equal('');
    } finally {
      frame.remove();
    }
  });

  /** The script-tag page with `query` (test/fake-proxy.mjs), opened without waiting for it to load: its widget and its shadow root, once defined. */
  async function pageOpening(query: string) {
    const frame = document.createElement('iframe');
    frame.width = '420';
    frame.height = '600';
    frame.src = `/script-tag-page?type=defer&${query}&n=${uniqueId()}`;
    document.body.append(frame);
    const win = () => frame.contentWindow as Window & typeof globalThis;
    await until(() => !!win()?.customElements?.get('thinnest-chat') && !!win().document.querySelector('thinnest-chat')?.shadowRoot, 'the element defined', 5000);
    const root = win().document.querySelector('thinnest-chat')!.shadowRoot!;
    return { frame, win, root, drawn: () => !!root.querySelector('[part~="input"]') };
  }

  /** A page whose image takes `ms` to come, so the page is still loading meanwhile. */
  const pageStillLoading = (ms: number) => pageOpening(`slowimage=${ms}`);

  /**
   * Runs `check` on up to three fresh pages, each with its window brought to the front first: Chromium draws frames only
   * for the window in front, and runs test files side by side, each bringing its own window to the front at times.
   * `check` returns why its page said nothing of the order (it drew no frame in time), to try another, or undefined
   * once it has checked; with three that said nothing the test fails, saying what it saw.
   */
  async function onAPageThatDraws(what: string, check: () => Promise<string | undefined>): Promise<void> {
    const seen: string[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      await bringToFront();
      const nothingSaid = await check();
      if (nothingSaid === undefined) {
        if (seen.length > 0) console.log(`${what}: tried again after ${seen.join('; ')}`);
        return;
      }
      seen.push(nothingSaid);
    }
    expect.fail(`${what}: three pages tried, none said anything: ${seen.join('; ')}`);
  }

  it("draws itself once the page has loaded, so the page's own content comes first", async () => {
    const { frame, win, drawn } = await pageStillLoading(1500);
    try {
      await sleep(300);
      expect(win().document.readyState, 'the page is still loading its image').to.not.equal('complete');
      expect(drawn(), 'nothing drawn yet').to.equal(false);
      await until(() => win().document.readyState === 'complete', 'the page loaded', 5000);
      await until(drawn, 'the widget drawn once the page has loaded', 2000);
    } finally {
      frame.remove();
    }
  });

  it('draws itself only once the page has drawn what it loaded: after the first frame that follows load', async () => {
    // `load` comes before the page paints its image; a widget drawn in between would hold that paint back, and the
    // page's largest paint (its LCP) with it. Where no frame comes within 100 ms of load (a tab in the background)
    // the widget draws anyway, so the order is seen only on a page that draws: one whose first frame after load came
    // late, or not at all, says nothing of the order.
    await actFocused();
    await onAPageThatDraws('the first frame after load', async () => {
      const { frame, win, drawn } = await pageStillLoading(400);
      try {
        const first = await new Promise<{ drawn: boolean; after: number } | undefined>((resolve) =>
          win().addEventListener(
            'load',
            () => {
              const loaded = performance.now();
              setTimeout(resolve, 1000);
              win().requestAnimationFrame(() => resolve({ drawn: drawn(), after: performance.now() - loaded }));
            },
            { once: true },
          ),
        );
        if (!first) return 'no frame within 1 s of load';
        if (first.after >= 90) return `a frame ${Math.round(first.after)} ms after load`;
        expect(first.drawn, 'drawn before the page had drawn its first frame after load').to.equal(false);
        await until(drawn, 'the widget drawn right after that frame', 2000);
        return undefined;
      } finally {
        frame.remove();
      }
    });
  });

  it('draws itself only once the browser has reported the page\'s first contentful paint, which can come frames after load', async function () {
    // The page shows nothing until 30 ms after load, so its first contentful paint (FCP) comes frames after load. Lighthouse
    // counts all the work and requests before the page's FCP and LCP into its estimate of both: the widget drawn before it
    // moved them by 200–300 ms. A page that drew no frame, or drew the widget only at the 100 ms the widget waits at most,
    // says nothing of the order. WebKitGTK here reports that paint 90 ms or more after the page shows its heading, past those 100 ms.
    if (engine === 'webkit') this.skip();
    await actFocused();
    await onAPageThatDraws('the first contentful paint', async () => {
      const { frame, win, root } = await pageOpening('hiddenfor=30');
      try {
        const painted = () => win().performance.getEntriesByName('first-contentful-paint').length > 0;
        // In the task that draws the widget: was the page's paint reported, and how long after load was it?
        const drawn = await new Promise<{ painted: boolean; afterLoad: number }>((resolve) => {
          new MutationObserver((_, observer) => {
            if (!root.querySelector('[part~="input"]')) return;
            observer.disconnect();
            resolve({ painted: painted(), afterLoad: win().performance.now() - (win().performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventStart });
          }).observe(root, { childList: true, subtree: true });
        });
        await until(painted, 'the page painted', 2000).catch(() => {});
        if (!painted()) return 'no paint within 2 s';
        if (drawn.afterLoad >= 95) return `drawn ${Math.round(drawn.afterLoad)} ms after load, when it no longer waits`;
        expect(drawn.painted, `drawn ${Math.round(drawn.afterLoad)} ms after load, before the page's first contentful paint was reported`).to.equal(true);
        return undefined;
      } finally {
        frame.remove();
      }
    });
  });

  describe('an inline widget far down the page', () => {
    /**
     * The page (`query`: its widget `far` viewport heights down), once the widget's frame is drawn and two frames have come
     * after it (the browser says where the widget is as it draws one); `framed` is false where none came (a window behind another's).
     */
    async function farPage(query: string) {
      const opened = await pageOpening(query);
      await until(opened.drawn, 'the frame and textbox drawn', 5000);
      const framed = await new Promise<boolean>((resolve) => {
        opened.win().requestAnimationFrame(() => opened.win().requestAnimationFrame(() => resolve(true)));
        setTimeout(() => resolve(false), 1000);
      });
      const el = opened.win().document.querySelector('thinnest-chat')!;
      const messages = () => opened.root.querySelectorAll('[part~="user-message"], [part~="assistant-message"]').length;
      const welcomed = () => opened.root.querySelector('[part~="assistant-message"] strong')?.textContent === 'Hello';
      const fetched = (chunk: string) =>
        opened.win().performance.getEntriesByType('resource').some((entry) => entry.name.endsWith(`/thinnest-chat.${chunk}.js`));
      return { ...opened, framed, el, messages, welcomed, fetched };
    }

    it('draws its frame and textbox with the page, and its conversation (and the code for it) once the visitor scrolls to it', async () => {
      await onAPageThatDraws('a frame after the widget was drawn', async () => {
        const page = await farPage('far=3');
        try {
          if (!page.framed) return 'no frame within 1 s';
          await sleep(300);
          expect(page.messages(), 'messages drawn three screens away').to.equal(0);
          expect(page.fetched('conversation') || page.fetched('markdown'), "the conversation's or the renderer's code fetched").to.equal(false);
          // Into view (a frame's edge cuts what the browser sees around it: at the top of a page, it is drawn a screen
          // before it comes into view, lazy.test.ts).
          page.el.scrollIntoView();
          await bringToFront();
          await until(page.welcomed, 'the welcome message drawn, as markdown', 5000);
          return undefined;
        } finally {
          page.frame.remove();
        }
      });
    });

    it('sends from the page while far, and focus() brings the visitor to it with everything drawn', async () => {
      await onAPageThatDraws('a frame after the widget was drawn', async () => {
        const page = await farPage('far=3');
        try {
          if (!page.framed) return 'no frame within 1 s';
          const el = page.el as HTMLElement & { send(text: string): Promise<void>; messages: readonly { text: string }[] };
          el.setAttribute('proxy-url', fakeUrl(uniqueId(), 'echo'));
          await el.send('Asked from the page');
          expect(el.messages.map((m) => m.text), 'sent, and answered').to.deep.equal(['Asked from the page', 'Asked from the page']);
          expect(page.messages(), 'nothing drawn while far').to.equal(0);
          el.focus();
          await bringToFront();
          await until(() => page.messages() === 3, 'the welcome, the message and its reply drawn', 5000);
          expect(page.root.activeElement === page.root.querySelector('[part~="input"]'), 'the textbox has focus').to.equal(true);
          expect(el.getBoundingClientRect().top, 'scrolled to').to.be.lessThan(page.win().innerHeight);
          return undefined;
        } finally {
          page.frame.remove();
        }
      });
    });

    it('is not a bubble: a bubble whose element is far down the page shows its conversation when opened', async () => {
      await onAPageThatDraws('a frame after the launcher was drawn', async () => {
        const { frame, win, root } = await pageOpening('far=3&bubble=1');
        try {
          await until(() => !!root.querySelector('[part~="launcher"]'), 'the launcher drawn', 5000);
          (win().document.querySelector('thinnest-chat') as HTMLElement & { show(): void }).show();
          await until(() => root.querySelector('[part~="assistant-message"] strong')?.textContent === 'Hello', 'the welcome message drawn in the open panel', 5000);
          return undefined;
        } finally {
          frame.remove();
        }
      });
    });
  });

  it('does not wait more than 3 s for a page that takes longer to load', async () => {
    const { frame, win, drawn } = await pageStillLoading(8000);
    try {
      await until(drawn, 'the widget drawn', 5000);
      expect(win().document.readyState, 'the page is still loading its image').to.not.equal('complete');
    } finally {
      frame.remove();
    }
  });
});

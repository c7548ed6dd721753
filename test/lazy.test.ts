// The markdown renderer (marked + DOMPurify) is loaded on first need only: a bubble that is
// never opened never fetches it. This file must not import src/markdown.ts itself.
import { expect, fixture, html } from '@open-wc/testing';
import type { ThinnestChat } from '../src/index.js';
import { $, $$, fakeUrl, uniqueId, until, waitForReplies } from './helpers/chat.js';
import { bringToFront } from './helpers/commands.js';

function rendererRequests(): string[] {
  return performance
    .getEntriesByType('resource')
    .map((entry) => entry.name)
    .filter((name) => /\/src\/markdown\.ts|\/marked\/|\/dompurify\//.test(name));
}

function panelRequests(): string[] {
  return performance
    .getEntriesByType('resource')
    .map((entry) => entry.name)
    .filter((name) => /\/src\/(panel|chat-controller|proxy-client)\.ts/.test(name));
}

describe('loading the renderer on need', () => {
  // First in this file: no test before it has loaded the panel's code into this page.
  it('a closed bubble fetches only its launcher, yet reports its stored conversation', async () => {
    const id = uniqueId();
    localStorage.setItem(
      `thinnest-chat:test-${id}`,
      JSON.stringify({ v: 1, sessionId: 'stored-session', messages: [
        { id: 'u1', role: 'user', text: 'Earlier question', createdAt: Date.now() - 2000 },
        { id: 'a1', role: 'assistant', text: 'Earlier **answer**', createdAt: Date.now() - 1000 },
      ] }),
    );
    const el = await fixture<ThinnestChat>(html`<thinnest-chat mode="bubble" storage-key=${`test-${id}`} proxy-url=${fakeUrl(id, 'ok')}></thinnest-chat>`);
    expect($(el, '[part~="launcher"]'), 'the launcher is there').to.exist;
    // Its icon is drawn as designed (a white outline), not as the SVG default (a filled black shape), without the panel's styles.
    const icon = getComputedStyle($(el, '[part~="launcher"] svg')!);
    expect([icon.fill, icon.stroke], 'the launcher icon: no fill, drawn in the text colour').to.deep.equal(['none', getComputedStyle($(el, '[part~="launcher"]')!).color]);
    expect($(el, '[part~="panel"]'), 'no panel yet').to.not.exist;
    expect(el.messages.map((m) => m.text)).to.deep.equal(['Earlier question', 'Earlier **answer**']);
    expect(el.sessionId).to.equal('stored-session');
    expect(panelRequests(), 'panel code requested before opening').to.deep.equal([]);
    expect(rendererRequests(), 'renderer requested before opening').to.deep.equal([]);
    // (Opening it is the next test's: this page must not have the renderer yet.)
  });

  it('an inline widget whose welcome message is plain text shows it without fetching the renderer', async () => {
    const id = uniqueId();
    const welcome = 'Hi! How can I help you today?';
    const el = await fixture<ThinnestChat>(html`<thinnest-chat storage-key=${`test-${id}`} proxy-url=${fakeUrl(id, 'ok')} welcome-message=${welcome}></thinnest-chat>`);
    await until(() => $(el, '[part~="assistant-message"] .bubble') !== null, 'the welcome message shown');
    expect($(el, '[part~="assistant-message"] .bubble')!.textContent!.trim()).to.equal(welcome);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(rendererRequests(), 'renderer requested for plain text').to.deep.equal([]);
    el.remove();
  });

  it('fetches no markdown or sanitizer code for a closed bubble, even with a welcome message and a reply', async () => {
    const id = uniqueId();
    const el = await fixture<ThinnestChat>(html`<thinnest-chat
      mode="bubble"
      storage-key=${`test-${id}`}
      proxy-url=${fakeUrl(id, 'ok')}
      welcome-message="Hello **there**"
    ></thinnest-chat>`);
    await el.send('hi');
    await waitForReplies(el, 1);
    // Pointing at the launcher and focusing it fetch the panel's code, not the renderer's.
    const launcher = $(el, '[part~="launcher"]')!;
    launcher.dispatchEvent(new PointerEvent('pointerenter'));
    launcher.focus();
    await el.updateComplete;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(rendererRequests(), 'requested before opening').to.deep.equal([]);
    expect($(el, '[part~="unread"]')).to.exist;

    el.show();
    await el.updateComplete;
    await until(() => rendererRequests().length > 0, 'the renderer is fetched when the panel opens');
    expect($(el, '[part~="assistant-message"] strong')!.textContent).to.equal('there');
    expect($(el, '[part~="assistant-message"][data-id] .bubble')!.textContent).to.contain('Reply 1 to: hi');
  });
});

describe('an inline widget far down the page', () => {
  afterEach(() => scrollTo(0, 0));

  // The browser says where the widget is as it draws a frame (test/script-tag.test.ts shows a widget in a page's HTML
  // fetching no conversation code while far). Chromium draws frames only for the window in front (test files run side by
  // side), and a widget that hears nothing in 100 ms draws as if near: such a page says nothing, and another is tried.
  /**
   * Places the widget `before` (a template around `widget`), checks its conversation is not drawn while it is far, then
   * runs `bringNear` and waits for the welcome message; up to three pages, until one drew a frame in time.
   */
  async function drawnOnceNear(place: (widget: unknown) => unknown, bringNear: (el: ThinnestChat) => void): Promise<ThinnestChat> {
    const seen: string[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      scrollTo(0, 0);
      await bringToFront();
      const id = uniqueId();
      const widget = html`<thinnest-chat storage-key=${`test-${id}`} proxy-url=${fakeUrl(id, 'ok')} welcome-message="Hello **there**"></thinnest-chat>`;
      const page = await fixture<HTMLElement>(html`<div>${place(widget)}</div>`);
      const el = page.querySelector<ThinnestChat>('thinnest-chat')!;
      await el.updateComplete;
      await new Promise((resolve) => setTimeout(resolve, 300));
      if ($$(el, '[part~="assistant-message"]').length > 0) {
        seen.push('drawn as near: no frame came');
        page.remove();
        continue;
      }
      bringNear(el);
      const front = setInterval(() => void bringToFront(), 500);
      try {
        await until(() => $(el, '[part~="assistant-message"] strong')?.textContent === 'there', 'the welcome message drawn, as markdown');
      } finally {
        clearInterval(front);
      }
      return el;
    }
    return expect.fail(`three pages tried: ${seen.join('; ')}`);
  }

  it('draws its conversation before it comes into view: once the visitor scrolls within a screen of it', async () => {
    const el = await drawnOnceNear(
      (widget) => html`<div style="height: ${3 * innerHeight}px"></div>${widget}<div style="height: 300vh"></div>`,
      (chat) => {
        expect($(chat, '[part~="input"]'), 'its textbox, at once').to.exist;
        scrollTo(0, chat.getBoundingClientRect().top + scrollY - 1.5 * innerHeight);
      },
    );
    expect(el.getBoundingClientRect().top, 'still half a screen below the fold').to.be.greaterThan(innerHeight);
  });

  it('in a part of the page not shown (hidden), draws its conversation once it is shown', async () => {
    await drawnOnceNear(
      (widget) => html`<section hidden>${widget}</section>`,
      (chat) => (chat.parentElement!.hidden = false),
    );
  });
});

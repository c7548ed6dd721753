// An inline widget far below the page's view (a contact section at the foot of a long page) costs
// the page nothing until the visitor comes near it: no panel drawn, no conversation or renderer
// fetched. Within a screen of the view it draws itself, its stored conversation included, before
// the visitor gets there. This file has a page of its own, so what it fetched is what it shows.
import { expect, fixture, html } from '@open-wc/testing';
import type { ThinnestChat } from '../src/index.js';
import { $, fakeUrl, input, uniqueId, until } from './helpers/chat.js';
import { actFocused } from './helpers/a11y.js';

// Chromium draws frames, and so tells an IntersectionObserver, in the window that acts focused.
before(actFocused);

/** The widget's code fetched on need so far: the conversation's and the markdown renderer's. */
function codeOnNeed(): string[] {
  return performance
    .getEntriesByType('resource')
    .map((entry) => entry.name)
    .filter((name) => /\/src\/(conversation|chat-controller|markdown)\.ts|\/marked\//.test(name));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('an inline widget far below the view', () => {
  let page: HTMLElement;
  afterEach(() => {
    page.remove();
    scrollTo(0, 0);
  });

  /** A page with `screens` screens of text above the widget. */
  async function farBelow(id: string, screens = 3): Promise<ThinnestChat> {
    page = await fixture(html`<div>
      <div style=${`height: ${screens * innerHeight}px`}>The page's own content</div>
      <thinnest-chat storage-key=${`test-${id}`} proxy-url=${fakeUrl(id, 'ok')} welcome-message="Hello **there**"></thinnest-chat>
      <div style=${`height: ${innerHeight}px`}></div>
    </div>`);
    const el = page.querySelector('thinnest-chat')!;
    await el.updateComplete;
    return el;
  }

  it('draws nothing and fetches nothing until it comes within a screen of the view, then shows its conversation', async () => {
    const id = uniqueId();
    localStorage.setItem(
      `thinnest-chat:test-${id}`,
      JSON.stringify({ v: 1, sessionId: 'stored-session', messages: [
        { id: 'u1', role: 'user', text: 'Earlier question', createdAt: Date.now() - 2000 },
        { id: 'a1', role: 'assistant', text: 'Earlier **answer**', createdAt: Date.now() - 1000 },
      ] }),
    );
    const el = await farBelow(id);
    await sleep(300);
    expect($(el, '[part~="panel"]'), 'no panel while far below').to.not.exist;
    expect(codeOnNeed(), 'code fetched while far below').to.deep.equal([]);
    // Its stored conversation is known all the same.
    expect(el.messages.map((m) => m.text)).to.deep.equal(['Earlier question', 'Earlier **answer**']);
    expect(el.sessionId).to.equal('stored-session');
    // The page keeps the widget's place: nothing below it moves when it draws itself.
    expect(el.getBoundingClientRect().height).to.be.greaterThan(300);

    // Scrolled to within a screen of it (not yet to it): it draws itself, as markdown.
    scrollTo(0, 1.5 * innerHeight);
    await until(() => $(el, '[part~="assistant-message"][data-id] strong')?.textContent === 'answer', 'the stored reply drawn as markdown');
    expect($(el, '[part~="assistant-message"]:not([data-id]) strong')!.textContent, 'the welcome message').to.equal('there');
    expect(input(el), 'the textbox').to.exist;
  });

  it('focus() brings it at once, with the textbox focused', async () => {
    const el = await farBelow(uniqueId(), 6);
    expect($(el, '[part~="panel"]')).to.not.exist;
    el.focus();
    await until(() => el.shadowRoot!.activeElement === input(el), 'focus in the textbox');
  });

  it('made a bubble while far below, it opens its panel as any bubble does', async () => {
    const el = await farBelow(uniqueId());
    el.mode = 'bubble';
    el.show();
    await until(() => input(el) !== null && getComputedStyle($(el, '[part~="panel"]')!).display !== 'none', 'the open panel');
    await until(() => $(el, '[part~="assistant-message"] strong')?.textContent === 'there', 'its welcome message');
  });

  it('a widget near the view draws itself at once, as before', async () => {
    const el = await farBelow(uniqueId(), 1);
    expect(input(el), 'the textbox, without scrolling').to.exist;
  });
});

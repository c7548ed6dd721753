// Issue 17 §2 and §3, the widget's side: with `feedback`, a thumbs up and down under each reply (never under
// the welcome message): the rating is pressed, announced, kept beside the conversation across a reload and in
// other tabs, can be changed or taken back, fires thinnest-chat-feedback and is posted to feedback-url
// (by default beside proxy-url), a failed post losing nothing shown. Without it, nothing of it is there.
// And every reply has a copy button that copies the markdown it came as. The proxy's end is
// test/server/feedback.test.ts.
import { expect, fixture, html } from '@open-wc/testing';
import type { FeedbackEventDetail, ThinnestChat } from '../src/index.js';
import de from '../src/locales/de.js';
import { $, $$, chatWith, fakeUrl, sleep, uniqueId, until, waitForReplies } from './helpers/chat.js';
import { axePage, listen, siteAround } from './helpers/a11y.js';
import { closePages, openPage, reloadPage } from './helpers/pages.js';

const thumbs = (el: ThinnestChat) => $$(el, '[part~="feedback-button"]');
const pressed = (el: ThinnestChat) => thumbs(el).map((b) => b.getAttribute('aria-pressed'));
const statusRegion = (el: ThinnestChat) => $(el, '[role="status"]')!;
/** What the widget keeps of its ratings, beside its conversation (`thinnest-chat-ratings:` and its storage key). */
const storedRatings = (el: ThinnestChat, storage: Storage = localStorage) =>
  JSON.parse(storage.getItem(`thinnest-chat-ratings:${el.getAttribute('storage-key')}`) ?? 'null');

async function feedbackFor(id: string): Promise<Record<string, unknown>[]> {
  return (await (await fetch(`/fake/${id}/_feedback`)).json()).map((r: { body: string }) => JSON.parse(r.body));
}

/** Polls `read` until `done` holds of what it gives (requests the fake logged arrive after the click). */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  for (let tries = 0; tries < 40; tries++) {
    const value = await read();
    if (done(value)) return value;
    await sleep(100);
  }
  throw new Error(`timed out: ${what}`);
}

describe('feedback on replies', () => {
  afterEach(closePages);

  it('is not there without `feedback`: no thumbs, and nothing is posted', async () => {
    const { el, id } = await chatWith('md', { 'welcome-message': 'Hi!' });
    await el.send('Plans?');
    await waitForReplies(el, 1);
    expect(thumbs(el)).to.have.length(0);
    expect(await feedbackFor(id)).to.deep.equal([]);
  });

  it('rates a reply: pressed, announced, fired, posted beside proxy-url; again takes it back; the other thumb changes it', async () => {
    const { el, id } = await chatWith('ok', { feedback: '', 'welcome-message': 'Hi! Ask me anything.' });
    await el.send('Hello');
    await waitForReplies(el, 1);
    await until(() => thumbs(el).length === 2, 'the thumbs under the reply');
    // Under the reply only, not under the welcome message.
    expect($(el, '.message.assistant:not([data-id]) [part~="feedback-button"]')).to.equal(null);
    expect(thumbs(el).map((b) => b.getAttribute('aria-label'))).to.deep.equal(['Good reply', 'Bad reply']);
    expect(pressed(el)).to.deep.equal(['false', 'false']);

    const events: FeedbackEventDetail[] = [];
    el.addEventListener('thinnest-chat-feedback', (e) => events.push(e.detail));
    const status = listen(statusRegion(el));
    const reply = el.messages[1];
    thumbs(el)[0].click();
    await el.updateComplete;
    expect(pressed(el)).to.deep.equal(['true', 'false']);
    expect(storedRatings(el)).to.deep.equal({ [reply.id]: 'up' });
    expect(events).to.deep.equal([{ messageId: reply.id, rating: 'up', sessionId: el.sessionId, message: reply.text }]);
    await until(() => status.spoken.join(' ').includes('Thanks for your feedback'), 'the rating is announced');

    thumbs(el)[1].click(); // changed
    await el.updateComplete;
    expect(pressed(el)).to.deep.equal(['false', 'true']);
    thumbs(el)[1].click(); // taken back
    await el.updateComplete;
    expect(pressed(el)).to.deep.equal(['false', 'false']);
    expect(storedRatings(el)).to.deep.equal({});
    expect(events.map((e) => e.rating)).to.deep.equal(['up', 'down', null]);
    await until(() => status.spoken.join(' ').includes('Rating removed'), 'taking it back is announced');

    const posted = await eventually(() => feedbackFor(id), (list) => list.length === 3, 'three ratings posted');
    expect(posted.map((b) => b.rating)).to.deep.equal(['up', 'down', null]);
    expect(posted[0]).to.deep.equal({ session_id: el.sessionId, message_id: reply.id, rating: 'up', reply: reply.text });
  });

  it('posts to feedback-url when set, with the chat headers; a refused post keeps the rating', async () => {
    const id = uniqueId('fb');
    const { el } = await chatWith('ok', { feedback: '', 'feedback-url': fakeUrl(id, 'feedback-s500') });
    el.headers = { 'X-CSRF-Token': 'token-1' };
    await el.send('Hello');
    await waitForReplies(el, 1);
    await until(() => thumbs(el).length === 2, 'the thumbs');
    thumbs(el)[1].click();
    await eventually(() => feedbackFor(id), (list) => list.length === 1, 'the rating reached feedback-url');
    const [logged] = await (await fetch(`/fake/${id}/_feedback`)).json();
    expect(logged.headers['x-csrf-token']).to.equal('token-1');
    await sleep(100);
    expect(pressed(el)).to.deep.equal(['false', 'true']);
    expect(storedRatings(el)).to.deep.equal({ [el.messages[1].id]: 'down' });
  });

  it('keeps the rating across a reload and in another tab, without drawing the reply again', async () => {
    const key = `test-${uniqueId('fbtab')}`;
    const proxy = fakeUrl(uniqueId('fbtab'), 'md');
    const a = await openPage(`/test/pages/widget.html?key=${key}&proxy=${encodeURIComponent(proxy)}`);
    const b = await openPage(`/test/pages/widget.html?key=${key}&proxy=${encodeURIComponent(proxy)}`);
    a.el.feedback = true;
    b.el.feedback = true;
    await a.el.send('Plans?');
    await waitForReplies(a.el, 1);
    await waitForReplies(b.el, 1);
    await until(() => thumbs(a.el).length === 2 && thumbs(b.el).length === 2, 'thumbs in both tabs');
    const replyNode = b.el.shadowRoot!.querySelector('.assistant .markdown');
    const spokenInB = listen($(b.el, '[part~="transcript"]')!);

    thumbs(a.el)[0].click();
    await until(() => pressed(b.el)[0] === 'true', 'the other tab follows the rating');
    // The reply's rendering is kept: the same node, nothing spoken again.
    expect(b.el.shadowRoot!.querySelector('.assistant .markdown')).to.equal(replyNode);
    expect(spokenInB.spoken).to.deep.equal([]);

    const reloaded = await reloadPage(a);
    reloaded.el.feedback = true;
    await until(() => pressed(reloaded.el)[0] === 'true', 'the rating survives a reload');
    expect(storedRatings(reloaded.el, reloaded.win.localStorage)).to.deep.equal({ [reloaded.el.messages[1].id]: 'up' });
  });

  it('a new conversation takes the old one’s ratings out of storage (newSession(), or Delete conversation)', async () => {
    for (const start of ['newSession', 'delete']) {
      const { el } = await chatWith('ok', { feedback: '' });
      await el.send('Hello');
      await waitForReplies(el, 1);
      await until(() => thumbs(el).length === 2, 'the thumbs under the reply');
      thumbs(el)[0].click();
      await until(() => Object.keys(storedRatings(el)).length === 1, 'the rating is stored');
      if (start === 'newSession') el.newSession();
      else {
        $(el, '[part~="delete-button"]')!.click();
        await until(() => $(el, '[part~="delete-confirm-button"]') !== null, 'the question');
        ($(el, '[part~="delete-confirm-button"]') as HTMLButtonElement).click();
      }
      await until(() => el.messages.length === 0, `${start}: the conversation is gone`);
      await until(() => Object.keys(storedRatings(el)).length === 0, `${start}: no rating left in storage`);
      // The next conversation is rated afresh.
      await el.send('Again');
      await waitForReplies(el, 1);
      await until(() => thumbs(el).length === 2, 'thumbs again');
      expect(pressed(el)).to.deep.equal(['false', 'false']);
    }
  });

  it('speaks the locale, and is axe-clean with a rating pressed', async () => {
    const id = uniqueId('fbde');
    const el = await fixture<ThinnestChat>(html`<thinnest-chat lang="de" feedback storage-key=${`test-${id}`} proxy-url=${fakeUrl(id, 'md')}></thinnest-chat>`);
    await el.send('Tarife?');
    await waitForReplies(el, 1);
    await until(() => thumbs(el).length === 2, 'the thumbs');
    expect(thumbs(el).map((b) => b.getAttribute('aria-label'))).to.deep.equal([de.feedbackUp, de.feedbackDown]);
    expect($(el, '[part~="copy-button"]')!.textContent).to.equal(de.copyReply);
    thumbs(el)[0].click();
    await el.updateComplete;
    const restore = siteAround(el);
    try {
      expect(await axePage()).to.deep.equal([]);
    } finally {
      restore();
    }
  });
});

describe('copying a reply', () => {
  it('copies the markdown the reply came as, says so, and selects the reply where the clipboard is refused', async () => {
    const { el } = await chatWith('md');
    await el.send('Plans?');
    await waitForReplies(el, 1);
    const button = $(el, '.assistant [part~="copy-button"]')!;
    expect(button.textContent).to.equal('Copy reply');
    const copied: string[] = [];
    let refuse = false;
    const clipboard = navigator.clipboard as Clipboard & { writeText: Clipboard['writeText'] };
    Object.defineProperty(clipboard, 'writeText', {
      configurable: true,
      writable: true,
      value: async (text: string) => {
        if (refuse) throw new DOMException('denied', 'NotAllowedError');
        copied.push(text);
      },
    });
    try {
      const status = listen(statusRegion(el));
      button.click();
      await until(() => copied.length === 1, 'the reply copied');
      expect(copied[0]).to.equal(el.messages[1].text);
      expect(copied[0]).to.contain('| Plan | Price |'); // the markdown, not the rendered text
      expect(button.textContent).to.equal('Copied');
      await until(() => status.spoken.includes('Copied'), 'copying is announced');
      await until(() => button.textContent === 'Copy reply', 'the label comes back', 3000);

      refuse = true;
      getSelection()?.removeAllRanges();
      button.click();
      const markdown = button.closest('.message')!.querySelector('.markdown')!;
      // WebKit keeps a selection inside a shadow root out of the document's view: its composed ranges show it.
      const selected = () => {
        const selection = getSelection() as Selection & { getComposedRanges?: (options: { shadowRoots: ShadowRoot[] }) => StaticRange[] };
        const range = selection?.getComposedRanges?.({ shadowRoots: [el.shadowRoot!] })[0];
        return range ? markdown.contains(range.startContainer) && !range.collapsed : !!selection?.containsNode(markdown.querySelector('li')!, true);
      };
      await until(selected, 'the reply selected instead');
    } finally {
      delete (clipboard as { writeText?: unknown }).writeText;
    }
  });
});

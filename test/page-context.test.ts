// Issue 17 §6, the widget's side: with `page-context`, each message carries `{path, title}` of the page it is
// written on, read when it is sent (a single-page app's route changes count); without it, the body is exactly
// {message, session_id}. What the proxy does with it (PAGE_CONTEXT=1) is tested in test/server/page-context.test.ts.
import { expect } from '@open-wc/testing';
import { chatWith, pressEnter, requestsFor, type, waitForReplies } from './helpers/chat.js';

const bodies = async (id: string) => (await requestsFor(id)).map((request) => JSON.parse(request.body));

describe('page-context', () => {
  const url = location.href;
  const title = document.title;
  afterEach(() => {
    history.replaceState(null, '', url);
    document.title = title;
  });

  it('sends the path and title of the page each message is written on, read at that moment', async () => {
    const { el, id } = await chatWith('ok', { 'page-context': '' });
    document.title = 'Pricing | Acme';
    history.replaceState(null, '', '/pricing?plan=team#faq');
    await type(el, 'How much is Team?');
    await pressEnter(el);
    await waitForReplies(el, 1);
    // A single-page app moves on: the next message says where the visitor is now.
    document.title = 'Checkout | Acme';
    history.replaceState(null, '', '/checkout');
    await type(el, 'And now?');
    await pressEnter(el);
    await waitForReplies(el, 2);

    const [first, second] = await bodies(id);
    expect(first.page).to.deep.equal({ path: '/pricing', title: 'Pricing | Acme' });
    expect(first.message).to.equal('How much is Team?');
    expect(second.page).to.deep.equal({ path: '/checkout', title: 'Checkout | Acme' });
  });

  it('cuts a path or title longer than the proxy takes (2,048 characters), so the message still goes', async () => {
    const { el, id } = await chatWith('ok', { 'page-context': '' });
    document.title = 'T'.repeat(5000);
    history.replaceState(null, '', `/${'p'.repeat(5000)}`);
    await type(el, 'Long page');
    await pressEnter(el);
    await waitForReplies(el, 1);
    const [body] = await bodies(id);
    expect(body.page.title).to.equal('T'.repeat(2048));
    expect(body.page.path).to.equal(`/${'p'.repeat(2047)}`);
  });

  it('sends nothing of the page without it, and stops when it is turned off', async () => {
    const { el, id } = await chatWith('ok', { 'page-context': '' });
    el.removeAttribute('page-context');
    await type(el, 'Private question');
    await pressEnter(el);
    await waitForReplies(el, 1);
    const [body] = await bodies(id);
    expect(Object.keys(body).sort()).to.deep.equal(['message', 'session_id']);
    expect(el.pageContext).to.equal(false);
  });
});

// The markdown renderer (marked + DOMPurify) is loaded on first need only: a bubble that is
// never opened never fetches it. This file must not import src/markdown.ts itself.
import { expect, fixture, html } from '@open-wc/testing';
import type { ThinnestChat } from '../src/index.js';
import { $, fakeUrl, uniqueId, until, waitForReplies } from './helpers/chat.js';

function rendererRequests(): string[] {
  return performance
    .getEntriesByType('resource')
    .map((entry) => entry.name)
    .filter((name) => /\/src\/markdown\.ts|\/marked\/|\/dompurify\//.test(name));
}

describe('loading the renderer on need', () => {
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
    expect(rendererRequests(), 'requested before opening').to.deep.equal([]);
    expect($(el, '[part~="unread"]')).to.exist;

    el.show();
    await el.updateComplete;
    await until(() => rendererRequests().length > 0, 'the renderer is fetched when the panel opens');
    expect($(el, '[part~="assistant-message"] strong')!.textContent).to.equal('there');
    expect($(el, '[part~="assistant-message"][data-id] .bubble')!.textContent).to.contain('Reply 1 to: hi');
  });
});

// SPEC §4 Sending: Enter sends, Shift+Enter inserts a newline; empty, whitespace-only and
// invisible-only input is not sent; a length limit with a visible counter; one request in flight,
// a typing indicator meanwhile; the session id kept or adopted; suggestions; and the events a page
// listens to (thinnest-chat-send can be prevented); `credentials`. Failed sends: test/nothing-lost.test.ts.
import { expect } from '@open-wc/testing';
import { createChatEvent } from '../src/events.js';
import type { ThinnestChat } from '../src/index.js';
import {
  $,
  assistantMessages,
  bubbles,
  chatWith,
  input,
  pressEnter,
  requestsFor,
  sleep,
  type,
  until,
  userMessages,
  waitForReplies,
} from './helpers/chat.js';

describe('sending a message', () => {
  it('posts exactly {message, session_id} as JSON and shows the reply', async () => {
    const { el, id } = await chatWith('ok');
    await type(el, '  Hello there  ');
    await pressEnter(el);
    await waitForReplies(el, 1);

    const [request] = await requestsFor(id);
    expect(request.method).to.equal('POST');
    expect(request.headers['content-type']).to.equal('application/json');
    expect(request.headers['accept']).to.equal('application/json');
    const body = JSON.parse(request.body);
    expect(Object.keys(body).sort()).to.deep.equal(['message', 'session_id']);
    expect(body.message).to.equal('Hello there');
    expect(body.session_id).to.match(/^[0-9a-f-]{36}$/);
    expect(el.sessionId).to.equal(body.session_id);
    expect(bubbles(el)).to.deep.equal(['Hello there', 'Reply 1 to: Hello there']);
    expect(input(el).value).to.equal('');
  });

  it('keeps the same session id for the whole conversation', async () => {
    const { el, id } = await chatWith('ok');
    await el.send('one');
    await el.send('two');
    const sent = (await requestsFor(id)).map((r) => JSON.parse(r.body).session_id);
    expect(sent).to.have.length(2);
    expect(sent[0]).to.equal(sent[1]);
  });

  it('adopts the session id the server returns when it differs', async () => {
    const { el, id } = await chatWith('adopt');
    const sessions: Array<{ sessionId: string | null; previous: string | null }> = [];
    el.addEventListener('thinnest-chat-session', (e) => sessions.push(e.detail));
    await el.send('first');
    expect(el.sessionId).to.equal(`server-${id}`);
    await el.send('second');
    const sent = (await requestsFor(id)).map((r) => JSON.parse(r.body).session_id);
    expect(sent[1]).to.equal(`server-${id}`);
    expect(sessions).to.have.length(2);
    expect(sessions[0].previous).to.equal(null);
    expect(sessions[1]).to.deep.equal({ sessionId: `server-${id}`, previous: sessions[0].sessionId });
  });

  it('inserts a newline on Shift+Enter instead of sending', async () => {
    const { el, id } = await chatWith('ok');
    await type(el, 'line one');
    await pressEnter(el, true);
    expect(await requestsFor(id)).to.have.length(0);
    expect(userMessages(el)).to.have.length(0);
  });

  it('does not send empty or whitespace-only input', async () => {
    const { el, id } = await chatWith('ok');
    await type(el, '   \n\t  ');
    await pressEnter(el);
    await el.send('   ');
    expect(($(el, '[part~="send-button"]') as HTMLButtonElement).disabled).to.equal(true);
    expect(await requestsFor(id)).to.have.length(0);
    expect(el.messages).to.have.length(0);
  });

  it('does not send a message of only invisible characters, and keeps it in the box', async () => {
    const { el, id } = await chatWith('ok');
    // Zero-width ones, a soft hyphen, a direction mark, a Hangul filler (which shows as nothing).
    const invisible = '\u200b \u200c\u200d\u2060\ufeff\n\u200b\u00ad\u200e\u3164';
    await type(el, invisible);
    expect(($(el, '[part~="send-button"]') as HTMLButtonElement).disabled, 'send is not offered').to.equal(true);
    await pressEnter(el);
    await el.send('\u200b\u00ad');
    expect(await requestsFor(id)).to.have.length(0);
    expect(el.messages).to.have.length(0);
    expect(input(el).value).to.equal(invisible);
    // A word among them is a message.
    await type(el, '\u200bHi\u200b');
    await pressEnter(el);
    await waitForReplies(el, 1);
    expect(await requestsFor(id)).to.have.length(1);
  });

  it('shows a counter and refuses text over the length limit without losing it', async () => {
    const { el, id } = await chatWith('ok', { 'max-length': '10' });
    await type(el, 'short');
    expect($(el, '[part~="counter"]')!.textContent).to.contain('5 / 10');
    await type(el, 'this is far too long');
    expect($(el, '[part~="counter"]')!.textContent).to.contain('20 / 10');
    expect(input(el).getAttribute('aria-invalid')).to.equal('true');
    expect(($(el, '[part~="send-button"]') as HTMLButtonElement).disabled).to.equal(true);
    await pressEnter(el);
    expect(await requestsFor(id)).to.have.length(0);
    expect(input(el).value).to.equal('this is far too long');
    expect($(el, '[part~="counter"]')!.textContent).to.contain('Over the limit by 10.');
  });

  it('says once, to a screen reader, that the message went over the limit', async () => {
    const { el } = await chatWith('ok', { 'max-length': '10' });
    const status = () => $(el, '.announce-status')!.textContent;
    await type(el, 'just right');
    await sleep(150);
    expect(status()).to.equal('');
    await type(el, 'just right!');
    await until(() => status() === 'Over the limit by 1.', 'announced');
    await type(el, 'just right!!'); // still over: not said again
    await sleep(150);
    expect(status()).to.equal('Over the limit by 1.');
  });

  it('counts characters as the proxy does: an emoji is one', async () => {
    const { el } = await chatWith('ok', { 'max-length': '3' });
    await type(el, '😀😀👍🏽');
    expect($(el, '[part~="counter"]')!.textContent).to.contain('4 / 3'); // 👍🏽 is a thumb and a skin tone: two
    await type(el, '😀😀😀');
    expect($(el, '[part~="counter"]')!.textContent).to.contain('3 / 3');
    expect(($(el, '[part~="send-button"]') as HTMLButtonElement).disabled).to.equal(false);
  });

  it('an Enter that ends an IME composition does not send (isComposing, or keyCode 229 as Safari reports it)', async () => {
    const { el, id } = await chatWith('ok');
    await type(el, 'にほん');
    for (const init of [{ isComposing: true }, { keyCode: 229 }]) {
      input(el).dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true, cancelable: true, ...init }));
      await el.updateComplete;
    }
    await sleep(100);
    expect(await requestsFor(id)).to.have.length(0);
    expect(input(el).value).to.equal('にほん');
    await pressEnter(el);
    await waitForReplies(el, 1);
  });

  it('allows one request in flight, shows a typing indicator, and keeps typing possible', async () => {
    const { el, id } = await chatWith('slow400');
    await type(el, 'first');
    await pressEnter(el);
    expect($(el, '.typing')).to.exist;
    expect($(el, '[part~="stop-button"]')).to.exist;
    await type(el, 'second, typed while waiting');
    expect(input(el).disabled).to.equal(false);
    await pressEnter(el);
    expect(input(el).value).to.equal('second, typed while waiting');
    await waitForReplies(el, 1);
    expect(await requestsFor(id)).to.have.length(1);
    expect($(el, '.typing')).to.not.exist;
    expect(assistantMessages(el)).to.have.length(1);
  });

  it('send() from the page while a reply is awaited waits its turn: nothing is dropped, one request at a time, in order', async () => {
    const { el, id } = await chatWith('slow400,ok,ok');
    await type(el, 'typed first');
    await pressEnter(el);
    const second = el.send('sent by the page');
    const third = el.send('and another');
    await sleep(200);
    expect(await requestsFor(id), 'still one request in flight').to.have.length(1);
    expect(userMessages(el), 'the waiting sends are not in the transcript yet').to.have.length(1);
    await Promise.all([second, third]);
    expect((await requestsFor(id)).map((r) => JSON.parse(r.body).message)).to.deep.equal(['typed first', 'sent by the page', 'and another']);
    expect(bubbles(el)).to.deep.equal([
      'typed first',
      'Slow reply to: typed first',
      'sent by the page',
      'Reply 2 to: sent by the page',
      'and another',
      'Reply 3 to: and another',
    ]);
  });

  it('fires a cancelable thinnest-chat-send; preventDefault stops the send', async () => {
    const { el, id } = await chatWith('ok');
    const seen: Array<{ message: string; sessionId: string }> = [];
    el.addEventListener('thinnest-chat-send', (event) => {
      seen.push(event.detail);
      event.preventDefault();
    });
    await type(el, 'blocked');
    await pressEnter(el);
    expect(seen).to.have.length(1);
    expect(seen[0].message).to.equal('blocked');
    expect(await requestsFor(id)).to.have.length(0);
    expect(el.messages).to.have.length(0);
    expect(input(el).value).to.equal('blocked');
  });

  it('fires thinnest-chat-reply with the reply, session and metadata', async () => {
    const { el } = await chatWith('ok');
    let detail: { message: string; sessionId: string; metadata: unknown } | undefined;
    el.addEventListener('thinnest-chat-reply', (e) => (detail = e.detail));
    await el.send('hi');
    expect(detail).to.deep.equal({
      message: 'Reply 1 to: hi',
      sessionId: el.sessionId,
      metadata: { model: 'fake', latency_ms: 1 },
    });
  });

  it('sends a suggestion when clicked, and hides suggestions once the chat started', async () => {
    const { el, id } = await chatWith('ok');
    el.suggestions = ['What do you offer?', 'Pricing'];
    await el.updateComplete;
    const chips = Array.from(el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~="suggestion"]'));
    expect(chips.map((c) => c.textContent!.trim())).to.deep.equal(['What do you offer?', 'Pricing']);
    chips[1].click();
    await waitForReplies(el, 1);
    expect(JSON.parse((await requestsFor(id))[0].body).message).to.equal('Pricing');
    expect(el.shadowRoot!.querySelector('[part~="suggestion"]')).to.not.exist;
  });

  it('shows no suggestion longer than max-length (a click could not send it), and shows it once the limit allows', async () => {
    const { el } = await chatWith('ok', { 'max-length': '10' });
    el.suggestions = ['Pricing', 'What do you offer?'];
    await el.updateComplete;
    const chips = () => Array.from(el.shadowRoot!.querySelectorAll('[part~="suggestion"]')).map((c) => c.textContent!.trim());
    expect(chips()).to.deep.equal(['Pricing']);
    el.maxLength = 100;
    await el.updateComplete;
    expect(chips()).to.deep.equal(['Pricing', 'What do you offer?']);
  });

  it('reads suggestions from a JSON attribute', async () => {
    const { el } = await chatWith('ok', { suggestions: '["A", "B"]' });
    expect(el.suggestions).to.deep.equal(['A', 'B']);
    await until(() => el.shadowRoot!.querySelectorAll('[part~="suggestion"]').length === 2, 'suggestions shown');
  });

  it('reads JSON text handed to the suggestions property as the attribute would be (Vue and Svelte set properties), and ignores anything else with a warning', async () => {
    const { el } = await chatWith('ok');
    const errors: string[] = [];
    const onError = (event: ErrorEvent) => errors.push(String(event.message));
    window.addEventListener('error', onError);
    const warn = console.warn;
    const warnings: string[] = [];
    console.warn = (...args: unknown[]) => void warnings.push(args.join(' '));
    try {
      (el as unknown as { suggestions: unknown }).suggestions = '["A", "B"]';
      await el.updateComplete;
      expect(el.suggestions).to.deep.equal(['A', 'B']);
      expect(Array.from(el.shadowRoot!.querySelectorAll('[part~="suggestion"]'), (c) => c.textContent!.trim())).to.deep.equal(['A', 'B']);
      for (const junk of ['not json', 42, { a: 1 }, [1], ['A', 2], null]) {
        (el as unknown as { suggestions: unknown }).suggestions = junk;
        await el.updateComplete;
        expect(el.suggestions, String(junk)).to.deep.equal([]);
        expect(el.shadowRoot!.querySelector('[part~="suggestion"]')).to.not.exist;
      }
      await sleep(50);
    } finally {
      console.warn = warn;
      window.removeEventListener('error', onError);
    }
    expect(errors).to.deep.equal([]);
    expect(warnings.filter((w) => w.includes('suggestions attribute must be a JSON array'))).to.have.length(5); // null is simply none
    expect(el.shadowRoot!.querySelector('[part~="input"]')).to.exist;
  });
});

describe('credentials (SPEC §3)', () => {
  // The page's cookie goes to a proxy on the page's own origin by default (fetch's same-origin) and with
  // "include"; "omit" sends none. The fake proxy logs each request's headers.
  for (const [credentials, sent] of [[undefined, true], ['include', true], ['omit', false]] as const) {
    it(`${credentials ? `credentials="${credentials}"` : 'by default'} ${sent ? 'sends' : 'does not send'} the page's cookie to a same-origin proxy`, async () => {
      const cookie = `thinnest-credentials-${Math.random().toString(36).slice(2)}`;
      document.cookie = `${cookie}=1; path=/`;
      try {
        const { el, id } = await chatWith('ok', credentials ? { credentials } : {});
        await el.send('Hello');
        const [request] = await requestsFor(id);
        expect((request.headers.cookie ?? '').includes(`${cookie}=1`), request.headers.cookie ?? 'no cookie header').to.equal(sent);
      } finally {
        document.cookie = `${cookie}=; path=/; max-age=0`;
      }
    });
  }
});

describe('values a template left empty, a framework removed, or a typo', () => {
  it('credentials: anything but include or omit is the default, same-origin, and the chat works (fetch throws for any other)', async () => {
    const cookie = `thinnest-credentials-${Math.random().toString(36).slice(2)}`;
    document.cookie = `${cookie}=1; path=/`;
    try {
      for (const set of [(el: ThinnestChat) => el.setAttribute('credentials', 'true'), (el: ThinnestChat) => el.setAttribute('credentials', ''), (el: ThinnestChat) => el.removeAttribute('credentials')]) {
        const { el, id } = await chatWith('ok', { credentials: 'include' });
        set(el);
        await el.updateComplete;
        expect(el.credentials).to.equal('same-origin');
        await el.send('Hello');
        const [request] = await requestsFor(id);
        expect(el.messages.map((m) => m.status ?? 'delivered'), 'sent and answered').to.deep.equal(['delivered', 'delivered']);
        expect((request.headers.cookie ?? '').includes(`${cookie}=1`), 'the same-origin cookie went').to.equal(true);
      }
    } finally {
      document.cookie = `${cookie}=; path=/; max-age=0`;
    }
  });

  it('max-length: an empty, removed, zero or mistyped value is the default 4000, so the counter makes sense and sending works', async () => {
    for (const value of ['', null, '0', 'abc']) {
      const { el, id } = await chatWith('ok', { 'max-length': '10' });
      if (value === null) el.removeAttribute('max-length');
      else el.setAttribute('max-length', value);
      await el.updateComplete;
      expect(el.maxLength, String(value)).to.equal(4000);
      await type(el, 'Hello');
      expect($(el, '[part~="counter"]')!.textContent).to.contain('5 / 4000');
      await pressEnter(el);
      await waitForReplies(el, 1);
      expect(await requestsFor(id)).to.have.length(1);
    }
  });
});

describe('the events a page listens to', () => {
  // What createChatEvent makes is checked in Node (test/unit/events.test.ts); crossing a shadow root needs a DOM.
  it('reach the page from inside a shadow root, and only thinnest-chat-send can be prevented', () => {
    const host = document.createElement('div');
    const inner = document.createElement('span');
    host.attachShadow({ mode: 'open' }).append(inner);
    document.body.append(host);
    const heard: string[] = [];
    const listener = (event: Event) => {
      heard.push(event.type);
      event.preventDefault();
    };
    try {
      document.addEventListener('thinnest-chat-send', listener);
      document.addEventListener('thinnest-chat-reply', listener);
      const sent = inner.dispatchEvent(createChatEvent('thinnest-chat-send', { message: 'hi', sessionId: 's' }));
      const replied = inner.dispatchEvent(
        createChatEvent('thinnest-chat-reply', { message: 'yo', sessionId: 's', metadata: {} }),
      );
      expect(heard).to.deep.equal(['thinnest-chat-send', 'thinnest-chat-reply']);
      expect(sent).to.equal(false);
      expect(replied).to.equal(true);
    } finally {
      document.removeEventListener('thinnest-chat-send', listener);
      document.removeEventListener('thinnest-chat-reply', listener);
      host.remove();
    }
  });
});

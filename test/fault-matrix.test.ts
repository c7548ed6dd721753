// Issue 5, broken networks: the fault matrix of docs/fault-matrix.md, one test per row, through
// the real element against the real HTTP fake of the proxy (test/fake-proxy.mjs). Each row starts
// from a conversation that already has a delivered exchange, then meets the fault, and checks
// what the visitor sees (the reason in plain words, a retry control exactly when retrying can
// help), that their text is kept, that retry sends it once (never a duplicate request or bubble),
// and that the session is not lost (same session id on every request, and after a reload).
import { expect, fixture, html } from '@open-wc/testing';
import { englishStrings as en, type ThinnestChat } from '../src/index.js';
import { format } from '../src/strings.js';
import {
  $,
  bubbles,
  chatWith,
  fakeUrl,
  input,
  requestsFor,
  retryButton,
  sleep,
  uniqueId,
  until,
  userMessages,
  waitForFailure,
  waitForReplies,
  recordErrors,
  reason,
  sendAsVisitor,
} from './helpers/chat.js';
import { closePages, openPage, reloadPage } from './helpers/pages.js';

interface Fault {
  /** The row of the matrix, as in docs/fault-matrix.md. */
  name: string;
  /** The fake's script for the faulty request (and, for retry 'same', the one after it). */
  steps: string;
  /** Where the faulty request goes, when not to the fake. */
  url?: string;
  attributes?: Record<string, string>;
  code: string;
  status: number;
  text: string;
  retryable: boolean;
  /** How retry is shown to deliver: the same proxy now answers, or the network is back (a working proxy). */
  retry: 'same' | 'network back' | 'none';
  /**
   * Requests the faulty proxy may see for the widget's one fetch: Chromium itself resends a POST
   * whose connection closed without a response, several times; the widget's own fetches are counted apart.
   */
  faultRequests?: (count: number) => boolean;
}

const faults: Fault[] = [
  { name: '400 bad request', steps: 's400', code: 'bad_request', status: 400, text: en.errorBadRequest, retryable: false, retry: 'none' },
  { name: '401 unauthorized (proxy key rejected)', steps: 's401', code: 'unauthorized', status: 401, text: en.errorUnavailable, retryable: false, retry: 'none' },
  { name: '403 origin not allowed', steps: 's403', code: 'forbidden', status: 403, text: en.errorUnavailable, retryable: false, retry: 'none' },
  { name: '404 agent not found', steps: 's404', code: 'not_found', status: 404, text: en.errorUnavailable, retryable: false, retry: 'none' },
  { name: '413 payload too large', steps: 's413', code: 'payload_too_large', status: 413, text: en.errorTooLarge, retryable: false, retry: 'none' },
  { name: '429 without Retry-After', steps: 's429,ok', code: 'rate_limited', status: 429, text: en.errorRateLimited, retryable: true, retry: 'same' },
  { name: '500 upstream error', steps: 's500,ok', code: 'server_error', status: 500, text: en.errorServer, retryable: true, retry: 'same' },
  { name: '502 bad gateway', steps: 's502,ok', code: 'bad_gateway', status: 502, text: en.errorBadGateway, retryable: true, retry: 'same' },
  { name: '503 service unavailable', steps: 's503,ok', code: 'service_unavailable', status: 503, text: en.errorBusy, retryable: true, retry: 'same' },
  { name: '504 gateway timeout', steps: 's504,ok', code: 'gateway_timeout', status: 504, text: en.errorGatewayTimeout, retryable: true, retry: 'same' },
  {
    name: 'timeout (no first byte within the timeout)',
    steps: 'slow4000,ok',
    attributes: { timeout: '1000' },
    code: 'timeout',
    status: 0,
    text: format(en.errorTimeout, { seconds: 1 }),
    retryable: true,
    retry: 'same',
  },
  { name: 'dropped connection (no response)', steps: 'drop', code: 'network', status: 0, text: en.errorNetwork, retryable: true, retry: 'network back', faultRequests: (n) => n >= 1 },
  { name: 'DNS-like failure (unresolvable proxy host)', steps: '', url: 'http://nonexistent.invalid/api/chat', code: 'network', status: 0, text: en.errorNetwork, retryable: true, retry: 'network back', faultRequests: (n) => n === 0 },
  { name: 'body cut mid-JSON (connection closes)', steps: 'cut', code: 'network', status: 0, text: en.errorNetwork, retryable: true, retry: 'network back' },
  { name: 'body cut mid-JSON (cleanly ended)', steps: 'cutend,ok', code: 'invalid_response', status: 200, text: en.errorInvalidResponse, retryable: true, retry: 'same' },
  { name: 'HTML 502 page from a CDN', steps: 'html502,ok', code: 'bad_gateway', status: 502, text: en.errorBadGateway, retryable: true, retry: 'same' },
  { name: 'HTML 503 page from a CDN', steps: 'html503,ok', code: 'service_unavailable', status: 503, text: en.errorBusy, retryable: true, retry: 'same' },
  { name: 'HTML page with 200 (captive portal)', steps: 'html,ok', code: 'invalid_response', status: 200, text: en.errorInvalidResponse, retryable: true, retry: 'same' },
  { name: 'success: false with 200', steps: 'false,ok', code: 'server_error', status: 200, text: en.errorServer, retryable: true, retry: 'same' },
  { name: 'JSON of the wrong shape', steps: 'shape,ok', code: 'invalid_response', status: 200, text: en.errorInvalidResponse, retryable: true, retry: 'same' },
  { name: 'empty 200', steps: 'empty,ok', code: 'invalid_response', status: 200, text: en.errorInvalidResponse, retryable: true, retry: 'same' },
  { name: 'redirect to another origin (not followed)', steps: 'redirect,ok', code: 'invalid_response', status: 0, text: en.errorInvalidResponse, retryable: true, retry: 'same' },
];

/** Text of the proxy's bodies and pages that must never reach the visitor. */
const LEAKS = ['<', 'Fake failure', 'agent_error', 'Bad gateway', 'wrong field', '"success"', 'Cut reply'];

/** Counts the widget's own fetches (wrapping window.fetch, as analytics would) until `stop`. */
function countFetches(): { count: () => number; stop: () => void } {
  const original = window.fetch;
  let calls = 0;
  window.fetch = function (this: unknown, ...args: Parameters<typeof fetch>) {
    if (!String(args[0]).includes('/_requests')) calls++;
    return original.apply(this, args);
  } as typeof fetch;
  return { count: () => calls, stop: () => (window.fetch = original) };
}

function stored(el: ThinnestChat): { sessionId: string; messages: Array<{ text: string; status?: string }> } {
  return JSON.parse(localStorage.getItem(`thinnest-chat:${el.getAttribute('storage-key')}`) ?? 'null');
}

/** A widget with one delivered exchange on a working fake: the conversation a fault must not lose. */
async function conversationUnderway(attributes: Record<string, string> = {}): Promise<{ el: ThinnestChat; sessionId: string }> {
  const { el } = await chatWith('ok', attributes);
  await sendAsVisitor(el, 'First message');
  await waitForReplies(el, 1);
  expect(el.sessionId).to.be.a('string');
  return { el, sessionId: el.sessionId! };
}

/** The session survives: the same id in storage, and a re-created widget (a reload) shows the same transcript. */
async function expectSessionKept(el: ThinnestChat, sessionId: string): Promise<void> {
  expect(el.sessionId, 'session id').to.equal(sessionId);
  await until(() => stored(el)?.messages.length === el.messages.length, 'transcript stored');
  expect(stored(el).sessionId, 'stored session id').to.equal(sessionId);
  const again = await fixture<ThinnestChat>(
    html`<thinnest-chat storage-key=${el.getAttribute('storage-key')!} proxy-url=${el.getAttribute('proxy-url')!}></thinnest-chat>`,
  );
  expect(again.sessionId, 'session after a reload').to.equal(sessionId);
  expect(again.messages.map((m) => m.text), 'transcript after a reload').to.deep.equal(el.messages.map((m) => m.text));
}

describe('fault matrix (docs/fault-matrix.md)', function () {
  this.timeout(30000);
  afterEach(closePages);

  for (const row of faults) {
    it(`fault: ${row.name}`, async () => {
      const { el, sessionId } = await conversationUnderway(row.attributes);
      const errors = recordErrors(el);
      const id = uniqueId('fault');
      el.setAttribute('proxy-url', row.url ?? fakeUrl(id, row.steps));
      await el.updateComplete;
      const text = `Message meeting: ${row.name}`;
      const fetches = countFetches();
      try {
        await sendAsVisitor(el, text);
        await waitForFailure(el);
        expect(fetches.count(), 'the widget fetched once').to.equal(1);
      } finally {
        fetches.stop();
      }

      // What the visitor sees: their text, kept, marked not delivered, in plain words.
      expect(bubbles(el)).to.deep.equal(['First message', 'Reply 1 to: First message', text]);
      expect(el.messages.at(-1)).to.include({ text, status: 'failed' });
      const note = userMessages(el)[1].querySelector<HTMLElement>('[part~="error"]')!;
      expect(note.textContent).to.contain(en.notDelivered);
      expect(reason(el)).to.equal(row.text);
      for (const leak of LEAKS) expect(note.textContent, `the note shows "${leak}"`).to.not.contain(leak);
      expect(errors).to.deep.equal([{ code: row.code, status: row.status, message: row.text, retryable: row.retryable }]);
      expect(input(el).value, 'the composer is free').to.equal('');
      expect($(el, '[part~="stop-button"]')).to.not.exist;
      const sentToFault = row.url ? [] : await requestsFor(id);
      expect((row.faultRequests ?? ((n) => n === 1))(sentToFault.length), `requests to the faulty proxy: ${sentToFault.length}`).to.equal(true);
      for (const request of sentToFault) expect(JSON.parse(request.body)).to.deep.equal({ message: text, session_id: sessionId });
      if (row.steps.startsWith('redirect')) expect(await requestsFor(`${id}-elsewhere`), 'nothing sent to the other origin').to.deep.equal([]);

      if (row.retry === 'none') {
        expect(retryButton(el), 'no retry control').to.not.exist;
      } else {
        const retry = retryButton(el)!;
        expect(retry.textContent!.trim()).to.equal(en.retryButton);
        const backId = `${id}-back`;
        if (row.retry === 'network back') {
          el.setAttribute('proxy-url', fakeUrl(backId, 'ok'));
          await el.updateComplete;
        }
        const retryFetches = countFetches();
        try {
          retry.click();
          retry.click(); // a double click sends once
          await waitForReplies(el, 2);
          await sleep(150); // room for a duplicate request to arrive, if one were sent
          expect(retryFetches.count(), 'the widget fetched once for the retry').to.equal(1);
        } finally {
          retryFetches.stop();
        }
        const retried = row.retry === 'same' ? (await requestsFor(id)).slice(sentToFault.length) : await requestsFor(backId);
        expect(retried.map((r) => JSON.parse(r.body)), 'exactly one retry, same text and session').to.deep.equal([{ message: text, session_id: sessionId }]);
        expect(bubbles(el).slice(0, 3)).to.deep.equal(['First message', 'Reply 1 to: First message', text]);
        expect(bubbles(el)[3]).to.match(new RegExp(`^Reply \\d to: ${text.replace(/[()`]/g, '\\$&')}$`));
        expect(userMessages(el), 'no duplicate bubble').to.have.length(2);
        expect(el.messages.map((m) => m.status)).to.deep.equal([undefined, undefined, undefined, undefined]);
        expect($(el, '[part~="error"]')).to.not.exist;
        expect(errors, 'no error for the successful retry').to.have.length(1);
      }
      await expectSessionKept(el, sessionId);
    });
  }

  it('fault: 429 with Retry-After (retry offered only after the wait)', async () => {
    const { el, sessionId } = await conversationUnderway();
    const id = uniqueId('fault');
    el.setAttribute('proxy-url', fakeUrl(id, 's429r1,ok'));
    await el.updateComplete;
    await sendAsVisitor(el, 'Too quick');
    await waitForFailure(el);
    expect(reason(el)).to.equal(format(en.errorRateLimitedFor, { seconds: 1 }));
    const retry = retryButton(el)!;
    expect(retry.getAttribute('aria-disabled'), 'retry waits for Retry-After').to.equal('true');
    expect(retry.textContent!.trim()).to.equal(format(en.retryIn, { seconds: 1 }));
    retry.click();
    await sleep(100);
    expect(await requestsFor(id), 'a disabled retry sends nothing').to.have.length(1);
    await until(() => retryButton(el)?.getAttribute('aria-disabled') === 'false', 'retry enabled after Retry-After', 10000);
    retryButton(el)!.click();
    await waitForReplies(el, 2);
    expect((await requestsFor(id)).map((r) => JSON.parse(r.body))).to.deep.equal([
      { message: 'Too quick', session_id: sessionId },
      { message: 'Too quick', session_id: sessionId },
    ]);
    expect(userMessages(el)).to.have.length(2);
    await expectSessionKept(el, sessionId);
  });

  it('fault: slow first byte (1.5 s, within the timeout): typing shown, stop offered, delivered once', async () => {
    const { el, sessionId } = await conversationUnderway();
    const id = uniqueId('fault');
    el.setAttribute('proxy-url', fakeUrl(id, 'slow1500'));
    await el.updateComplete;
    await sendAsVisitor(el, 'Take your time');
    await until(() => el.messages.at(-1)?.status === 'pending', 'pending');
    await el.updateComplete;
    expect($(el, '.typing'), 'typing indicator while waiting').to.exist;
    expect($(el, '[part~="stop-button"]'), 'stop control while waiting').to.exist;
    await waitForReplies(el, 2);
    expect(bubbles(el).slice(2)).to.deep.equal(['Take your time', 'Slow reply to: Take your time']);
    expect(await requestsFor(id)).to.have.length(1);
    expect($(el, '.typing')).to.not.exist;
    await expectSessionKept(el, sessionId);
  });

  it('fault: slow body (the reply trickles in over 1 s): delivered once', async () => {
    const { el, sessionId } = await conversationUnderway();
    const id = uniqueId('fault');
    el.setAttribute('proxy-url', fakeUrl(id, 'trickle'));
    await el.updateComplete;
    await sendAsVisitor(el, 'Drip');
    await waitForReplies(el, 2);
    expect(bubbles(el).slice(2)).to.deep.equal(['Drip', 'Trickled reply to: Drip']);
    expect(await requestsFor(id)).to.have.length(1);
    await expectSessionKept(el, sessionId);
  });

  it('fault: offline, then online (retried by itself, exactly once)', async () => {
    const { el, sessionId } = await conversationUnderway();
    const id = uniqueId('fault');
    el.setAttribute('proxy-url', fakeUrl(id, 'ok'));
    await el.updateComplete;
    const errors = recordErrors(el);
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
    try {
      await sendAsVisitor(el, 'Sent in a tunnel');
      await waitForFailure(el);
      expect(reason(el)).to.equal(en.errorOffline);
      expect(retryButton(el), 'retry offered while offline').to.exist;
      expect(await requestsFor(id), 'nothing sent while offline').to.have.length(0);
    } finally {
      delete (navigator as { onLine?: boolean }).onLine;
    }
    // Back online: the browser fires `online` (sometimes more than once).
    window.dispatchEvent(new Event('online'));
    window.dispatchEvent(new Event('online'));
    await waitForReplies(el, 2);
    window.dispatchEvent(new Event('online'));
    await sleep(200);
    expect((await requestsFor(id)).map((r) => JSON.parse(r.body))).to.deep.equal([{ message: 'Sent in a tunnel', session_id: sessionId }]);
    expect(bubbles(el).slice(2)).to.deep.equal(['Sent in a tunnel', 'Reply 1 to: Sent in a tunnel']);
    expect(errors.map((e) => e.code)).to.deep.equal(['offline']);
    await expectSessionKept(el, sessionId);
  });

  it('fault: the page reloads while a reply is pending (shown as not delivered, retry once)', async () => {
    const key = `fault-reload-${uniqueId()}`;
    const id = uniqueId('fault');
    let page = await openPage(`/test/pages/widget.html?key=${key}&proxy=${encodeURIComponent(fakeUrl(id, 'ok,hang'))}`);
    await page.el.send('First message');
    const sessionId = page.el.sessionId!;
    void page.el.send('Sent just before the reload');
    await until(() => page.el.messages.at(-1)?.status === 'pending', 'pending');
    const deadline = Date.now() + 8000;
    while ((await requestsFor(id)).length < 2 && Date.now() < deadline) await sleep(25);

    page = await reloadPage(page);
    const el = page.el;
    expect(el.sessionId).to.equal(sessionId);
    expect(el.messages.map((m) => m.text)).to.deep.equal(['First message', 'Reply 1 to: First message', 'Sent just before the reload']);
    await until(() => el.messages.at(-1)?.status === 'failed', 'marked undelivered once the old page’s Web Lock is gone');
    await el.updateComplete;
    // Chromium unloads with the request still pending (stored as pending, shown as interrupted);
    // Firefox first fails the fetch as the page goes (stored as a dropped connection). Either way: not delivered, retry.
    const { code, retryable } = el.messages.at(-1)!.error!;
    expect(['interrupted', 'network']).to.include(code);
    expect(retryable).to.equal(true);
    expect(reason(el)).to.equal(code === 'interrupted' ? en.errorInterrupted : en.errorNetwork);
    expect(el.shadowRoot!.querySelector('[part~="error"]')!.textContent).to.contain(en.notDelivered);
    expect($(el, '.typing'), 'no typing indicator for a request that is gone').to.not.exist;

    const backId = `${id}-back`;
    el.setAttribute('proxy-url', fakeUrl(backId, 'ok'));
    await el.updateComplete;
    retryButton(el)!.click();
    retryButton(el)?.click();
    await until(() => el.messages.length === 4, 'the retried message answered');
    await sleep(150);
    expect((await requestsFor(backId)).map((r) => JSON.parse(r.body))).to.deep.equal([{ message: 'Sent just before the reload', session_id: sessionId }]);
    expect(el.messages.map((m) => m.status)).to.deep.equal([undefined, undefined, undefined, undefined]);
    expect(el.shadowRoot!.querySelectorAll('[part~="user-message"]')).to.have.length(2);
    localStorage.removeItem(`thinnest-chat:${key}`);
  });
});

// SPEC §4 Hostile pages and §3/§6: the widget works under a strict Content-Security-Policy
// with Trusted Types (test/csp-pages.mjs sets it on test/csp/*.html), both as an ES module and
// as the self-contained script loaded twice. The pages record every `securitypolicyviolation`
// in window.__violations and every uncaught error in window.__errors.
import { expect } from '@open-wc/testing';
import type { ThinnestChat } from '../src/index.js';
import { fakeUrl, requestsFor, uniqueId, until } from './helpers/chat.js';
import { askForPlans, closePages, openPage } from './helpers/pages.js';

interface CspWindow extends Window {
  __violations: string[];
  __errors: string[];
}

interface CspPage {
  frame: HTMLIFrameElement;
  win: CspWindow;
  el: ThinnestChat;
}

afterEach(closePages);

/** Loads a CSP page in a same-origin iframe and waits for its widget to be defined and rendered. */
async function openCspPage(path: string): Promise<CspPage> {
  const page = await openPage(path);
  expect(page.win.__violations, `${path} runs record-violations.js`).to.be.an('array');
  return page as CspPage;
}

/**
 * Waits until every violation caused so far has been reported: a deliberate one (an http:
 * image, which img-src refuses) is queued after them, so once it arrives the earlier ones have too.
 * Returns the violations other than the deliberate one.
 */
async function settledViolations(win: CspWindow): Promise<string[]> {
  const marker = `csp-sentinel-${uniqueId()}`;
  const img = win.document.createElement('img');
  img.src = `http://${marker}.invalid/pixel.png`;
  win.document.body.append(img);
  await until(() => win.__violations.some((v) => v.includes(marker)), 'the deliberate violation is reported', 8000);
  img.remove();
  return win.__violations.filter((v) => !v.includes(marker));
}

/** Sends through the widget in the page and checks the markdown reply (table and code) rendered. */
async function chatInPage({ el }: CspPage): Promise<void> {
  // The welcome message is markdown rendered under the policy too.
  const welcome = el.shadowRoot!.querySelector('[part~="assistant-message"] .bubble strong');
  expect(welcome?.textContent, 'the welcome message rendered').to.equal('Hello');

  const id = uniqueId('csp');
  await askForPlans(el, fakeUrl(id, 'md'));
  expect(await requestsFor(id), 'the message reached the proxy').to.have.length(1);
  const reply = el.shadowRoot!.querySelector('[part~="assistant-message"][data-id] .bubble');
  // The widget's own styles applied (adopted stylesheets, no inline style): the code block is styled.
  const pre = reply!.querySelector('pre')!;
  expect(pre.ownerDocument.defaultView!.getComputedStyle(pre).overflowX).to.equal('auto');

  // An error with its retry control, then a reply with an image and a link, under the same policy.
  const failing = uniqueId('csp');
  el.setAttribute('proxy-url', fakeUrl(failing, 's503,mdimg'));
  await el.updateComplete;
  await el.send('Show me a chart');
  await el.updateComplete;
  expect(el.messages.at(-1)?.status, 'the 503 shows as a failure').to.equal('failed');
  const retry = el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="retry-button"]');
  expect(retry, 'the retry control').to.exist;
  retry!.click();
  // (A new proxy-url without a storage-key is a new conversation: this one has just the retried exchange.)
  await until(() => el.messages.at(-1)?.role === 'assistant', 'the retried message answered');
  expect(el.messages.map((m) => m.role)).to.deep.equal(['user', 'assistant']);
  await el.updateComplete;
  expect(await requestsFor(failing), 'failed once, retried once').to.have.length(2);
  const replies = el.shadowRoot!.querySelectorAll('[part~="assistant-message"][data-id] .bubble');
  const withImage = replies[replies.length - 1];
  const img = withImage.querySelector('img')!;
  expect(img.getAttribute('src')).to.equal('https://example.com/chart.png');
  expect(img.getAttribute('loading')).to.equal('lazy');
  expect(withImage.querySelector('a')!.getAttribute('href')).to.equal('https://example.com/docs');
  expect(el.shadowRoot!.querySelector('[part~="error"]'), 'the failure note is gone').to.not.exist;
}

describe('under a strict CSP with Trusted Types', function () {
  // Loading a whole page (and, for the module page, transforming the sources) on a loaded machine.
  this.timeout(40000);

  it('the recorder sees violations (the checks can fail)', async () => {
    const page = await openCspPage('/test/csp/module.html');
    // An inline <style>, the kind of thing a widget might inject: refused and reported.
    const style = page.win.document.createElement('style');
    style.textContent = 'main { outline: 3px solid red; }';
    page.win.document.head.append(style);
    await until(() => page.win.__violations.some((v) => v.startsWith('style-src')), 'the inline style is reported');
    expect(page.win.getComputedStyle(page.win.document.querySelector('main')!).outlineStyle).to.not.equal('solid');
    // Trusted Types are enforced (each engine tested has them; WebKit since Safari 26): a plain string
    // written as HTML is refused, so the widget's renders below pass only through its named policies.
    expect('trustedTypes' in page.win, 'this engine has Trusted Types').to.equal(true);
    const probe = page.win.document.createElement('div');
    expect(() => (probe.innerHTML = '<b>x</b>')).to.throw();
    expect(probe.innerHTML).to.equal('');
    // And the error recorder hears the page's uncaught errors.
    page.win.dispatchEvent(new (page.win as unknown as typeof globalThis).ErrorEvent('error', { message: 'probe error' }));
    expect(page.win.__errors.some((e) => e.includes('probe error'))).to.equal(true);
  });

  it('the ES module build renders a markdown reply with no violation', async () => {
    const page = await openCspPage('/test/csp/module.html');
    await chatInPage(page);
    expect(await settledViolations(page.win)).to.deep.equal([]);
    expect(page.win.__errors).to.deep.equal([]);
  });

  it('the self-contained script, loaded twice, throws nothing and renders a markdown reply with no violation', async () => {
    const built = await fetch('/dist/thinnest-chat.min.js', { cache: 'no-store' });
    const source = built.ok ? await built.text() : '';
    expect(
      built.ok && source.includes('thinnest-chat'),
      'dist/thinnest-chat.min.js is missing: run `npm run build` before the browser tests',
    ).to.equal(true);

    const page = await openCspPage('/test/csp/script-tag.html');
    // Both tags are on the page and both ran (the second one deferred, after parsing).
    expect(page.win.document.querySelectorAll('script[src="/dist/thinnest-chat.min.js"]')).to.have.length(2);
    expect(page.win.document.readyState).to.equal('complete');
    await chatInPage(page);
    expect(await settledViolations(page.win)).to.deep.equal([]);
    expect(page.win.__errors, 'errors from loading the script twice').to.deep.equal([]);
    // One definition, the one the element on the page was upgraded with; a naive second
    // define would have thrown, which is what the second tag must avoid.
    expect(page.win.customElements.get('thinnest-chat')).to.equal(page.el.constructor);
    const OtherElement = class extends (page.win as unknown as typeof globalThis).HTMLElement {};
    expect(() => page.win.customElements.define('thinnest-chat', OtherElement)).to.throw();
  });
});

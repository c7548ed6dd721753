// SPEC §4 Accessible, everything works from the keyboard: the whole flow by real key presses,
// in bubble mode:
// Tab to the launcher, open it, pick a suggestion, type, send, reach the reply's link and code
// copy button, retry a failure, start a new conversation, close with Escape, focus back on the
// launcher, and open again with Space.
import { expect, fixture, html } from '@open-wc/testing';
import { press, typeKeys } from './helpers/commands.js';
import type { ThinnestChat } from '../src/index.js';
import { englishStrings as en } from '../src/english.js';
import { $, fakeUrl, input, requestsFor, stillMotion, uniqueId, until, waitForFailure, waitForReplies } from './helpers/chat.js';
import { actFocused } from './helpers/a11y.js';

before(actFocused);

/** The focused element, looking inside the widget's shadow root. */
function focused(el: ThinnestChat): Element | null {
  return document.activeElement === el ? el.shadowRoot!.activeElement : document.activeElement;
}

/** A short description of a focused element, for failure messages. */
function describe_(node: Element | null): string {
  if (!node) return 'nothing';
  const part = node.getAttribute('part');
  return part ? `[part=${part}]` : `${node.localName}.${node.className}${node.textContent ? ` "${node.textContent.trim().slice(0, 30)}"` : ''}`;
}

/** Presses `key` until `predicate` holds for the focused element, at most `limit` times. */
async function tabUntil(el: ThinnestChat, key: 'Tab' | 'Shift+Tab', predicate: (node: Element | null) => boolean, what: string, limit = 12): Promise<Element[]> {
  const path: Element[] = [];
  for (let i = 0; i < limit; i++) {
    await press(key);
    const node = focused(el);
    if (node) path.push(node);
    if (predicate(node)) return path;
  }
  throw new Error(`${key} never reached ${what}; went through ${path.map(describe_).join(', ')}`);
}

describe('keyboard only', function () {
  // Dozens of real key presses, each a round trip to the test runner, on a loaded machine.
  this.timeout(60000);
  let wrapper: HTMLElement | undefined;
  afterEach(() => wrapper?.remove());

  it('completes the whole flow in bubble mode', async function () {
    // Tried once more on a failure: under a loaded machine, with test files side by side, a key press now and then
    // lands as if it had no modifier (Shift+Tab as Tab) or gives no click (Enter on a button, Firefox). A flow that
    // is broken fails both times.
    this.retries(1);
    const id = uniqueId();
    // The suggestion gets the markdown reply; the typed message fails once and then goes through.
    // Built by hand: open-wc's fixture() waits a frame for a non-Lit root, and frames stall in a background window.
    wrapper = document.createElement('div');
    wrapper.innerHTML = `<button id="before">A page link before the widget</button>
      <thinnest-chat mode="bubble" storage-key="test-${id}" suggestions='["Show me the plans"]'
        proxy-url="${fakeUrl(id, 'md,s500,ok')}"></thinnest-chat>`;
    document.body.append(wrapper);
    const el = wrapper.querySelector('thinnest-chat')!;
    await el.updateComplete;
    stillMotion(el);
    const launcher = $(el, '[part~="launcher"]')!;

    // Tab from the page to the launcher; Enter opens the panel and puts focus in the input.
    wrapper.querySelector<HTMLButtonElement>('#before')!.focus();
    await press('Tab');
    expect(describe_(focused(el))).to.equal(describe_(launcher));
    await press('Enter');
    await until(() => el.open && focused(el) === input(el), 'open, focus in the input');

    // Shift+Tab reaches the suggestion; Enter sends it, and focus carries on in the input. The suggestion comes with the
    // conversation's code, a moment after the panel: a visitor tabs to it once it is there. (Tabbing before, focus went
    // round through the browser's own controls, and Firefox then took Enter on the suggestion for no click.)
    await until(() => $(el, '[part~="suggestion"]') !== null, 'the suggestion shown');
    await tabUntil(el, 'Shift+Tab', (node) => node?.matches('[part~="suggestion"]') ?? false, 'the suggestion');
    await press('Enter');
    await waitForReplies(el, 1);
    expect(el.messages[0].text).to.equal('Show me the plans');
    await until(() => focused(el) === input(el), 'focus back in the input after the suggestion went away');

    // The reply's own copy button, then its code's copy button and its link, are reachable backwards from the
    // input, and its code and table too where they scroll sideways (a box that shows everything is passed by).
    const reached = await tabUntil(el, 'Shift+Tab', (node) => node?.matches('.bubble a[href]') ?? false, "the reply's link");
    const scrolling = (node: HTMLElement) => (node.scrollWidth > node.clientWidth + 1 ? [describe_(node)] : []);
    expect(reached.map(describe_)).to.deep.equal([
      describe_($(el, '[part~="copy-button"]')),
      describe_($(el, '.md-copy')),
      ...scrolling($(el, '.md-code pre')!),
      ...scrolling($(el, '.md-table')!),
      describe_($(el, '.bubble a[href]')),
    ]);
    expect(reached[0].textContent).to.equal(en.copyReply);
    expect(reached[1].textContent).to.equal(en.copyCode);
    // Enter on the copy button keeps focus there (copied, or the code selected where the clipboard is refused).
    await tabUntil(el, 'Tab', (node) => node?.matches('.md-copy') ?? false, 'the copy button');
    await press('Enter');
    expect(focused(el)).to.equal($(el, '.md-copy'));

    // Back to the input, type, send with Enter: it fails, and the retry control is one Shift+Tab away.
    await tabUntil(el, 'Tab', (node) => node === input(el), 'the input');
    await typeKeys('Can I pay yearly?');
    expect(input(el).value).to.equal('Can I pay yearly?');
    await press('Enter');
    await waitForFailure(el);
    expect(input(el).value, 'the composer is cleared').to.equal('');
    await tabUntil(el, 'Shift+Tab', (node) => node?.matches('[part~="retry-button"]') ?? false, 'the retry button', 2);
    expect(focused(el)!.textContent!.trim()).to.equal(en.retryButton);
    await press('Enter');
    await waitForReplies(el, 2);
    expect(el.messages.at(-1)!.text).to.equal('Reply 3 to: Can I pay yearly?');
    await until(() => focused(el) === input(el), 'focus in the input after the retry control went away');
    expect((await requestsFor(id)).map((r) => JSON.parse(r.body).message)).to.deep.equal([
      'Show me the plans',
      'Can I pay yearly?',
      'Can I pay yearly?',
    ]);

    // Start a new conversation from the header.
    await tabUntil(el, 'Shift+Tab', (node) => node?.matches('[part~="new-session-button"]') ?? false, 'the new conversation button', 16);
    await press('Enter');
    await until(() => el.messages.length === 0, 'the transcript is cleared');
    await until(() => focused(el) === input(el), 'focus in the input of the new conversation');

    // Escape closes the panel and puts focus back on the launcher; Space opens it again.
    await press('Escape');
    await until(() => !el.open, 'closed');
    await until(() => getComputedStyle($(el, '[part~="panel"]')!).display === 'none', 'the panel is hidden after its closing transition');
    await until(() => focused(el) === launcher, 'focus back on the launcher');
    await press(' ');
    await until(() => el.open && focused(el) === input(el), 'opened with Space');
    await press('Escape');
    await until(() => !el.open && focused(el) === launcher, 'closed again');
  });

  it('keeps Tab order the same as the visual order, header to transcript to composer', async () => {
    const id = uniqueId();
    const el = await fixture<ThinnestChat>(html`<thinnest-chat storage-key=${`test-${id}`} suggestions='["One", "Two"]'
      proxy-url=${fakeUrl(id, 'ok')}></thinnest-chat>`);
    input(el).value = 'x';
    input(el).dispatchEvent(new InputEvent('input'));
    await el.updateComplete;
    $(el, '[part~="new-session-button"]')!.focus();
    const order = [describe_(focused(el))];
    for (let i = 0; i < 5; i++) {
      await press('Tab');
      order.push(describe_(focused(el)));
    }
    expect(order).to.deep.equal([
      '[part=new-session-button]',
      // The transcript scrolls: it takes focus, so arrow keys can scroll it.
      '[part=transcript]',
      '[part=suggestion]',
      '[part=suggestion]',
      '[part=input]',
      '[part=send-button]',
    ]);
    const tops = ['new-session-button', 'suggestion', 'input'].map((part) => $(el, `[part~="${part}"]`)!.getBoundingClientRect().top);
    expect([...tops].sort((a, b) => a - b)).to.deep.equal(tops);
  });
});

// The teaser (`teaser`, `teaser-delay`): a dismissible message beside the closed bubble's launcher,
// shown after its delay, once a day per storage key, never once the visitor has chatted or opened the
// panel; a click opens the panel with it as the first assistant bubble. Its code is a chunk of its own
// (src/teaser.ts), fetched only for a closed bubble with a teaser whose visitor has not chatted.
import { expect } from '@open-wc/testing';
import type { ThinnestChat } from '../src/index.js';
import '../src/locales/de.js';
import { setViewport, press } from './helpers/commands.js';
import { $, assistantMessages, chatWith, sleep, uniqueId, until } from './helpers/chat.js';

const TEXT = 'Questions about pricing? Ask me.';

/** The teaser as shown, inside its own shadow root beside the launcher; null when none is. */
function teaserOf(el: ThinnestChat): HTMLElement | null {
  return $(el, '[exportparts]')?.shadowRoot?.querySelector<HTMLElement>('[part~="teaser"]') ?? null;
}

function openButton(el: ThinnestChat): HTMLButtonElement {
  return teaserOf(el)!.querySelector<HTMLButtonElement>('.open')!;
}

function closeButton(el: ThinnestChat): HTMLButtonElement {
  return teaserOf(el)!.querySelector<HTMLButtonElement>('.close')!;
}

/** The teaser chunk's requests on this page (the dev server serves it as src/teaser.ts). */
function teaserRequests(): string[] {
  return performance
    .getEntriesByType('resource')
    .map((entry) => entry.name)
    .filter((name) => name.includes('/src/teaser.ts'));
}

/** Where a widget with storage key `test-<id>` keeps its teaser's day. */
const dayKey = (id: string) => `thinnest-chat-teaser:test-${id}`;

/** The visitor's calendar day as the teaser stores it. */
function today(): string {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}

/** A closed bubble with a teaser due after `delay` seconds; `id` names its storage key (a fresh one by default). */
async function bubbleWithTeaser(attributes: Record<string, string> = {}, delay = '0.1'): Promise<{ el: ThinnestChat; id: string }> {
  const { el, id } = await chatWith('ok', { mode: 'bubble', teaser: TEXT, 'teaser-delay': delay, ...attributes });
  return { el, id };
}

/** A second widget on the same storage key as `id`. */
async function sameKeyAs(id: string, attributes: Record<string, string> = {}): Promise<ThinnestChat> {
  return (await bubbleWithTeaser({ 'storage-key': `test-${id}`, ...attributes })).el;
}

/** Waits for the teaser to show and its entrance to end (a test page without animation frames skips it). */
async function shown(el: ThinnestChat): Promise<HTMLElement> {
  await until(() => teaserOf(el) !== null, 'the teaser shows');
  const teaser = teaserOf(el)!;
  await Promise.race([Promise.all(teaser.getAnimations().map((animation) => animation.finished)), sleep(1000)]);
  teaser.getAnimations().forEach((animation) => animation.finish());
  return teaser;
}

/** Waits past a teaser's due time, then says whether it is on screen. */
async function shownAfterWaiting(el: ThinnestChat, ms = 400): Promise<boolean> {
  await sleep(ms);
  await el.updateComplete;
  return teaserOf(el) !== null;
}

function overlaps(a: DOMRect, b: DOMRect): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

describe('the teaser beside the closed bubble', function () {
  this.timeout(20000);

  afterEach(async () => {
    await setViewport({ width: 800, height: 600 });
  });

  // First in this file: no test before it has fetched the teaser's code into this page.
  it('is off by default: a bubble without `teaser` fetches no teaser code and shows nothing beside its launcher', async () => {
    const { el } = await chatWith('ok', { mode: 'bubble', 'teaser-delay': '0' });
    expect(await shownAfterWaiting(el, 300)).to.equal(false);
    expect($(el, '[exportparts]'), 'no teaser box').to.equal(null);
    expect(teaserRequests(), 'teaser code requested').to.deep.equal([]);
    // Nor does an inline widget with a teaser: the teaser belongs to a closed bubble.
    const { el: inline } = await chatWith('ok', { teaser: TEXT, 'teaser-delay': '0' });
    expect(await shownAfterWaiting(inline, 300)).to.equal(false);
    expect(teaserRequests(), 'teaser code requested for an inline widget').to.deep.equal([]);
  });

  it('fetches no teaser code, and shows none, once the visitor has chatted (stored messages)', async () => {
    const id = uniqueId();
    localStorage.setItem(
      `thinnest-chat:test-${id}`,
      JSON.stringify({ v: 1, sessionId: 'stored-session', messages: [{ id: 'u1', role: 'user', text: 'Earlier', createdAt: Date.now() - 1000 }] }),
    );
    const { el } = await chatWith('ok', { 'storage-key': `test-${id}`, mode: 'bubble', teaser: TEXT, 'teaser-delay': '0' });
    expect(await shownAfterWaiting(el, 300)).to.equal(false);
    expect(teaserRequests(), 'teaser code requested').to.deep.equal([]);
  });

  it('appears after teaser-delay seconds, not before, beside the launcher, with the teaser text', async () => {
    const { el, id } = await bubbleWithTeaser({}, '0.6');
    await sleep(250);
    expect(teaserOf(el), 'shown before its delay').to.equal(null);
    const teaser = await shown(el);
    expect(openButton(el).textContent).to.equal(TEXT);
    expect(closeButton(el).getAttribute('aria-label')).to.equal('Dismiss');
    expect(localStorage.getItem(dayKey(id)), 'the day it was shown is kept').to.equal(today());
    expect(teaser.getBoundingClientRect().width).to.be.greaterThan(0);
  });

  it('waits 8 seconds without teaser-delay (SPEC §3), and as long for a delay that is not a number or was removed', async function () {
    this.timeout(20000);
    const plain = (await chatWith('ok', { mode: 'bubble', teaser: TEXT })).el;
    const garbled = (await bubbleWithTeaser({}, 'soon')).el;
    const removed = (await bubbleWithTeaser({}, '30')).el;
    removed.removeAttribute('teaser-delay');
    expect(plain.teaserDelay).to.equal(8);
    await sleep(7200);
    expect([teaserOf(plain), teaserOf(garbled), teaserOf(removed)], 'shown before 8 s').to.deep.equal([null, null, null]);
    await shown(plain);
    await shown(garbled);
    await shown(removed);
  });

  it('follows teaser-delay changed while it waits, counted from when it began waiting', async () => {
    const { el } = await bubbleWithTeaser({}, '30');
    await sleep(300);
    expect(teaserOf(el)).to.equal(null);
    el.teaserDelay = 0.6;
    await el.updateComplete;
    await sleep(100);
    expect(teaserOf(el), 'not before its new delay').to.equal(null);
    await shown(el);
  });

  it('never shows once the panel was opened, even closed again before its delay', async () => {
    const { el, id } = await bubbleWithTeaser({}, '0.4');
    el.show();
    await el.updateComplete;
    el.hide();
    await el.updateComplete;
    expect(await shownAfterWaiting(el, 700)).to.equal(false);
    // A day the visitor opened the panel while the teaser waited counts as a day it was seen.
    expect(localStorage.getItem(dayKey(id))).to.be.oneOf([null, today()]);
  });

  it('goes away when the panel opens, and stays away once it is closed', async () => {
    const { el } = await bubbleWithTeaser();
    await shown(el);
    el.show();
    await el.updateComplete;
    expect(teaserOf(el), 'over an open panel').to.equal(null);
    el.hide();
    await el.updateComplete;
    expect(await shownAfterWaiting(el, 300)).to.equal(false);
  });

  it('goes away once the visitor has chatted, even through send() with the panel closed', async () => {
    const { el } = await bubbleWithTeaser();
    await shown(el);
    await el.send('hello');
    await el.updateComplete;
    expect(teaserOf(el)).to.equal(null);
  });

  it('shows once a day: another widget with the same storage key does not show it again today, and does on a later day', async () => {
    const { el, id } = await bubbleWithTeaser();
    await shown(el);
    const second = await sameKeyAs(id);
    expect(await shownAfterWaiting(second), 'shown twice the same day').to.equal(false);
    // A stored day that is over: the teaser is due again.
    localStorage.setItem(dayKey(id), '2020-01-01');
    const id3 = uniqueId();
    localStorage.setItem(dayKey(id3), '2020-01-01');
    const { el: third } = await bubbleWithTeaser({ 'storage-key': `test-${id3}` });
    await shown(third);
    expect(localStorage.getItem(dayKey(id3))).to.equal(today());
  });

  it('keeps the day in memory with persist="none" (storage untouched) and where storage throws', async () => {
    const { el, id } = await bubbleWithTeaser({ persist: 'none' });
    await shown(el);
    expect(localStorage.getItem(dayKey(id)), 'written with persist="none"').to.equal(null);
    const second = await sameKeyAs(id, { persist: 'none' });
    expect(await shownAfterWaiting(second), 'shown twice on this page').to.equal(false);

    const { getItem, setItem } = Storage.prototype;
    Storage.prototype.getItem = () => {
      throw new DOMException('blocked', 'SecurityError');
    };
    Storage.prototype.setItem = () => {
      throw new DOMException('blocked', 'SecurityError');
    };
    try {
      const { el: blocked, id: blockedId } = await bubbleWithTeaser();
      await shown(blocked);
      const again = await sameKeyAs(blockedId);
      expect(await shownAfterWaiting(again), 'shown twice with storage blocked').to.equal(false);
    } finally {
      Object.assign(Storage.prototype, { getItem, setItem });
    }
  });

  it('its close button dismisses it and remembers that', async () => {
    const { el, id } = await bubbleWithTeaser();
    await shown(el);
    closeButton(el).click();
    await el.updateComplete;
    expect(teaserOf(el)).to.equal(null);
    expect(el.open, 'dismissing does not open the panel').to.equal(false);
    expect(localStorage.getItem(dayKey(id))).to.equal(today());
    expect(await shownAfterWaiting(el, 200)).to.equal(false);
    const again = await sameKeyAs(id);
    expect(await shownAfterWaiting(again)).to.equal(false);
  });

  it('a click opens the panel with the teaser as the first assistant bubble, in place of the welcome message, never sent', async () => {
    const { el } = await bubbleWithTeaser({ 'welcome-message': 'Welcome **here**.' });
    await shown(el);
    openButton(el).click();
    await el.updateComplete;
    expect(el.open).to.equal(true);
    expect(teaserOf(el)).to.equal(null);
    await until(() => assistantMessages(el).length > 0, 'the first assistant bubble');
    const bubbles = assistantMessages(el).map((node) => node.querySelector('.bubble')!.textContent!.trim());
    expect(bubbles).to.deep.equal([TEXT]);
    // Its punctuation is text, not markdown; and it is local, not a message of the conversation.
    expect(assistantMessages(el)[0].querySelector('.bubble')!.innerHTML).to.not.contain('\\');
    expect(el.messages).to.deep.equal([]);
  });

  it('takes no focus, and its buttons are reached with Tab after the launcher; Escape dismisses it', async () => {
    const before = document.createElement('button');
    before.textContent = 'A page button';
    document.body.prepend(before);
    try {
      const { el } = await bubbleWithTeaser();
      before.focus();
      await shown(el);
      await sleep(100);
      expect(document.activeElement, 'focus moved by the teaser').to.equal(before);
      await press('Tab');
      await until(() => el.shadowRoot!.activeElement === $(el, '[part~="launcher"]'), 'the launcher');
      await press('Tab');
      const box = $(el, '[exportparts]')!;
      await until(() => box.shadowRoot!.activeElement === openButton(el), 'the teaser');
      await press('Tab');
      await until(() => box.shadowRoot!.activeElement === closeButton(el), 'its close button');
      await press('Escape');
      await until(() => teaserOf(el) === null, 'dismissed by Escape');
      expect(el.open).to.equal(false);
      expect(el.shadowRoot!.activeElement, 'focus goes back to the launcher').to.equal($(el, '[part~="launcher"]'));
    } finally {
      before.remove();
    }
  });

  it('is announced politely, once', async () => {
    const { el } = await bubbleWithTeaser();
    const region = $(el, '.announce-status')!;
    let said = 0;
    const observer = new MutationObserver(() => {
      if (region.textContent === TEXT) said += 1;
    });
    observer.observe(region, { childList: true, characterData: true, subtree: true });
    await shown(el);
    for (let i = 0; i < 3; i++) {
      el.requestUpdate();
      await el.updateComplete;
    }
    await until(() => said > 0, 'announced');
    await sleep(300);
    observer.disconnect();
    expect(said).to.equal(1);
    expect(region.getAttribute('role')).to.equal('status');
    expect($(el, '.announce-alert')!.textContent).to.equal('');
  });

  it('fits a 320 px wide phone beside the launcher, without covering it', async () => {
    await setViewport({ width: 320, height: 640 });
    for (const position of ['bottom-right', 'bottom-left']) {
      const { el } = await bubbleWithTeaser({ position, teaser: 'Questions about pricing, plans, or anything else on this page? Ask me, I answer at once.' });
      const teaser = (await shown(el)).getBoundingClientRect();
      const launcher = $(el, '[part~="launcher"]')!.getBoundingClientRect();
      expect(teaser.left, position).to.be.at.least(0);
      expect(teaser.right, position).to.be.at.most(320);
      expect(teaser.top, position).to.be.at.least(0);
      expect(overlaps(teaser, launcher), `${position}: covers the launcher`).to.equal(false);
      expect(Math.abs(teaser.bottom - launcher.bottom), `level with the launcher: ${JSON.stringify([teaser, launcher, innerHeight])}`).to.be.below(8);
    }
  });

  it("follows the launcher's side, mirrored right to left", async () => {
    const side = async (attributes: Record<string, string>) => {
      const { el } = await bubbleWithTeaser(attributes);
      const teaser = (await shown(el)).getBoundingClientRect();
      const launcher = $(el, '[part~="launcher"]')!.getBoundingClientRect();
      return launcher.left > innerWidth / 2 ? (teaser.right <= launcher.left ? 'right corner, teaser before it' : 'wrong') : teaser.left >= launcher.right ? 'left corner, teaser after it' : 'wrong';
    };
    expect(await side({})).to.equal('right corner, teaser before it');
    expect(await side({ position: 'bottom-left' })).to.equal('left corner, teaser after it');
    expect(await side({ dir: 'rtl' })).to.equal('left corner, teaser after it');
    expect(await side({ dir: 'rtl', position: 'bottom-left' })).to.equal('right corner, teaser before it');
  });

  it('speaks the widget\'s language: its close button in German with the German locale, in English (lang="en") without one', async () => {
    const { el } = await bubbleWithTeaser({ lang: 'de' });
    await shown(el);
    expect(closeButton(el).getAttribute('aria-label')).to.equal('Ausblenden');
    expect(closeButton(el).hasAttribute('lang')).to.equal(false);
    const { el: finnish } = await bubbleWithTeaser({ lang: 'fi' });
    await shown(finnish);
    expect(closeButton(finnish).getAttribute('aria-label')).to.equal('Dismiss');
    expect(closeButton(finnish).getAttribute('lang')).to.equal('en');
    const { el: own } = await bubbleWithTeaser({ strings: '{"dismissTeaser": "Not now"}' });
    await shown(own);
    expect(closeButton(own).getAttribute('aria-label')).to.equal('Not now');
  });

  it('is styled through ::part(teaser) and its custom properties', async () => {
    const style = document.createElement('style');
    style.textContent = 'thinnest-chat.styled::part(teaser) { border-radius: 3px; } thinnest-chat.styled { --thinnest-chat-teaser-background: rgb(1, 2, 3); --thinnest-chat-teaser-text: rgb(250, 240, 230); }';
    document.head.append(style);
    try {
      const { el } = await bubbleWithTeaser();
      el.classList.add('styled');
      const teaser = getComputedStyle(await shown(el));
      expect(teaser.borderTopLeftRadius).to.equal('3px');
      expect(teaser.backgroundColor).to.equal('rgb(1, 2, 3)');
      expect(teaser.color).to.equal('rgb(250, 240, 230)');
    } finally {
      style.remove();
    }
  });

  for (const theme of ['light', 'dark']) {
    it(`is axe-clean, ${theme} theme`, async () => {
      const { el } = await bubbleWithTeaser({ theme });
      await shown(el);
      await expect(el).to.be.accessible();
    });
  }
});

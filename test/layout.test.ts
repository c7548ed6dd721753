// Inline mode's box, bubble mode, phones, theming and hostile page CSS, measured in the real browser (no pixel
// comparisons): where things are, whether they fit, and whether the colours can be read.
import { expect, fixtureSync, html } from '@open-wc/testing';
import type { ThinnestChat } from '../src/index.js';
import { emulateMedia, setViewport } from './helpers/commands.js';
import { $, $$, chatWith, input, pressEnter, sleep, stillMotion, type, uniqueId, until, waitForReplies } from './helpers/chat.js';
import { contrast, luminance, pixel } from './helpers/a11y.js';

const VIEWPORTS = [
  { width: 375, height: 667 },
  { width: 360, height: 800 },
  { width: 1280, height: 800 },
  { width: 568, height: 320 }, // a phone on its side
];

function box(node: Element): DOMRect {
  return node.getBoundingClientRect();
}

function inside(inner: DOMRect, width: number, height: number): boolean {
  return inner.left >= -0.5 && inner.top >= -0.5 && inner.right <= width + 0.5 && inner.bottom <= height + 0.5;
}

async function openBubble(attributes: Record<string, string> = {}): Promise<ThinnestChat> {
  const { el } = await chatWith('ok', { mode: 'bubble', ...attributes });
  stillMotion(el);
  el.show();
  await el.updateComplete;
  await until(() => getComputedStyle($(el, '[part~="panel"]')!).opacity === '1', 'panel open');
  return el;
}

/** A colour as the screen shows it (`r,g,b`), whatever space CSS computed it in (`rgb()`, `lch()` …). */
const rgb = (color: string): string => pixel(color).slice(0, 3).join(',');

describe('inline mode', () => {
  it('fills the box the page gives it (SPEC §3), and is --thinnest-chat-height tall, 560 px, where the page gives none', async () => {
    const { el } = await chatWith('ok');
    expect(Math.round(box(el).height)).to.equal(560);
    el.style.cssText = 'display: block; width: 320px; height: 300px';
    await el.updateComplete;
    for (const part of ['panel', 'composer']) expect(box($(el, `[part~="${part}"]`)!).width, part).to.be.at.most(320.5);
    const panel = box($(el, '[part~="panel"]')!);
    const host = box(el);
    expect([panel.left, panel.top, panel.width, panel.height].map(Math.round)).to.deep.equal([host.left, host.top, 320, 300].map(Math.round));
    // The composer stays inside the box, at its bottom.
    expect(Math.round(box($(el, '[part~="composer"]')!).bottom)).to.be.at.most(Math.round(host.bottom));
  });

  it('a mode it does not know (mode="popup", a typo) is inline, height and all, not a box of no height', async () => {
    const { el } = await chatWith('ok', { mode: 'popup' });
    await el.updateComplete;
    expect(Math.round(box(el).height)).to.equal(560);
    expect(Math.round(box($(el, '[part~="panel"]')!).height)).to.equal(560);
    expect(box(input(el)).height, 'the textbox shows').to.be.above(20);
  });
});

describe('bubble mode', () => {
  afterEach(async () => {
    await setViewport({ width: 800, height: 600 });
  });

  it("gives the page's header slot the title's room: the header's buttons stay at its end", async () => {
    const el = await openBubble();
    const header = $(el, '[part~="header"]')!;
    const before = box($(el, '[part~="new-session-button"]')!);
    const mine = document.createElement('div');
    mine.slot = 'header';
    mine.innerHTML = '<b>Brand</b> · online';
    el.append(mine);
    await el.updateComplete;
    const after = box($(el, '[part~="new-session-button"]')!);
    expect(Math.round(after.right), 'the buttons where they were').to.equal(Math.round(before.right));
    expect(after.left - box(mine).right, 'the slotted header fills the room up to the buttons (8 px apart)').to.be.within(7.5, 8.5);
    // A long one is cut to the room, never pushing the buttons out of the panel.
    mine.textContent = 'A very long name for a brand that is longer than any header could ever hold on one line';
    mine.style.cssText = 'white-space: nowrap; overflow: hidden; text-overflow: ellipsis';
    await el.updateComplete;
    expect(box($(el, '[part~="close-button"]')!).right).to.be.at.most(box(header).right + 0.5);
  });

  it("shows the page's launcher-icon on the closed launcher, and the close icon while the panel is open", async () => {
    const { el } = await chatWith('ok', { mode: 'bubble' });
    stillMotion(el);
    const icon = document.createElement('span');
    icon.slot = 'launcher-icon';
    icon.textContent = '★';
    el.append(icon);
    await el.updateComplete;
    const launcher = $(el, '[part~="launcher"]')!;
    expect(!!icon.assignedSlot, 'slotted while closed').to.equal(true);
    expect(box(icon).width).to.be.above(0);
    expect(box(launcher.querySelector('svg')!).width, 'no built-in icon beside it').to.equal(0);
    el.show();
    await el.updateComplete;
    expect(!!icon.assignedSlot, 'not shown while open').to.equal(false);
    expect(box(icon).width).to.equal(0);
    expect(launcher.querySelector('svg path')?.getAttribute('d')).to.equal('M6 6l12 12M18 6L6 18');
    el.hide();
    await el.updateComplete;
    expect(!!icon.assignedSlot, 'back once closed').to.equal(true);
  });

  for (const viewport of VIEWPORTS) {
    it(`keeps the open panel and the launcher inside a ${viewport.width}×${viewport.height} viewport`, async () => {
      await setViewport(viewport);
      const el = await openBubble();
      const panel = box($(el, '[part~="panel"]')!);
      expect(inside(panel, innerWidth, innerHeight), JSON.stringify(panel)).to.equal(true);
      expect(panel.width).to.be.greaterThan(200);
      const composer = box($(el, '[part~="composer"]')!);
      expect(inside(composer, innerWidth, innerHeight)).to.equal(true);
      if (viewport.width <= 480 || viewport.height <= 480) {
        // Phones, upright or on their side: the open panel fills the screen.
        expect(Math.round(panel.width)).to.equal(innerWidth);
        expect(Math.round(panel.height)).to.equal(innerHeight);
      } else {
        // Larger screens: the panel sits above the launcher and never covers it.
        const launcher = box($(el, '[part~="launcher"]')!);
        expect(inside(launcher, innerWidth, innerHeight)).to.equal(true);
        expect(panel.bottom).to.be.at.most(launcher.top);
      }
    });
  }

  it('fills a phone screen from either corner, and where the page removed position', async () => {
    await setViewport({ width: 375, height: 667 });
    const el = await openBubble({ position: 'bottom-left' });
    const panel = box($(el, '[part~="panel"]')!);
    expect([Math.round(panel.left), Math.round(panel.width), Math.round(panel.height)]).to.deep.equal([0, 375, 667]);
    // A framework that unsets the attribute leaves the property null, and Lit no attribute at all.
    el.removeAttribute('position');
    await el.updateComplete;
    const unset = box($(el, '[part~="panel"]')!);
    expect([Math.round(unset.left), Math.round(unset.top), Math.round(unset.width), Math.round(unset.height)]).to.deep.equal([0, 0, 375, 667]);
  });

  it('follows the screen as it changes, and a widget mounted later takes the screen it is on', async () => {
    // WebKit kept a shared style sheet's @media results from the last screen a widget was on: a widget
    // mounted after the screen changed with none on the page (a phone turned, then a route change) got a
    // desktop panel on a phone.
    await setViewport({ width: 375, height: 667 });
    const first = await openBubble();
    expect(Math.round(box($(first, '[part~="panel"]')!).width), 'full screen on a phone').to.equal(375);
    await setViewport({ width: 800, height: 600 });
    // Media query lists report the change in the page's next rendering step, before it is drawn.
    await until(() => box($(first, '[part~="panel"]')!).width < 800, 'a panel on a desktop');
    first.remove();
    await setViewport({ width: 360, height: 800 });
    const second = await openBubble();
    const panel = box($(second, '[part~="panel"]')!);
    expect([Math.round(panel.left), Math.round(panel.width), Math.round(panel.height)]).to.deep.equal([0, 360, 800]);
    expect(parseFloat(getComputedStyle(input(second)).fontSize), 'no zoom on focus').to.be.at.least(16);
  });

  it('puts the launcher in the chosen corner', async () => {
    await setViewport({ width: 1024, height: 700 });
    const { el } = await chatWith('ok', { mode: 'bubble' });
    const right = box($(el, '[part~="launcher"]')!);
    expect(innerWidth - right.right).to.be.closeTo(20, 1);
    expect(innerHeight - right.bottom).to.be.closeTo(20, 1);
    el.position = 'bottom-left';
    await el.updateComplete;
    const left = box($(el, '[part~="launcher"]')!);
    expect(left.left).to.be.closeTo(20, 1);
    expect(innerHeight - left.bottom).to.be.closeTo(20, 1);
  });

  it('keeps the composer above an on-screen keyboard (visualViewport) on a phone', async () => {
    await setViewport({ width: 375, height: 667 });
    const real = window.visualViewport!;
    const keyboardUp = Object.assign(new EventTarget(), { height: 360, offsetTop: 0, width: 375, offsetLeft: 0, scale: 1, pageTop: 0, pageLeft: 0 });
    Object.defineProperty(window, 'visualViewport', { configurable: true, get: () => keyboardUp });
    try {
      const el = await openBubble();
      keyboardUp.dispatchEvent(new Event('resize'));
      await until(() => Math.round(box($(el, '[part~="panel"]')!).height) === 360, 'panel follows the visual viewport');
      const composer = box($(el, '[part~="composer"]')!);
      expect(composer.bottom).to.be.at.most(360.5);
      expect(composer.height).to.be.greaterThan(40);
    } finally {
      Object.defineProperty(window, 'visualViewport', { configurable: true, get: () => real });
    }
  });

  it('uses an input font of at least 16 px and 44 px touch targets on a phone', async () => {
    await setViewport({ width: 360, height: 800 });
    const el = await openBubble({ suggestions: '["One"]' });
    expect(parseFloat(getComputedStyle(input(el)).fontSize)).to.be.at.least(16);
    for (const control of $$(el, '[part~="panel"] button')) {
      const rect = box(control);
      expect(Math.min(rect.width, rect.height), control.getAttribute('part') ?? control.className).to.be.at.least(44);
    }
  });

  it('is a modal dialog named by its title on a phone, and closing it returns focus to the launcher', async () => {
    await setViewport({ width: 375, height: 667 });
    const el = await openBubble({ 'chat-title': 'Acme help' });
    const panel = $(el, '[part~="panel"]')!;
    expect([panel.getAttribute('role'), panel.getAttribute('aria-modal'), panel.getAttribute('aria-label')]).to.deep.equal(['dialog', 'true', 'Acme help']);
    await until(() => el.shadowRoot!.activeElement === input(el), 'focus in the dialog');
    ($(el, '[part~="close-button"]') as HTMLButtonElement).click();
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement, 'focus back on the launcher').to.equal($(el, '[part~="launcher"]'));
    expect(panel.hasAttribute('role'), 'closed: no dialog').to.equal(false);
    // On a desktop the open panel sits beside the page, which stays usable: no dialog there.
    await setViewport({ width: 1024, height: 700 });
    el.show();
    await el.updateComplete;
    await until(() => !$(el, '[part~="panel"]')!.hasAttribute('aria-modal'), 'no modal dialog on a desktop');
    expect(panel.hasAttribute('role')).to.equal(false);
  });

  it('keeps Tab inside the full-screen panel on a phone', async () => {
    await setViewport({ width: 375, height: 667 });
    const el = await openBubble();
    // The trap and the keyboard fit are a file of their own, fetched when a panel first fills the screen: it is
    // here once the panel follows the visual viewport.
    const panel = $(el, '[part~="panel"]')!;
    await until(() => panel.style.getPropertyValue('--_viewport-height') !== '', "the full-screen panel's code");
    await type(el, 'hello');
    const sendButton = $(el, '[part~="send-button"]') as HTMLButtonElement;
    sendButton.focus();
    const tab = new KeyboardEvent('keydown', { key: 'Tab', bubbles: true, composed: true, cancelable: true });
    sendButton.dispatchEvent(tab);
    expect(tab.defaultPrevented, 'Tab from the last control wraps').to.equal(true);
    expect(el.shadowRoot!.activeElement).to.equal($(el, '[part~="new-session-button"]'));
    const back = new KeyboardEvent('keydown', { key: 'Tab', shiftKey: true, bubbles: true, composed: true, cancelable: true });
    el.shadowRoot!.activeElement!.dispatchEvent(back);
    expect(back.defaultPrevented).to.equal(true);
    expect(el.shadowRoot!.activeElement).to.equal(sendButton);
  });

  it('keeps Tab inside it with the page’s own link in the header slot, which Tab reaches; Escape from it goes back to the launcher', async () => {
    await setViewport({ width: 375, height: 667 });
    const el = await openBubble();
    const link = document.createElement('a');
    link.slot = 'header';
    link.href = '#help';
    link.textContent = 'Help centre';
    el.append(link);
    const panel = $(el, '[part~="panel"]')!;
    await until(() => panel.style.getPropertyValue('--_viewport-height') !== '', "the full-screen panel's code");
    const tab = (from: Element, shiftKey = false) => {
      const event = new KeyboardEvent('keydown', { key: 'Tab', shiftKey, bubbles: true, composed: true, cancelable: true });
      from.dispatchEvent(event);
      return event.defaultPrevented;
    };
    // From the last control, Tab wraps to the page's link, the first thing in the panel; Shift+Tab from it wraps back.
    const last = input(el);
    last.focus();
    expect(tab(last), 'Tab from the last control wraps').to.equal(true);
    expect(document.activeElement).to.equal(link);
    expect(tab(link, true), 'Shift+Tab from the link wraps').to.equal(true);
    expect(el.shadowRoot!.activeElement).to.equal(last);
    // From the link, the browser's own Tab goes on to the panel's first button: nothing to trap.
    link.focus();
    expect(tab(link)).to.equal(false);

    link.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true, cancelable: true }));
    await el.updateComplete;
    expect(el.open).to.equal(false);
    await until(() => el.shadowRoot!.activeElement === $(el, '[part~="launcher"]'), 'focus back on the launcher');
  });

  it('marks the launcher when a reply arrives while closed, until the panel opens', async () => {
    const { el } = await chatWith('ok', { mode: 'bubble' });
    const launcher = $(el, '[part~="launcher"]')!;
    expect($(el, '[part~="unread"]')).to.equal(null);
    await el.send('hi');
    await waitForReplies(el, 1);
    expect($(el, '[part~="unread"]')).to.exist;
    expect(launcher.getAttribute('aria-label')).to.contain('New reply');
    el.show();
    await el.updateComplete;
    expect($(el, '[part~="unread"]')).to.equal(null);
    expect(launcher.getAttribute('aria-label')).to.equal('Close chat');
  });

  it('stacks at --thinnest-chat-z-index', async () => {
    const el = await openBubble();
    el.style.setProperty('--thinnest-chat-z-index', '42');
    expect(getComputedStyle($(el, '[part~="panel"]')!).zIndex).to.equal('42');
    expect(getComputedStyle($(el, '[part~="launcher"]')!).zIndex).to.equal('42');
  });
});

describe('the composer', () => {
  it('grows with its text up to its limit and shrinks back once sent, with or without field-sizing', async () => {
    // Chromium sizes it by CSS (field-sizing); where there is none (Firefox, WebKit), script does, from a chunk
    // fetched the first time the text changes (so each size is waited for, not read at once).
    const { el } = await chatWith('ok');
    const height = () => Math.round(input(el).getBoundingClientRect().height);
    const empty = height();
    expect(empty).to.be.at.least(44);
    await type(el, 'One line');
    await sleep(100);
    expect(height(), 'one line').to.equal(empty);
    await type(el, 'Line one\nLine two\nLine three');
    await until(() => height() > empty + 30, 'three lines: over 30 px taller than one');
    const three = height();
    expect(input(el).scrollHeight - input(el).clientHeight, 'all three lines show').to.be.at.most(1);
    await type(el, Array.from({ length: 20 }, (_, i) => `Line ${i}`).join('\n'));
    await until(() => height() === 160, 'capped at 160 px, then it scrolls');
    await type(el, 'Line one\nLine two\nLine three');
    await until(() => height() === three, 'shrinks with its text');
    await pressEnter(el);
    await waitForReplies(el, 1);
    await until(() => height() === empty, 'empty again once sent');
    // The script that sizes it is fetched only where CSS cannot.
    const fetched = performance.getEntriesByType('resource').some((entry) => /fit-composer/.test(entry.name));
    expect(fetched, 'fit-composer fetched').to.equal(!CSS.supports('field-sizing', 'content'));
  });
});

describe('theming', () => {
  it('meets WCAG AA contrast for text and controls in the default light and dark themes', async () => {
    for (const theme of ['light', 'dark']) {
      const { el } = await chatWith('s500', { theme, 'welcome-message': 'Hello', suggestions: '["A suggestion"]' });
      const panelBg = getComputedStyle($(el, '[part~="panel"]')!).backgroundColor;
      const pairs: Array<[string, string, string, number]> = [];
      const text = (part: string, min = 4.5, bg?: string) => {
        const node = $(el, part)!;
        const style = getComputedStyle(node);
        const background = bg ?? (style.backgroundColor === 'rgba(0, 0, 0, 0)' ? panelBg : style.backgroundColor);
        pairs.push([`${theme} ${part}`, style.color, background, min]);
      };
      text('[part~="title"]');
      text('[part~="assistant-message"] .bubble');
      text('[part~="suggestion"]');
      text('[part~="counter"]');
      text('[part~="input"]');
      await type(el, 'x');
      await pressEnter(el);
      await until(() => $(el, '[part~="error"]') !== null, 'error shown');
      text('[part~="user-message"] .bubble');
      text('[part~="error"]');
      // Non-text contrast (WCAG 1.4.11): the input's outline and the send button against the panel.
      const inputStyle = getComputedStyle(input(el));
      pairs.push([`${theme} input outline`, inputStyle.borderTopColor, panelBg, 3]);
      const sendStyle = getComputedStyle($(el, '[part~="send-button"]')!);
      pairs.push([`${theme} send button`, sendStyle.backgroundColor, panelBg, 3]);
      pairs.push([`${theme} send icon`, sendStyle.color, sendStyle.backgroundColor, 3]);
      const failing = pairs.filter(([, fg, bg, min]) => contrast(fg, bg) < min).map(([name, fg, bg]) => `${name}: ${contrast(fg, bg).toFixed(2)} (${fg} on ${bg})`);
      expect(failing).to.deep.equal([]);
    }
  });

  it('lets every documented --thinnest-chat-* property change what it names', async () => {
    const { el } = await chatWith('ok', { 'welcome-message': 'Hi `code` [a link](https://example.com/)\n\n```\nblock\n```', suggestions: '["S"]' });
    await el.send('visitor text');
    await el.updateComplete;
    const checks: Array<[string, string, () => string]> = [
      ['--thinnest-chat-accent', 'rgb(1, 2, 3)', () => getComputedStyle($(el, '[part~="send-button"]')!).backgroundColor],
      ['--thinnest-chat-background', 'rgb(4, 5, 6)', () => getComputedStyle($(el, '[part~="panel"]')!).backgroundColor],
      ['--thinnest-chat-foreground', 'rgb(7, 8, 9)', () => getComputedStyle($(el, '[part~="title"]')!).color],
      ['--thinnest-chat-radius', '3px', () => getComputedStyle($(el, '[part~="panel"]')!).borderTopLeftRadius],
      ['--thinnest-chat-font-family', 'monospace', () => getComputedStyle($(el, '[part~="title"]')!).fontFamily],
      ['--thinnest-chat-font-size', '19px', () => getComputedStyle($(el, '[part~="panel"]')!).fontSize],
      ['--thinnest-chat-user-bubble', 'rgb(10, 11, 12)', () => getComputedStyle($(el, '[part~="user-message"] .bubble')!).backgroundColor],
      ['--thinnest-chat-user-bubble-text', 'rgb(13, 14, 15)', () => getComputedStyle($(el, '[part~="user-message"] .bubble')!).color],
      ['--thinnest-chat-assistant-bubble', 'rgb(16, 17, 18)', () => getComputedStyle($(el, '[part~="assistant-message"] .bubble')!).backgroundColor],
      ['--thinnest-chat-assistant-bubble-text', 'rgb(19, 20, 21)', () => getComputedStyle($(el, '[part~="assistant-message"] .bubble')!).color],
      // Unset, a link is the bubble's text colour; set, its own.
      ['--thinnest-chat-assistant-bubble-text', 'rgb(19, 20, 21)', () => getComputedStyle($(el, '[part~="assistant-message"] .bubble a')!).color],
      ['--thinnest-chat-link-color', 'rgb(28, 29, 30)', () => getComputedStyle($(el, '[part~="assistant-message"] .bubble a')!).color],
      ['--thinnest-chat-code-background', 'rgb(22, 23, 24)', () => getComputedStyle($(el, '.md-code pre')!).backgroundColor],
      ['--thinnest-chat-control-border', 'rgb(25, 26, 27)', () => getComputedStyle(input(el)).borderTopColor],
      ['--thinnest-chat-height', '333px', () => `${Math.round(el.getBoundingClientRect().height)}px`],
    ];
    for (const [name, value, read] of checks) {
      el.style.setProperty(name, value);
      const seen = read();
      el.style.removeProperty(name);
      expect(seen, name).to.contain(value);
    }
  });

  /** A widget made while `CSS.supports` denies relative colours, as in Chrome before 119 or Firefox before 128. */
  async function withoutRelativeColours(attributes: Record<string, string>) {
    const supports = CSS.supports;
    CSS.supports = (property: string, value?: string) => !`${property}:${value}`.includes('(from ') && (value === undefined ? supports(property) : supports(property, value));
    try {
      return await chatWith('ok', attributes);
    } finally {
      CSS.supports = supports;
    }
  }

  for (const [way, make] of [['by CSS relative colours', chatWith.bind(null, 'ok')], ['by the computed fallback', withoutRelativeColours]] as const) {
    it(`puts black or white text on an accent set alone, whichever reads better, in either theme (${way})`, async () => {
      const black = '0,0,0';
      const white = '255,255,255';
      for (const theme of ['light', 'dark']) {
        const { el } = await make({ theme });
        // The fallback is its own file, fetched only where it is needed: it sets the colour on the host.
        const computed = () => el.style.getPropertyValue('--_accent-text-auto');
        if (make === withoutRelativeColours) await until(() => computed() !== '', 'the computed fallback');
        else expect(computed(), 'nothing computed where CSS can').to.equal('');
        await el.send('visitor text');
        const textOn = async (accent: string) => {
          el.style.setProperty('--thinnest-chat-accent', accent);
          await el.updateComplete;
          el.requestUpdate(); // where CSS has no relative colours, the widget works it out after an update
          await el.updateComplete;
          return [
            rgb(getComputedStyle($(el, '[part~="user-message"] .bubble')!).color),
            rgb(getComputedStyle($(el, '[part~="send-button"]')!).color),
          ];
        };
        for (const [accent, text] of [['#f5a524', black], ['#ffeb3b', black], ['#0b7a4b', white], ['#5b21b6', white], ['#2256d6', white]]) {
          expect(await textOn(accent), `${theme}: text on ${accent}`).to.deep.equal([text, text]);
        }
        // A text colour the site sets is kept, readable or not: the playground warns about that one.
        el.style.setProperty('--thinnest-chat-accent-text', 'rgb(1, 2, 3)');
        expect(await textOn('#0b7a4b'), `${theme}: the site's own text colour`).to.deep.equal(['1,2,3', '1,2,3']);
      }
    });
  }

  it('lets ::part(user-bubble) and ::part(assistant-bubble) restyle the bubbles themselves, over their own colours', async () => {
    const { el } = await chatWith('ok', { 'welcome-message': 'Hello' });
    el.id = `parts-${uniqueId()}`;
    await el.send('visitor text');
    await el.updateComplete;
    const style = document.createElement('style');
    style.textContent = `#${el.id}::part(user-bubble) { background: rgb(1, 2, 3); color: rgb(4, 5, 6); border-radius: 0px; }
      #${el.id}::part(assistant-bubble) { background: rgb(7, 8, 9); color: rgb(10, 11, 12); }`;
    document.head.append(style);
    try {
      const user = getComputedStyle($(el, '[part~="user-message"] .bubble')!);
      expect([user.backgroundColor, user.color, user.borderBottomRightRadius]).to.deep.equal(['rgb(1, 2, 3)', 'rgb(4, 5, 6)', '0px']);
      for (const bubble of $$(el, '[part~="assistant-message"] .bubble')) {
        const look = getComputedStyle(bubble);
        expect([look.backgroundColor, look.color]).to.deep.equal(['rgb(7, 8, 9)', 'rgb(10, 11, 12)']);
      }
      expect($$(el, '[part~="assistant-message"] .bubble')).to.have.length(2); // the welcome message and the reply
    } finally {
      style.remove();
    }
  });

  it('follows prefers-color-scheme with theme="auto" and ignores it with theme="light"', async function () {
    // Media emulation needs Chromium's DevTools protocol: Firefox (WebDriver BiDi) and WebKit (WebDriver)
    // have none, and the CSS that follows the preference is the same in every engine.
    if (!(await emulateMedia({ colorScheme: 'dark' }))) this.skip();
    try {
      const { el } = await chatWith('ok');
      const auto = getComputedStyle($(el, '[part~="panel"]')!).backgroundColor;
      el.theme = 'light';
      await el.updateComplete;
      const light = getComputedStyle($(el, '[part~="panel"]')!).backgroundColor;
      expect(luminance(auto)).to.be.lessThan(0.1);
      expect(light).to.equal('rgb(255, 255, 255)');
    } finally {
      await emulateMedia({ colorScheme: 'light' });
    }
  });

  it('keeps its styles in its shadow root: the page around it is untouched', async () => {
    // fixtureSync: a plain element's fixture() waits for a frame that a background test page may never get.
    const page = fixtureSync<HTMLDivElement>(html`<div><p>Page text</p><button>Page button</button></div>`);
    const before = [getComputedStyle(page.querySelector('p')!).color, getComputedStyle(page.querySelector('button')!).backgroundColor];
    const widget = document.createElement('thinnest-chat');
    widget.setAttribute('proxy-url', '/fake/leak/ok');
    widget.setAttribute('storage-key', uniqueId('leak'));
    widget.setAttribute('theme', 'dark');
    page.append(widget);
    await widget.updateComplete;
    const after = [getComputedStyle(page.querySelector('p')!).color, getComputedStyle(page.querySelector('button')!).backgroundColor];
    expect(after).to.deep.equal(before);
  });
});

describe('a page with aggressive global CSS', () => {
  let sheet: HTMLStyleElement;
  beforeEach(() => {
    sheet = document.createElement('style');
    sheet.textContent = `
      html { font-size: 10px; }
      * { all: unset; box-sizing: content-box !important; }
      button { display: none !important; }
      textarea, input { visibility: hidden; }
      div { padding: 30px; }
    `;
    document.head.append(sheet);
  });
  afterEach(() => sheet.remove());

  it('still shows a usable widget: readable text, visible controls, a working send', async () => {
    const { el } = await chatWith('ok', { 'welcome-message': 'Welcome text' });
    const send = $(el, '[part~="send-button"]')!;
    expect(getComputedStyle(send).display).to.not.equal('none');
    expect(box(send).width).to.be.at.least(24);
    expect(getComputedStyle(input(el)).visibility).to.equal('visible');
    expect(parseFloat(getComputedStyle($(el, '[part~="title"]')!).fontSize)).to.be.at.least(14);
    await type(el, 'still works');
    await pressEnter(el);
    await waitForReplies(el, 1);
    expect($(el, '[part~="assistant-message"][data-id] .bubble')!.textContent).to.contain('still works');
  });
});

describe('two widgets on one page', () => {
  it('both show the same welcome message', async () => {
    const first = await chatWith('ok', { 'welcome-message': 'Same **welcome**' });
    const second = await chatWith('ok', { 'welcome-message': 'Same **welcome**' });
    for (const { el } of [first, second]) {
      expect($(el, '[part~="assistant-message"] .bubble')!.textContent!.trim()).to.equal('Same welcome');
    }
  });
});

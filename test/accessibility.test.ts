// SPEC §4 Accessible: axe reports no violations, on the widget and on the page around it, in
// every state a visitor can meet (inline and bubble, closed and open, light and dark, empty,
// typing, waiting, replied, failed, offline, right to left); every control has an accessible
// name; the transcript is a polite live region; Escape closes the bubble and focus returns to
// the launcher; show()/hide()/toggle()/open fire thinnest-chat-toggle. The keyboard-only flow is
// test/keyboard.test.ts; what a screen reader hears, test/announcements.test.ts; focus rings,
// target sizes, zoom, motion and forced colours, test/a11y-visual.test.ts.
import { expect, waitUntil } from '@open-wc/testing';
import type { ThinnestChat } from '../src/index.js';
import '../src/locales/ar.js';
import { $, $$, chatWith, goOffline, input, stillMotion, type, until, waitForFailure, waitForReplies } from './helpers/chat.js';
import { LONG_MARKDOWN, accessibleName, axePage, settled, siteAround } from './helpers/a11y.js';

type State =
  | 'empty with suggestions'
  | 'empty with a welcome message'
  | 'typing'
  | 'waiting'
  | 'replied with a markdown table and code'
  | 'replied with a long markdown reply'
  | 'error with retry'
  | 'offline';
type Layout = 'inline' | 'bubble, open';

const SUGGESTIONS = '["What do you offer?", "Pricing"]';

/** A widget brought into `state`, a bubble opened, animations settled; `cleanup` ends whatever is still in flight. */
async function widgetIn(
  state: State,
  attributes: Record<string, string>,
): Promise<{ el: ThinnestChat; cleanup: () => Promise<void> }> {
  let cleanup = async () => {};
  const steps =
    {
      'waiting': 'hang',
      'error with retry': 's500',
      'replied with a long markdown reply': 'echo',
      'replied with a markdown table and code': 'md',
    }[state as string] ?? 'ok';
  const own: Record<string, string> | undefined = (
    {
      'empty with suggestions': { suggestions: SUGGESTIONS },
      'empty with a welcome message': { 'welcome-message': 'Hi! **Ask me** about [plans](https://example.com/plans).' },
    } as Record<string, Record<string, string>>
  )[state];
  const { el } = await chatWith(steps, { ...attributes, ...own });
  if (el.mode === 'bubble') {
    el.show();
    await el.updateComplete;
  }
  switch (state) {
    case 'empty with suggestions':
      await until(() => $$(el, '[part~="suggestion"]').length === 2, 'suggestions shown');
      break;
    case 'empty with a welcome message':
      await until(() => $(el, '[part~="assistant-message"] strong') !== null, 'welcome shown');
      break;
    case 'typing':
      await type(el, 'I would like to know more about');
      expect(input(el).value).to.not.equal('');
      break;
    case 'waiting': {
      const sending = el.send('Are you there?');
      await until(() => $(el, '.typing') !== null && $(el, '[part~="stop-button"]') !== null, 'waiting for the reply');
      cleanup = async () => {
        // Abort the hanging request, so it does not hold one of the browser's connections.
        ($(el, '[part~="stop-button"]') as HTMLButtonElement | null)?.click();
        await sending;
      };
      break;
    }
    case 'replied with a markdown table and code':
      await el.send('What plans are there?');
      await waitForReplies(el, 1);
      expect($(el, '.md-table'), 'the markdown table').to.exist;
      expect($(el, '[data-copy]'), 'the copy button').to.exist;
      break;
    case 'replied with a long markdown reply':
      await el.send(LONG_MARKDOWN);
      await waitForReplies(el, 1);
      expect($(el, '[part~="assistant-message"] .md-table'), 'the table').to.exist;
      expect($(el, '[part~="assistant-message"] [data-copy]'), 'the copy button').to.exist;
      break;
    case 'error with retry':
      await el.send('This will fail');
      await waitForFailure(el);
      expect($(el, '[part~="error"] button'), 'a control in the failure note').to.exist;
      expect($(el, '[part~="retry-button"]'), 'a retry control').to.exist;
      break;
    case 'offline': {
      const online = goOffline();
      try {
        await el.send('Hello?');
        await waitForFailure(el);
      } finally {
        online();
      }
      expect(el.messages.at(-1)?.error?.code).to.equal('offline');
      break;
    }
  }
  await settled(el);
  return { el, cleanup };
}

/** The states a widget alone is checked in, in both themes: its axe run and its controls' names. */
const WIDGET_STATES: State[] = ['empty with suggestions', 'empty with a welcome message', 'waiting', 'error with retry', 'replied with a markdown table and code'];
/** The states a widget and the page around it are checked in, in every layout and theme and right to left. */
const PAGE_STATES: State[] = ['empty with suggestions', 'typing', 'waiting', 'replied with a long markdown reply', 'error with retry', 'offline'];

describe('axe reports no violations', function () {
  // axe over a whole widget and page, on a loaded machine.
  this.timeout(40000);

  for (const theme of ['light', 'dark'] as const) {
    for (const state of WIDGET_STATES) {
      it(`on the widget: ${state}, ${theme} theme`, async () => {
        const { el, cleanup } = await widgetIn(state, { theme });
        try {
          expect(el.getAttribute('theme')).to.equal(theme);
          await expect(el).to.be.accessible();
        } finally {
          await cleanup();
        }
      });
    }

    it(`on the widget in bubble mode, closed and open, ${theme} theme`, async () => {
      const { el } = await chatWith('md', { theme, mode: 'bubble' });
      await settled(el);
      await expect(el).to.be.accessible();
      el.show();
      await el.updateComplete;
      await el.send('hello');
      await waitForReplies(el, 1);
      await settled(el);
      await expect(el).to.be.accessible();
    });
  }

  for (const theme of ['light', 'dark'] as const) {
    for (const layout of ['inline', 'bubble, open'] as Layout[]) {
      for (const state of PAGE_STATES) {
        it(`on the widget and the page: ${state}, ${layout}, ${theme}`, async () => {
          const mode = layout === 'inline' ? 'inline' : 'bubble';
          const { el, cleanup } = await widgetIn(state, { suggestions: SUGGESTIONS, theme, mode });
          const restore = siteAround(el);
          try {
            if (mode === 'bubble') expect(getComputedStyle($(el, '[part~="panel"]')!).display).to.not.equal('none');
            await expect(el).to.be.accessible();
            expect(await axePage()).to.deep.equal([]);
          } finally {
            restore();
            await cleanup();
          }
        });
      }
    }

    it(`on the widget and the page with the bubble closed, before and after a reply: ${theme}`, async () => {
      const { el } = await chatWith('md', { theme, mode: 'bubble' });
      const restore = siteAround(el);
      try {
        await settled(el);
        await expect(el).to.be.accessible();
        expect(await axePage()).to.deep.equal([]);
        await el.send('hello');
        await waitForReplies(el, 1);
        await settled(el);
        expect($(el, '[part~="unread"]'), 'the unread mark').to.exist;
        await expect(el).to.be.accessible();
        expect(await axePage()).to.deep.equal([]);
      } finally {
        restore();
      }
    });
  }

  for (const state of PAGE_STATES) {
    it(`on the widget and the page right to left (lang="ar"): ${state}`, async () => {
      const { el, cleanup } = await widgetIn(state, { suggestions: SUGGESTIONS, lang: 'ar', mode: state === 'waiting' ? 'bubble' : 'inline' });
      const restore = siteAround(el);
      try {
        expect(getComputedStyle($(el, '[part~="panel"]')!).direction).to.equal('rtl');
        await expect(el).to.be.accessible();
        expect(await axePage()).to.deep.equal([]);
      } finally {
        restore();
        await cleanup();
      }
    });
  }
});

describe('every control has an accessible name', function () {
  this.timeout(30000);

  for (const theme of ['light', 'dark'] as const) {
    for (const state of WIDGET_STATES) {
      it(`every button and the input have an accessible name: ${state}, ${theme} theme`, async () => {
        const { el, cleanup } = await widgetIn(state, { theme });
        try {
          const controls = $$(el, 'button, textarea, input, [role="button"]');
          expect(controls.length).to.be.at.least(2);
          const unnamed = controls.filter((control) => !accessibleName(control)).map((control) => control.outerHTML.slice(0, 120));
          expect(unnamed).to.deep.equal([]);
        } finally {
          await cleanup();
        }
      });
    }
  }

  it('names the controls for what they do', async () => {
    const { el } = await chatWith('md', { mode: 'bubble', suggestions: '["Pricing"]' });
    expect(accessibleName($(el, '[part~="launcher"]')!)).to.equal('Open chat');
    el.show();
    await el.updateComplete;
    expect(accessibleName($(el, '[part~="launcher"]')!)).to.equal('Close chat');
    expect($(el, '[part~="launcher"]')!.getAttribute('aria-expanded')).to.equal('true');
    expect(accessibleName($(el, '[part~="new-session-button"]')!)).to.equal('Start a new conversation');
    expect(accessibleName($(el, '[part~="close-button"]')!)).to.equal('Close chat');
    expect(accessibleName($(el, '[part~="send-button"]')!)).to.equal('Send message');
    expect(accessibleName($(el, '[part~="suggestion"]')!)).to.equal('Pricing');
    expect(accessibleName(input(el))).to.equal('Message');
    await el.send('hi');
    await waitForReplies(el, 1);
    expect(accessibleName($(el, '[data-copy]')!)).to.equal('Copy code');
  });
});

describe('the transcript is a live region', () => {
  it('is a polite live log with a name, and the messages land inside it', async () => {
    const { el } = await chatWith('ok');
    const transcript = $(el, '[part~="transcript"]')!;
    expect(transcript.getAttribute('role')).to.equal('log');
    expect(transcript.getAttribute('aria-live')).to.equal('polite');
    expect(accessibleName(transcript)).to.equal('Conversation');
    // Messages land inside the live region.
    await el.send('hello');
    await waitForReplies(el, 1);
    expect(transcript.querySelectorAll('[part~="message"]')).to.have.length(2);
  });
});

describe('Escape closes the bubble and focus returns to the launcher', () => {
  it('Escape in an open bubble closes the panel', async () => {
    const { el } = await chatWith('ok', { mode: 'bubble' });
    stillMotion(el);
    const events: boolean[] = [];
    el.addEventListener('thinnest-chat-toggle', (e) => events.push(e.detail.open));
    const launcher = $(el, '[part~="launcher"]') as HTMLButtonElement;
    launcher.click();
    await el.updateComplete;
    expect(el.open).to.equal(true);
    expect(launcher.getAttribute('aria-expanded')).to.equal('true');
    await until(() => el.shadowRoot!.activeElement === input(el), 'focus moves into the panel');

    // An Escape that cancels an IME composition (isComposing, or keyCode 229 as Safari reports it) is the input's.
    for (const init of [{ isComposing: true }, { keyCode: 229 }]) {
      input(el).dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true, cancelable: true, ...init }));
      await el.updateComplete;
      expect(el.open, `an IME's Escape (${JSON.stringify(init)}) closed the bubble`).to.equal(true);
    }

    input(el).dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true, cancelable: true }));
    await el.updateComplete;
    expect(el.open).to.equal(false);
    expect(el.hasAttribute('open')).to.equal(false);
    // The panel fades out (160 ms) and then leaves the layout.
    await until(() => getComputedStyle($(el, '[part~="panel"]')!).display === 'none', 'the panel is hidden after its close animation');
    expect(launcher.getAttribute('aria-expanded')).to.equal('false');
    expect(events).to.deep.equal([true, false]);
  });

  it('Escape in an open bubble returns focus to the launcher', async () => {
    // Where the test page lacks system focus (Chromium runs files in parallel windows), the
    // focused element is still tracked by activeElement; :focus is checked when the page has focus.
    await waitUntil(() => document.hasFocus(), '', { timeout: 1000, interval: 50 }).catch(() => undefined);
    const pageFocused = document.hasFocus();
    const { el } = await chatWith('ok', { mode: 'bubble' });
    const launcher = $(el, '[part~="launcher"]') as HTMLButtonElement;
    launcher.focus();
    launcher.click();
    await el.updateComplete;
    await until(() => el.shadowRoot!.activeElement === input(el), 'focus moves into the panel');
    if (pageFocused) expect(input(el).matches(':focus'), 'the input has focus').to.equal(true);

    input(el).dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true, cancelable: true }));
    await el.updateComplete;
    expect(el.open).to.equal(false);
    await until(() => el.shadowRoot!.activeElement === launcher, 'focus returns to the launcher');
    expect(document.activeElement).to.equal(el);
    if (pageFocused) expect(launcher.matches(':focus')).to.equal(true);
  });

  it('Escape on the launcher of an open bubble closes it, focus staying on the launcher', async () => {
    const { el } = await chatWith('ok', { mode: 'bubble', open: '' });
    await el.updateComplete;
    const launcher = $(el, '[part~="launcher"]') as HTMLButtonElement;
    launcher.focus();
    launcher.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true, cancelable: true }));
    await el.updateComplete;
    expect(el.open).to.equal(false);
    expect(el.shadowRoot!.activeElement).to.equal(launcher);
  });

  it('Escape does nothing in inline mode', async () => {
    const { el } = await chatWith('ok');
    const events: boolean[] = [];
    el.addEventListener('thinnest-chat-toggle', (e) => events.push(e.detail.open));
    input(el).focus();
    input(el).dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true, cancelable: true }));
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement).to.equal(input(el));
    expect(events).to.deep.equal([]);
  });
});

describe('opening and closing the bubble', () => {
  it('show(), hide(), toggle() and the open attribute fire thinnest-chat-toggle {open}', async () => {
    const { el } = await chatWith('ok', { mode: 'bubble' });
    const events: CustomEvent<{ open: boolean }>[] = [];
    const outside: boolean[] = [];
    el.addEventListener('thinnest-chat-toggle', (e) => events.push(e));
    const listener = (e: Event) => outside.push((e as CustomEvent<{ open: boolean }>).detail.open);
    document.addEventListener('thinnest-chat-toggle', listener);
    try {
      const step = async (action: () => void, open: boolean) => {
        action();
        await el.updateComplete;
        expect(el.open, 'property').to.equal(open);
        expect(el.hasAttribute('open'), 'reflected attribute').to.equal(open);
        expect(events.at(-1)?.detail, 'event detail').to.deep.equal({ open });
      };
      await step(() => el.show(), true);
      await step(() => el.hide(), false);
      await step(() => el.toggle(), true);
      await step(() => el.toggle(), false);
      await step(() => el.setAttribute('open', ''), true);
      await step(() => el.removeAttribute('open'), false);
      expect(events.map((e) => e.detail.open)).to.deep.equal([true, false, true, false, true, false]);
      // One event per change: show() while open is not a change.
      el.show();
      await el.updateComplete;
      el.show();
      await el.updateComplete;
      expect(events).to.have.length(7);
      // Bubbles out of the shadow root to the page.
      expect(outside).to.deep.equal([true, false, true, false, true, false, true]);
      for (const event of events) {
        expect(event.bubbles).to.equal(true);
        expect(event.composed).to.equal(true);
      }
    } finally {
      document.removeEventListener('thinnest-chat-toggle', listener);
    }
  });

  it('an inline widget has nothing to open or close: open set on it fires no thinnest-chat-toggle', async () => {
    const { el } = await chatWith('ok');
    const events: boolean[] = [];
    el.addEventListener('thinnest-chat-toggle', (e) => events.push(e.detail.open));
    el.show();
    await el.updateComplete;
    el.toggle();
    await el.updateComplete;
    el.setAttribute('open', '');
    await el.updateComplete;
    expect(events).to.deep.equal([]);
    expect(input(el), 'the textbox is still there').to.exist;
  });
});

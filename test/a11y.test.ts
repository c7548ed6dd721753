// SPEC §4 Accessible: axe reports no violations in every state and theme, the transcript is a
// polite live region, every control has an accessible name, Escape closes the bubble and focus
// returns to the launcher; show()/hide()/toggle()/open fire thinnest-chat-toggle.
import { expect, waitUntil } from '@open-wc/testing';
import type { ThinnestChat } from '../src/index.js';
import { $, $$, chatWith, input, stillMotion, until, waitForFailure, waitForReplies } from './helpers/chat.js';
import { accessibleName } from './helpers/a11y.js';

type State = 'empty with suggestions' | 'empty with a welcome message' | 'pending' | 'error' | 'replied';


/**
 * Jumps the widget's finite animations (the bubble panel's pop-in) to their end, so axe measures
 * contrast on the settled look, not mid-fade: a test page in a background tab barely advances
 * animations. Infinite ones (the aria-hidden typing dots) are left running.
 */
async function animationsSettled(el: ThinnestChat): Promise<void> {
  await el.updateComplete;
  for (const animation of el.shadowRoot!.getAnimations()) {
    if (animation.effect?.getComputedTiming().iterations !== Infinity) animation.finish();
  }
}

/** A widget brought into `state`; `cleanup` ends anything still in flight. */
async function widgetIn(state: State, theme: 'light' | 'dark'): Promise<{ el: ThinnestChat; cleanup: () => Promise<void> }> {
  const noop = async () => {};
  switch (state) {
    case 'empty with suggestions': {
      const { el } = await chatWith('ok', { theme, suggestions: '["What do you offer?", "Pricing"]' });
      await until(() => $$(el, '[part~="suggestion"]').length === 2, 'suggestions shown');
      return { el, cleanup: noop };
    }
    case 'empty with a welcome message': {
      const { el } = await chatWith('ok', { theme, 'welcome-message': 'Hi! **Ask me** about [plans](https://example.com/plans).' });
      await until(() => $(el, '[part~="assistant-message"] strong') !== null, 'welcome shown');
      return { el, cleanup: noop };
    }
    case 'pending': {
      const { el } = await chatWith('hang', { theme });
      const sending = el.send('Are you there?');
      await until(() => $(el, '.typing') !== null && $(el, '[part~="stop-button"]') !== null, 'waiting for the reply');
      return {
        el,
        cleanup: async () => {
          // Abort the hanging request, so it does not hold one of the browser's connections.
          ($(el, '[part~="stop-button"]') as HTMLButtonElement | null)?.click();
          await sending;
        },
      };
    }
    case 'error': {
      const { el } = await chatWith('s500', { theme });
      await el.send('This will fail');
      await waitForFailure(el);
      expect($(el, '[part~="error"] button'), 'a retry control').to.exist;
      return { el, cleanup: noop };
    }
    case 'replied': {
      const { el } = await chatWith('md', { theme });
      await el.send('What plans are there?');
      await waitForReplies(el, 1);
      expect($(el, '.md-table'), 'the markdown table').to.exist;
      expect($(el, '[data-copy]'), 'the copy button').to.exist;
      return { el, cleanup: noop };
    }
  }
}

const STATES: State[] = ['empty with suggestions', 'empty with a welcome message', 'pending', 'error', 'replied'];

describe('accessibility', function () {
  // axe over a whole widget, on a loaded machine.
  this.timeout(30000);

  for (const theme of ['light', 'dark'] as const) {
    for (const state of STATES) {
      it(`axe finds no violations: ${state}, ${theme} theme`, async () => {
        const { el, cleanup } = await widgetIn(state, theme);
        try {
          expect(el.getAttribute('theme')).to.equal(theme);
          await animationsSettled(el);
          await expect(el).to.be.accessible();
        } finally {
          await cleanup();
        }
      });


      it(`every button and the input have an accessible name: ${state}, ${theme} theme`, async () => {
        const { el, cleanup } = await widgetIn(state, theme);
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

    it(`axe finds no violations in bubble mode, closed and open, ${theme} theme`, async () => {
      const { el } = await chatWith('md', { theme, mode: 'bubble' });
      await animationsSettled(el);
      await expect(el).to.be.accessible();
      el.show();
      await el.updateComplete;
      await el.send('hello');
      await waitForReplies(el, 1);
      await animationsSettled(el);
      await expect(el).to.be.accessible();
    });
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

  it('the transcript is a polite live log with a name', async () => {
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

  it('Escape in bubble mode closes the panel', async () => {
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

    input(el).dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true, cancelable: true }));
    await el.updateComplete;
    expect(el.open).to.equal(false);
    expect(el.hasAttribute('open')).to.equal(false);
    // The panel fades out (160 ms) and then leaves the layout.
    await until(() => getComputedStyle($(el, '[part~="panel"]')!).display === 'none', 'the panel is hidden after its close animation');
    expect(launcher.getAttribute('aria-expanded')).to.equal('false');
    expect(events).to.deep.equal([true, false]);
  });

  it('Escape in bubble mode returns focus to the launcher', async () => {
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
});

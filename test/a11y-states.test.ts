// Issue 6: axe finds nothing, on the widget and on the page around it, in every state a visitor
// can meet: inline and bubble (closed, open), light and dark, empty with suggestions, typing,
// waiting, a long markdown reply, a failure with retry, offline, and right to left (Arabic).
import { expect } from '@open-wc/testing';
import type { ThinnestChat } from '../src/index.js';
import '../src/locales/ar.js';
import { $, chatWith, input, type, until, waitForFailure, waitForReplies } from './helpers/chat.js';
import { LONG_MARKDOWN, axePage, settled, siteAround } from './helpers/a11y.js';

type State = 'empty with suggestions' | 'typing' | 'waiting' | 'replied with a long markdown reply' | 'error with retry' | 'offline';
type Layout = 'inline' | 'bubble, open';

const STATES: State[] = ['empty with suggestions', 'typing', 'waiting', 'replied with a long markdown reply', 'error with retry', 'offline'];

/** Pretends the browser is offline until the returned function is called. */
function goOffline(): () => void {
  Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
  return () => delete (navigator as { onLine?: boolean }).onLine;
}

/** A widget brought into `state`; `cleanup` ends whatever is still in flight. */
async function widgetIn(
  state: State,
  attributes: Record<string, string>,
): Promise<{ el: ThinnestChat; cleanup: () => Promise<void> }> {
  let cleanup = async () => {};
  const steps = { 'waiting': 'hang', 'error with retry': 's500', 'replied with a long markdown reply': 'echo' }[state as string] ?? 'ok';
  const { el } = await chatWith(steps, { suggestions: '["What do you offer?", "Pricing"]', ...attributes });
  if (el.mode === 'bubble') {
    el.show();
    await el.updateComplete;
  }
  switch (state) {
    case 'empty with suggestions':
      await until(() => $(el, '[part~="suggestion"]') !== null, 'suggestions shown');
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
    case 'replied with a long markdown reply':
      await el.send(LONG_MARKDOWN);
      await waitForReplies(el, 1);
      expect($(el, '[part~="assistant-message"] .md-table'), 'the table').to.exist;
      expect($(el, '[part~="assistant-message"] [data-copy]'), 'the copy button').to.exist;
      break;
    case 'error with retry':
      await el.send('This will fail');
      await waitForFailure(el);
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

describe('axe in every state', function () {
  // axe over a whole widget and page, on a loaded machine.
  this.timeout(40000);

  for (const theme of ['light', 'dark'] as const) {
    for (const layout of ['inline', 'bubble, open'] as Layout[]) {
      for (const state of STATES) {
        it(`finds no violations on the widget or the page: ${state}, ${layout}, ${theme}`, async () => {
          const mode = layout === 'inline' ? 'inline' : 'bubble';
          const { el, cleanup } = await widgetIn(state, { theme, mode });
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

    it(`finds no violations with the bubble closed, before and after a reply: ${theme}`, async () => {
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

  for (const state of STATES) {
    it(`finds no violations right to left (lang="ar"): ${state}`, async () => {
      const { el, cleanup } = await widgetIn(state, { lang: 'ar', mode: state === 'waiting' ? 'bubble' : 'inline' });
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

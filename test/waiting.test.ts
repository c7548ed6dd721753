// Honest waiting (issue 17 §5): while a reply is awaited, after 3 s the typing indicator says how long
// replies usually take here (the median of this browser's last 20 reply times, read from the stored
// conversation; nothing before 3 replies), and from twice that long that the reply is still being
// worked on; each note is said once to screen readers, and both go when the wait ends. The median and
// the rounding are unit-tested in test/unit/waiting.test.ts.
import { expect } from '@open-wc/testing';
import type { ChatMessage, ThinnestChat } from '../src/index.js';
import de from '../src/locales/de.js';
import { format } from '../src/strings.js';
import { waitingEnglish } from '../src/waiting-strings.js';
import { $, chatWith, sendAsVisitor, sleep, type, uniqueId, until, waitForReplies } from './helpers/chat.js';
import { axePage, listen, settled, siteAround } from './helpers/a11y.js';

/** Storage keys this file seeded, removed after each test. */
let seeded: string[] = [];

afterEach(() => {
  for (const key of seeded) localStorage.removeItem(key);
  seeded = [];
});

/** A stored conversation whose replies took `times` ms each, a visitor message a minute, an hour ago. */
function pastReplies(times: number[]): ChatMessage[] {
  const start = Date.now() - 3_600_000;
  return times.flatMap((time, i): ChatMessage[] => [
    { id: `u${i}`, role: 'user', text: `Question ${i}`, createdAt: start + i * 60_000 },
    { id: `a${i}`, role: 'assistant', text: `Answer ${i}`, createdAt: start + i * 60_000 + time },
  ]);
}

/** A widget in `mode` (a bubble opened) whose stored conversation holds replies that took `times` ms, its proxy playing `steps`. */
async function widgetWithPast(mode: string, times: number[], steps: string, attributes: Record<string, string> = {}): Promise<ThinnestChat> {
  const storageKey = `test-${uniqueId('waiting')}`;
  localStorage.setItem(`thinnest-chat:${storageKey}`, JSON.stringify({ v: 1, sessionId: 'seeded-session', messages: pastReplies(times) }));
  seeded.push(`thinnest-chat:${storageKey}`);
  const { el } = await chatWith(steps, { mode, 'storage-key': storageKey, ...attributes });
  if (mode === 'bubble') el.show();
  await el.updateComplete;
  expect(el.messages, 'the stored conversation').to.have.length(times.length * 2);
  return el;
}

/** The typing indicator's note as shown, or null. */
const note = (el: ThinnestChat) => $(el, '.typing small')?.textContent ?? null;
const statusRegion = (el: ThinnestChat) => $(el, '[role="status"]')!;
/** Milliseconds since the visitor's newest message was sent. */
const waited = (el: ThinnestChat) => Date.now() - el.messages.filter((m) => m.role === 'user').at(-1)!.createdAt;

describe('honest waiting', function () {
  this.timeout(30000);

  for (const mode of ['inline', 'bubble']) {
    describe(mode, () => {
      it('shows only the typing dots before there are 3 replies to go by, however long the wait', async () => {
        // Two replies that took 1 s: with a third, 3 s would already be "still working".
        const el = await widgetWithPast(mode, [1000, 1000], 'slow3800');
        const status = listen(statusRegion(el));
        await sendAsVisitor(el, 'Is there a free plan?');
        await until(() => $(el, '.typing') !== null, 'the typing indicator');
        await until(() => waited(el) > 3500, '3.5 s of waiting', 6000);
        expect($(el, '.typing'), 'still waiting').to.exist;
        expect(note(el)).to.equal(null);
        await waitForReplies(el, 3);
        expect(status.spoken, 'said to screen readers').to.deep.equal([]);
        status.stop();
      });

      it('after 3 s says how long replies usually take, from twice that long that it is still working, once each to screen readers; both go when the reply lands', async () => {
        // Replies took 2 s (median 2 s; one slow outlier does not count): "about 2 seconds" at 3 s, still working at 4 s.
        const el = await widgetWithPast(mode, [1900, 2000, 30_000, 2100, 2000], 'slow5200');
        // Narrow, so the note takes two lines and the conversation scrolls.
        el.style.setProperty(mode === 'bubble' ? '--thinnest-chat-width' : 'width', '270px');
        const status = listen(statusRegion(el));
        await sendAsVisitor(el, 'Which plan suits a team of five?');
        await sleep(2500);
        expect($(el, '.typing'), 'waiting').to.exist;
        expect(note(el), 'nothing before 3 s').to.equal(null);

        const usual = format(waitingEnglish.usualWait, { seconds: 2 });
        await until(() => note(el) !== null, 'the usual time', 3000);
        expect(waited(el)).to.be.within(3000, 4000);
        expect(note(el)).to.equal(usual);
        expect(usual).to.equal('Usually replies in about 2 seconds');
        // The note is inside the typing bubble, which stays in view at the end of the transcript as it grows.
        const box = $(el, '[part~="transcript"]')!;
        expect(box.scrollHeight, 'the conversation scrolls').to.be.greaterThan(box.clientHeight);
        expect($(el, '.typing small')!.getBoundingClientRect().height).to.be.greaterThan(20);
        expect($(el, '.typing')!.getBoundingClientRect().bottom).to.be.at.most(box.getBoundingClientRect().bottom);
        // Re-renders (the visitor typing meanwhile) neither change it nor say it again.
        await type(el, 'and for ten?');

        await until(() => note(el) === waitingEnglish.longWait, 'still working', 3000);
        expect(waited(el)).to.be.within(4000, 5000);
        await waitForReplies(el, 6);
        expect($(el, '.typing'), 'no typing indicator once the reply is here').to.equal(null);
        expect(note(el)).to.equal(null);
        await sleep(250);
        expect(status.spoken).to.deep.equal([usual, waitingEnglish.longWait]);
        status.stop();
      });

      it('speaks the widget\'s language, is axe-clean while shown, and goes when the visitor stops the request', async () => {
        const el = await widgetWithPast(mode, [2000, 2000, 2000], 'hang', { lang: 'de' });
        const restore = siteAround(el);
        try {
          await sendAsVisitor(el, 'Gibt es einen Gratis-Tarif?');
          await until(() => note(el) !== null, 'the usual time', 5000);
          expect(note(el)).to.equal(format(de.usualWait, { seconds: 2 }));
          expect(note(el)).to.equal('Antwortet meist in etwa 2 Sekunden');
          await settled(el);
          await expect(el).to.be.accessible();
          expect(await axePage()).to.deep.equal([]);
          await until(() => note(el) === de.longWait, 'still working, in German', 3000);
          ($(el, '[part~="stop-button"]') as HTMLButtonElement).click();
          await until(() => $(el, '.typing') === null, 'the wait ends');
          expect(el.messages.at(-1)!.status).to.equal('failed');
        } finally {
          restore();
        }
      });
    });
  }
});

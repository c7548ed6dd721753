// The visitor's own data (SPEC §3, `hide-data-controls`): the header's "Download conversation" saves the
// transcript as a Markdown file (the title and the day, each message with who said it and when, replies as the
// markdown they came as); "Delete conversation" asks once, then wipes the stored conversation and starts a new
// session, in every tab. Both are disabled while there is nothing to keep, and `hide-data-controls` hides both.
import { expect } from '@open-wc/testing';
import type { ThinnestChat } from '../src/index.js';
import de from '../src/locales/de.js';
import { $, bubbles, chatWith, input, sleep, until, waitForReplies } from './helpers/chat.js';
import { axePage, listen, siteAround } from './helpers/a11y.js';
import { press } from './helpers/commands.js';
import { closePages, openPage } from './helpers/pages.js';

const downloadButton = (el: ThinnestChat) => $(el, '[part~="download-button"]') as HTMLButtonElement | null;
const deleteButton = (el: ThinnestChat) => $(el, '[part~="delete-button"]') as HTMLButtonElement | null;
const question = (el: ThinnestChat) => $(el, '[part~="delete-confirm"]');
const focused = (el: ThinnestChat) => el.shadowRoot!.activeElement;
/** What the widget keeps in localStorage under its storage key. */
const stored = (el: ThinnestChat) => JSON.parse(localStorage.getItem(`thinnest-chat:${el.getAttribute('storage-key')}`) ?? 'null');

/** Clicks "Download conversation" and reads the file the browser was given: its name and its text (the download itself is held back). */
async function downloaded(el: ThinnestChat): Promise<{ name: string; text: string }> {
  const link = new Promise<HTMLAnchorElement>((resolve) => {
    const onClick = (event: Event) => {
      if (!(event.target instanceof HTMLAnchorElement) || !event.target.download) return;
      event.preventDefault();
      el.shadowRoot!.removeEventListener('click', onClick, true);
      resolve(event.target);
    };
    el.shadowRoot!.addEventListener('click', onClick, true);
  });
  downloadButton(el)!.click();
  const anchor = await link;
  return { name: anchor.download, text: await (await fetch(anchor.href)).text() };
}

const today = () => {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
};

describe('the visitor’s own data', () => {
  afterEach(closePages);

  it('the header offers both, disabled until there is a conversation; hide-data-controls hides both', async () => {
    const { el } = await chatWith('ok');
    expect(downloadButton(el)!.getAttribute('aria-label')).to.equal('Download conversation');
    expect(deleteButton(el)!.getAttribute('aria-label')).to.equal('Delete conversation');
    expect(downloadButton(el)!.closest('[part~="header"]'), 'in the header').to.not.equal(null);
    expect([downloadButton(el)!.disabled, deleteButton(el)!.disabled], 'nothing to keep yet').to.deep.equal([true, true]);

    await el.send('Hello');
    await el.updateComplete;
    expect([downloadButton(el)!.disabled, deleteButton(el)!.disabled]).to.deep.equal([false, false]);

    el.setAttribute('hide-data-controls', '');
    await el.updateComplete;
    expect([downloadButton(el), deleteButton(el)]).to.deep.equal([null, null]);
    expect($(el, '[part~="new-session-button"]'), 'the rest of the header stays').to.not.equal(null);
    el.hideDataControls = false;
    await el.updateComplete;
    expect(downloadButton(el)).to.not.equal(null);
  });

  it('downloads the conversation as Markdown: title and day, each message with speaker and time, replies as they came', async () => {
    const { el } = await chatWith('md,ok', { 'chat-title': 'Acme: Desk / Sales' });
    await el.send('What plans are there?');
    await el.send('And *prices*?');
    await waitForReplies(el, 2);
    const { name, text } = await downloaded(el);
    // Characters a file system refuses in a name become one space.
    expect(name).to.equal(`Acme Desk Sales ${today()}.md`);
    expect(text.startsWith(`# Acme: Desk / Sales\n\n${today()}\n`), text.slice(0, 80)).to.equal(true);
    const [question1, reply1, question2, reply2] = el.messages;
    // Each message's date and time, in the widget's language (the page's here).
    const format = new Intl.DateTimeFormat(document.documentElement.lang || undefined, { dateStyle: 'medium', timeStyle: 'short' });
    const time = (ms: number) => format.format(ms);
    expect(text).to.contain(`**You** · ${time(question1.createdAt)}\n\nWhat plans are there?\n`);
    // The reply as the markdown it came as (its table, its code block), not as HTML.
    expect(text).to.contain(`**Assistant** · ${time(reply1.createdAt)}\n\n${reply1.text}\n`);
    expect(reply1.text).to.contain('|');
    expect(text).to.contain(`**You** · ${time(question2.createdAt)}\n\nAnd *prices*?\n`);
    expect(text).to.contain(`**Assistant** · ${time(reply2.createdAt)}\n\n${reply2.text}\n`);
    expect(text.indexOf('What plans')).to.be.lessThan(text.indexOf('And *prices*'));
  });

  it('says which message was not delivered', async () => {
    const { el } = await chatWith('s500');
    await el.send('Lost one');
    await until(() => el.messages[0]?.status === 'failed', 'the send failed');
    const { text } = await downloaded(el);
    expect(text).to.match(/\*\*You\*\* · [^\n]+ · Not delivered\n\nLost one\n/);
  });

  it('asks before deleting: Cancel and Escape keep everything and give focus back; the bubble stays open', async () => {
    const { el } = await chatWith('ok', { mode: 'bubble' });
    el.show();
    await el.send('Keep me');
    await waitForReplies(el, 1);
    const before = stored(el);

    deleteButton(el)!.click();
    await until(() => question(el) !== null, 'the question');
    expect(question(el)!.getAttribute('role')).to.equal('alertdialog');
    expect(question(el)!.textContent).to.contain('Delete this conversation from this browser?');
    await until(() => focused(el)?.textContent === 'Cancel', 'Cancel has focus: the choice that loses nothing');
    // A second click does not ask twice.
    deleteButton(el)!.click();
    await sleep(50);
    expect(el.shadowRoot!.querySelectorAll('[part~="delete-confirm"]')).to.have.length(1);

    (focused(el) as HTMLButtonElement).click();
    expect(question(el)).to.equal(null);
    expect(focused(el)).to.equal(deleteButton(el));
    expect(bubbles(el)).to.deep.equal(['Keep me', 'Reply 1 to: Keep me']);

    deleteButton(el)!.click();
    await until(() => focused(el)?.textContent === 'Cancel', 'asked again');
    await press('Escape');
    await until(() => question(el) === null, 'Escape answers the question');
    expect(el.open, 'Escape closed the question, not the bubble').to.equal(true);
    expect(focused(el)).to.equal(deleteButton(el));
    expect(stored(el)).to.deep.equal(before);

    // Closing the bubble leaves the question unanswered: opened again, the panel asks nothing, and nothing was deleted.
    deleteButton(el)!.click();
    await until(() => question(el) !== null, 'asked a third time');
    el.hide();
    await el.updateComplete;
    el.show();
    await el.updateComplete;
    expect(question(el)).to.equal(null);
    expect(stored(el)).to.deep.equal(before);
    expect(bubbles(el)).to.deep.equal(['Keep me', 'Reply 1 to: Keep me']);
  });

  it('Delete wipes the stored conversation, starts a new session, says so, and another tab follows', async () => {
    const { el } = await chatWith('ok');
    await el.send('Forget me');
    await waitForReplies(el, 1);
    const first = el.sessionId;
    const other = await openPage(
      `/test/pages/widget.html?key=${encodeURIComponent(el.getAttribute('storage-key')!)}&proxy=${encodeURIComponent(el.proxyUrl!)}`,
    );
    await until(() => other.el.messages.length === 2, 'the other tab shows the conversation');
    const status = listen($(el, '[role="status"]')!);

    deleteButton(el)!.click();
    await until(() => question(el) !== null, 'the question');
    ($(el, '[part~="delete-confirm-button"]') as HTMLButtonElement).click();
    await el.updateComplete;
    expect(question(el)).to.equal(null);
    expect(el.messages).to.deep.equal([]);
    expect(bubbles(el)).to.deep.equal([]);
    expect(el.sessionId).to.not.equal(first);
    expect(stored(el).messages, 'nothing of it is stored').to.deep.equal([]);
    expect(JSON.stringify(stored(el))).to.not.contain('Forget me');
    await until(() => status.spoken.join(' ').includes('Conversation deleted'), 'it is announced');
    expect(focused(el), 'focus goes to the input').to.equal(input(el));
    await until(() => other.el.messages.length === 0 && other.el.sessionId === el.sessionId, 'the other tab follows');
  });

  it('speaks the widget’s language and passes axe with the question open', async () => {
    const { el } = await chatWith('ok', { lang: 'de' });
    await el.send('Hallo');
    await waitForReplies(el, 1);
    expect(downloadButton(el)!.getAttribute('aria-label')).to.equal(de.downloadConversation);
    expect(deleteButton(el)!.title).to.equal(de.deleteConversation);
    deleteButton(el)!.click();
    await until(() => question(el) !== null, 'the question');
    expect(question(el)!.textContent).to.contain(de.deleteConfirm);
    expect(focused(el)!.textContent).to.equal(de.cancelButton);
    expect($(el, '[part~="delete-confirm-button"]')!.textContent).to.equal(de.deleteConfirmButton);
    const restore = siteAround(el);
    try {
      expect(await axePage()).to.deep.equal([]);
    } finally {
      restore();
    }
  });
});

// SPEC §4 Accessible, what a screen reader is told, observed as DOM mutations of the live regions. The
// transcript is a polite log that speaks each finished message once (not the typing indicator,
// not a re-render); a failure is said once, urgently, by an alert region; a reply behind the
// closed bubble and a copied code block once, politely, by a status region.
import { expect, fixture, html } from '@open-wc/testing';
import type { ThinnestChat } from '../src/index.js';
import { englishStrings as en } from '../src/english.js';
import de from '../src/locales/de.js';
import { $, chatWith, fakeUrl, input, sleep, type, uniqueId, until, waitForFailure, waitForReplies } from './helpers/chat.js';
import { listen } from './helpers/a11y.js';

const log = (el: ThinnestChat) => $(el, '[part~="transcript"]')!;
const alertRegion = (el: ThinnestChat) => $(el, '[role="alert"]')!;
const statusRegion = (el: ThinnestChat) => $(el, '[role="status"]')!;
/** Lets pending mutation records and announcement timers land. */
const flush = () => sleep(250);

describe('announcements', function () {
  this.timeout(20000);

  it('has a polite log and separate polite and urgent regions, all empty at first', async () => {
    const { el } = await chatWith('ok', { mode: 'bubble' });
    expect(log(el).getAttribute('role')).to.equal('log');
    expect(log(el).getAttribute('aria-live')).to.equal('polite');
    expect(log(el).getAttribute('aria-relevant')).to.equal('additions');
    expect(statusRegion(el).textContent).to.equal('');
    expect(alertRegion(el).textContent).to.equal('');
    // Outside the panel, so they still speak while the bubble is closed (the panel is display: none).
    expect(statusRegion(el).closest('[part~="panel"]')).to.equal(null);
    expect(alertRegion(el).closest('[part~="panel"]')).to.equal(null);
    expect(getComputedStyle($(el, '[part~="panel"]')!).display).to.equal('none');
  });

  it('speaks each finished message once: not the typing indicator, not a re-render', async () => {
    const { el } = await chatWith('slow400');
    const transcript = listen(log(el));
    const sending = el.send('hello there');
    await until(() => $(el, '.typing') !== null, 'the typing indicator shows');
    await sending;
    await waitForReplies(el, 1);
    await flush();
    expect(transcript.added.some((node) => node.classList.contains('typing')), 'the typing indicator was added').to.equal(true);
    expect(transcript.spoken).to.have.length(2);
    expect(transcript.spoken[0]).to.contain(`${en.you}:`).and.to.contain('hello there');
    expect(transcript.spoken[1]).to.contain(`${en.assistant}:`).and.to.contain('Slow reply to: hello there');
    transcript.stop();

    // Re-renders of every kind leave the log untouched.
    const quiet = listen(log(el));
    await type(el, 'a draft that is not sent yet');
    el.setAttribute('theme', 'dark');
    el.setAttribute('chat-title', 'Help');
    el.strings = { sendButton: 'Go' };
    for (let i = 0; i < 3; i++) {
      el.requestUpdate();
      await el.updateComplete;
    }
    await flush();
    expect(quiet.records, 'mutations in the log').to.have.length(0);
    expect(input(el).value).to.equal('a draft that is not sent yet');
    quiet.stop();
  });

  it('says a failure once, urgently, through the alert region and not through the log', async () => {
    const { el } = await chatWith('s500,s500,ok');
    const transcript = listen(log(el));
    const alert = listen(alertRegion(el));
    await el.send('This will fail');
    await waitForFailure(el);
    await until(() => alert.spoken.length > 0, 'the failure is announced');
    await flush();
    expect(alert.spoken).to.deep.equal([`${en.notDelivered}: ${en.errorServer}`]);
    expect(transcript.spoken, 'the log speaks only the visitor message').to.have.length(1);
    expect(transcript.spoken[0]).to.contain('This will fail').and.not.contain(en.errorServer);
    expect(transcript.added.some((node) => node.matches('[part~="error"]')), 'the failure note is shown').to.equal(true);

    // A re-render (a new title, a tick of the clock) says nothing new.
    el.setAttribute('chat-title', 'Help');
    el.requestUpdate();
    await el.updateComplete;
    await flush();
    expect(alert.spoken).to.have.length(1);

    // A second failure is a second event: said again, once.
    ($(el, '[part~="retry-button"]') as HTMLButtonElement).click();
    await until(() => el.messages.at(-1)?.status === 'pending', 'retrying');
    await waitForFailure(el);
    await until(() => alert.spoken.length > 1, 'the second failure is announced');
    await flush();
    expect(alert.spoken).to.deep.equal([`${en.notDelivered}: ${en.errorServer}`, `${en.notDelivered}: ${en.errorServer}`]);

    // A retry that succeeds: the reply is spoken by the log, the alert region stays silent.
    ($(el, '[part~="retry-button"]') as HTMLButtonElement).click();
    await waitForReplies(el, 1);
    await flush();
    expect(alert.spoken).to.have.length(2);
    expect(transcript.spoken.at(-1)).to.contain('Reply 3 to: This will fail');
    expect(transcript.spoken.join(' ')).to.not.contain(en.errorServer);
    transcript.stop();
    alert.stop();
  });

  it('empties the alert region after a while, so nobody finds a stale alert later', async () => {
    const { el } = await chatWith('s502');
    await el.send('fails');
    await waitForFailure(el);
    await until(() => alertRegion(el).textContent !== '', 'announced');
    expect(alertRegion(el).textContent).to.equal(`${en.notDelivered}: ${en.errorBadGateway}`);
    await until(() => alertRegion(el).textContent === '', 'cleared', 12000);
  });

  it('does not announce failures restored from storage, nor a refused configuration', async () => {
    const id = uniqueId();
    const first = await fixture<ThinnestChat>(
      html`<thinnest-chat storage-key=${`test-${id}`} proxy-url=${fakeUrl(id, 's500')}></thinnest-chat>`,
    );
    await first.send('fails');
    await waitForFailure(first);
    await until(() => alertRegion(first).textContent !== '', 'announced in the first widget');

    const again = await fixture<ThinnestChat>(
      html`<thinnest-chat storage-key=${`test-${id}`} proxy-url=${fakeUrl(id, 's500')}></thinnest-chat>`,
    );
    expect(again.messages.at(-1)?.status, 'the failure is restored').to.equal('failed');
    const restored = listen(alertRegion(again));
    await flush();
    expect(restored.spoken).to.deep.equal([]);
    expect(alertRegion(again).textContent).to.equal('');
    restored.stop();

    // The key-on-the-page refusal is for the site owner (console and event), not for the visitor's ears.
    const errors: string[] = [];
    again.addEventListener('thinnest-chat-error', (e) => errors.push(e.detail.code));
    const refused = listen(alertRegion(again));
    const consoleError = console.error;
    console.error = () => {};
    try {
      again.setAttribute('proxy-url', 'https://api.thinnest.ai/v1/agents/x/chat');
      await again.updateComplete;
      await flush();
    } finally {
      console.error = consoleError;
    }
    expect(errors).to.deep.equal(['misconfigured']);
    expect(refused.spoken).to.deep.equal([]);
    refused.stop();
  });

  it('says "New reply" once, politely, for a reply behind the closed bubble', async () => {
    const { el } = await chatWith('ok', { mode: 'bubble' });
    const status = listen(statusRegion(el));
    await el.send('hello');
    await waitForReplies(el, 1);
    await until(() => status.spoken.length > 0, 'announced');
    await flush();
    expect(status.spoken).to.deep.equal([en.unreadLabel]);
    // With the panel open the log speaks the reply itself; the status region stays quiet.
    el.show();
    await el.updateComplete;
    await el.send('again');
    await waitForReplies(el, 2);
    await flush();
    expect(status.spoken).to.deep.equal([en.unreadLabel]);
    status.stop();
  });

  it('marks the launcher when a message fails while closed, says so once, and clears the mark when opened', async () => {
    const { el } = await chatWith('s500', { mode: 'bubble' });
    const launcher = $(el, '[part~="launcher"]')!;
    const alerts = listen(alertRegion(el));
    await el.send('hi');
    await waitForFailure(el);
    const mark = $(el, '[part~="unread"]')!;
    expect(mark, 'the launcher is marked').to.exist;
    expect(mark.classList.contains('failure'), 'as a failure, not a reply').to.equal(true);
    expect(getComputedStyle(mark, '::after').content, 'told apart by a mark, not colour alone').to.equal('"!"');
    expect(launcher.getAttribute('aria-label')).to.equal(`${en.openChat} (${en.notDelivered})`);
    await until(() => alerts.spoken.length > 0, 'the failure is said');
    await sleep(300);
    expect(alerts.spoken, 'said once').to.have.length(1);
    expect(alerts.spoken[0]).to.contain(en.notDelivered);
    el.show();
    await el.updateComplete;
    expect($(el, '[part~="unread"]')).to.equal(null);
    alerts.stop();
  });

  it('retrying an earlier failed message moves only that message: later ones keep their nodes and are not spoken again', async () => {
    const { el } = await chatWith('s500,ok,ok');
    await el.send('First, fails');
    await waitForFailure(el);
    await el.send('Second');
    await waitForReplies(el, 1);
    const entry = (text: string) => el.shadowRoot!.querySelector(`[data-id="${el.messages.find((m) => m.text === text)!.id}"]`)!;
    const second = entry('Second');
    const reply = entry('Reply 2 to: Second');
    const transcript = listen(log(el));
    ($(el, '[part~="retry-button"]') as HTMLButtonElement).click();
    await waitForReplies(el, 2);
    await flush();
    expect(el.messages.map((m) => m.text)).to.deep.equal(['Second', 'Reply 2 to: Second', 'First, fails', 'Reply 3 to: First, fails']);
    expect(entry('Second'), 'the later message keeps its node').to.equal(second);
    expect(entry('Reply 2 to: Second'), 'its reply keeps its node').to.equal(reply);
    // Spoken: the retried message, where it now stands, and its reply; nothing that was already there.
    expect(transcript.spoken.filter((text) => text.includes('Second'))).to.deep.equal([]);
    expect(transcript.spoken.some((text) => text.includes('Reply 3 to: First, fails'))).to.equal(true);
    transcript.stop();
  });

  it('says "Copied" once when code is copied, without the log speaking the button again', async () => {
    const { el } = await chatWith('md');
    await el.send('code please');
    await waitForReplies(el, 1);
    const clipboard = navigator.clipboard as Clipboard & { writeText: Clipboard['writeText'] };
    Object.defineProperty(clipboard, 'writeText', { configurable: true, writable: true, value: async () => {} });
    const transcript = listen(log(el));
    const status = listen(statusRegion(el));
    try {
      const button = $(el, '[data-copy]') as HTMLButtonElement;
      button.click();
      await until(() => status.spoken.length > 0, 'announced');
      expect(button.textContent).to.equal(en.copied);
      await until(() => button.textContent === en.copyCode, 'label restored', 10000);
    } finally {
      delete (clipboard as { writeText?: unknown }).writeText;
    }
    expect(status.spoken).to.deep.equal([en.copied]);
    expect(transcript.spoken, 'the log').to.deep.equal([]);
    transcript.stop();
    status.stop();
  });

  it('a change of language relabels the transcript in place, without speaking it again', async () => {
    const { el } = await chatWith('md', { lang: 'en' });
    await el.send('code please');
    await waitForReplies(el, 1);
    const transcript = listen(log(el));
    const reply = $(el, '[part~="assistant-message"] .markdown')!;
    el.setAttribute('lang', 'de');
    await until(() => $(el, '[data-copy]')!.textContent === de.copyCode, 'relabelled');
    await flush();
    expect($(el, '[part~="assistant-message"] .markdown'), 'the same reply node').to.equal(reply);
    expect(transcript.spoken).to.deep.equal([]);
    expect(transcript.added).to.deep.equal([]);
    transcript.stop();
  });
});

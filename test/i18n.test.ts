// Every visible string and accessible name comes from `strings`; locales ship as
// separate modules that register themselves; the language follows `lang` (the element's, an
// ancestor's or the page's) with region and per-key fallbacks; RTL languages mirror the layout;
// times are formatted with Intl in the widget's language.
import { expect } from '@open-wc/testing';
import type { ThinnestChat } from '../src/index.js';
import { LOCALE_EVENT, registerLocale } from '../src/index.js';
import { format, type ChatStrings, type LocaleStrings, type StringKey } from '../src/strings.js';
import { englishStrings as en } from '../src/english.js';
import de from '../src/locales/de.js';
import fr from '../src/locales/fr.js';
import es from '../src/locales/es.js';
import pt from '../src/locales/pt.js';
import ja from '../src/locales/ja.js';
import ar from '../src/locales/ar.js';
import { $, $$, chatWith, fakeUrl, input, type, uniqueId, until, waitForReplies } from './helpers/chat.js';
import { everyControl } from './helpers/a11y.js';

const LOCALES: Record<string, LocaleStrings> = { de, fr, es, pt, ja, ar };

/** Every text a visitor can see or hear from the widget's own chrome: text nodes and labelling attributes. */
function chrome(el: ThinnestChat): string[] {
  const found: string[] = [];
  const walker = document.createTreeWalker(el.shadowRoot!, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    // Message bodies are the conversation, not the widget's words (except its own buttons); times come from Intl;
    // the live regions hold what was announced (for 7 s), in the language of the moment it was said.
    if (!parent || parent.closest('time, .announce-status, .announce-alert')) continue;
    if (parent.closest('.bubble') && !parent.closest('.md-copy, .md-shortened')) continue;
    const text = node.textContent!.replace(/\s+/g, ' ').trim();
    if (text) found.push(text);
  }
  for (const node of $$(el, '[aria-label], [title], [placeholder]')) {
    for (const name of ['aria-label', 'title', 'placeholder']) {
      const value = node.getAttribute(name);
      if (value) found.push(value);
    }
  }
  return found;
}

/** The strings a rich widget shows, by key (formatted as the widget formats them). */
function shown(s: LocaleStrings): string[] {
  return [
    s.chatTitle,
    s.placeholder,
    s.transcriptLabel,
    s.composerLabel,
    s.sendButton,
    s.retryButton,
    s.newSessionButton,
    s.downloadConversation,
    s.deleteConversation,
    s.copyCode,
    s.closeChat,
    s.you,
    s.assistant,
    s.notDelivered,
    s.errorServer,
    format(s.counter, { count: 0, max: 4000 }),
  ];
}

describe('internationalization', function () {
  this.timeout(30000);

  afterEach(() => {
    document.documentElement.removeAttribute('lang');
    document.documentElement.removeAttribute('dir');
  });

  it('takes every visible string and accessible name from `strings`', async () => {
    // Each key set to a marker: whatever the chrome shows must be made of markers only.
    const markers = Object.fromEntries(
      (Object.keys(en) as StringKey[]).map((key) => [key, `‹${key}${(en[key].match(/\{\w+\}/g) ?? []).join('')}›`]),
    );
    const el = await everyControl({ suggestions: '["x"]', strings: JSON.stringify(markers) });
    const texts = chrome(el);
    expect(texts.length).to.be.greaterThan(10);
    const stray = texts.filter((text) => /\p{L}/u.test(text.replace(/‹[^›]*›/g, '')));
    expect(stray, 'text not from `strings`').to.deep.equal([]);
    // The launcher's name while closed, with a reply waiting, and the typing indicator's title.
    el.hide();
    await el.send('more');
    await waitForReplies(el, 2);
    const closed = $(el, '[part~="launcher"]')!.getAttribute('aria-label')!;
    expect(closed.replace(/‹[^›]*›/g, '')).to.not.match(/\p{L}/u);
    expect(closed).to.contain('‹openChat›').and.to.contain('‹unreadLabel›');
  });

  it('titles the panel "Chat" when chat-title is unset (strings.chatTitle), and with chat-title when set', async () => {
    const { el } = await chatWith('ok');
    expect($(el, '[part~="title"]')!.textContent!.trim()).to.equal('Chat');
    expect($(el, '[part~="panel"]')!.getAttribute('aria-label')).to.equal('Chat');
    el.setAttribute('chat-title', 'Acme support');
    await el.updateComplete;
    expect($(el, '[part~="title"]')!.textContent!.trim()).to.equal('Acme support');
    expect($(el, '[part~="panel"]')!.getAttribute('aria-label')).to.equal('Acme support');
  });

  it('switches language at runtime when `lang` changes, accessible names included', async () => {
    const el = await everyControl();
    const check = (s: LocaleStrings, lang: string) => {
      const texts = chrome(el).join('\n');
      for (const text of shown(s)) expect(texts, `${lang}: "${text}"`).to.contain(text);
      for (const text of shown(en)) {
        if (!shown(s).some((own) => own.includes(text))) expect(texts, `${lang}: English "${text}" left`).to.not.contain(text);
      }
      expect($(el, '[part~="launcher"]')!.getAttribute('aria-label')).to.equal(s.closeChat);
      expect(input(el).getAttribute('aria-label')).to.equal(s.composerLabel);
      expect(input(el).placeholder).to.equal(s.placeholder);
    };
    check(en, 'en');
    el.setAttribute('lang', 'de');
    await until(() => $(el, '[part~="send-button"]')!.getAttribute('aria-label') === de.sendButton, 'German');
    check(de, 'de');
    // The page's language applies when the element has none of its own.
    el.removeAttribute('lang');
    document.documentElement.lang = 'ja';
    await until(() => $(el, '[part~="send-button"]')!.getAttribute('aria-label') === ja.sendButton, 'Japanese');
    check(ja, 'ja');
    document.documentElement.lang = 'en';
    await until(() => $(el, '[part~="send-button"]')!.getAttribute('aria-label') === en.sendButton, 'English again');
    check(en, 'en');
  });

  it('follows the nearest ancestor with a lang, across shadow roots', async () => {
    const id = uniqueId();
    // Built by hand: open-wc's fixture() waits a frame for a non-Lit root, and frames stall in a background window.
    const wrapper = document.createElement('section');
    wrapper.lang = 'es';
    wrapper.innerHTML = `<div><thinnest-chat storage-key="test-${id}" proxy-url="${fakeUrl(id, 'ok')}"></thinnest-chat></div>`;
    document.body.append(wrapper);
    try {
      const el = wrapper.querySelector('thinnest-chat')!;
      await el.updateComplete;
      expect($(el, '[part~="send-button"]')!.getAttribute('aria-label')).to.equal(es.sendButton);
      wrapper.setAttribute('lang', 'fr');
      await until(() => $(el, '[part~="send-button"]')!.getAttribute('aria-label') === fr.sendButton, 'French');

      // Inside another component's shadow root, under a host with a lang.
      const host = document.createElement('div');
      host.lang = 'pt';
      wrapper.append(host);
      const inner = document.createElement('thinnest-chat');
      inner.setAttribute('proxy-url', fakeUrl(`${id}-inner`, 'ok'));
      host.attachShadow({ mode: 'open' }).append(inner);
      await inner.updateComplete;
      expect($(inner, '[part~="send-button"]')!.getAttribute('aria-label')).to.equal(pt.sendButton);
      host.lang = 'de';
      await until(() => $(inner, '[part~="send-button"]')!.getAttribute('aria-label') === de.sendButton, 'German inside a shadow root');
    } finally {
      wrapper.remove();
    }
  });

  it('marks its English words lang="en" in a page whose language it has no locale for, and the conversation with the page\'s', async () => {
    document.documentElement.lang = 'sv';
    const { el } = await chatWith('md,ok', { mode: 'bubble', open: '', 'chat-title': 'Kundtjänst', 'welcome-message': 'Hej! Fråga mig.' });
    el.suggestions = ['Vad kostar det?'];
    await el.send('Vad kostar det?');
    await waitForReplies(el, 1);
    const langOf = (node: Element) => node.closest('[lang]')?.getAttribute('lang');
    // The widget's own words: English, said to be English.
    for (const selector of ['[part~="launcher"]', '[part~="send-button"]', '[part~="new-session-button"]', '[part~="counter"]', '.md-copy', '.announce-status', '.announce-alert']) {
      expect(langOf($(el, selector)!), selector).to.equal('en');
    }
    expect($(el, '[part~="send-button"]')!.getAttribute('aria-label')).to.equal(en.sendButton);
    // The site's and the visitor's words, and the agent's replies: the page's language.
    for (const selector of ['[part~="title"]', '[part~="user-bubble"]', '[part~="assistant-bubble"]', '[part~="input"]']) {
      for (const node of $$(el, selector)) expect(langOf(node), selector).to.equal('sv');
    }
    // A page in a language it speaks (or in English) has no lang="en" of the widget's anywhere.
    document.documentElement.lang = 'de';
    await until(() => $(el, '[part~="send-button"]')!.getAttribute('aria-label') === de.sendButton, 'German');
    expect($$(el, '[lang]').map((node) => node.getAttribute('lang'))).to.deep.equal([]);
    document.documentElement.lang = 'en-GB';
    await until(() => $(el, '[part~="send-button"]')!.getAttribute('aria-label') === en.sendButton, 'English');
    expect($$(el, '[lang]')).to.have.length(0);
  });

  it('falls back from a region to its language (pt-BR → pt), and prefers an exact match', async () => {
    const { el } = await chatWith('ok', { lang: 'pt-BR' });
    expect($(el, '[part~="send-button"]')!.getAttribute('aria-label')).to.equal(pt.sendButton);
    registerLocale('pt-BR', { sendButton: 'Mandar' });
    await until(() => $(el, '[part~="send-button"]')!.getAttribute('aria-label') === 'Mandar', 'the exact locale');
    // Keys the regional locale lacks fall back to English, key by key (not to pt: a locale is one layer).
    expect(input(el).getAttribute('aria-label')).to.equal(en.composerLabel);
    el.setAttribute('lang', 'pt-PT');
    await until(() => $(el, '[part~="send-button"]')!.getAttribute('aria-label') === pt.sendButton, 'pt for pt-PT');
  });

  it('falls back per key: a partial locale, and `strings` overrides over a locale', async () => {
    registerLocale('x-partial', { sendButton: 'Partial send' });
    const { el } = await chatWith('ok', { lang: 'x-partial' });
    expect($(el, '[part~="send-button"]')!.getAttribute('aria-label')).to.equal('Partial send');
    expect($(el, '[part~="new-session-button"]')!.getAttribute('aria-label')).to.equal(en.newSessionButton);
    el.setAttribute('lang', 'de');
    el.strings = { sendButton: 'Los!', notAKey: 'ignored', stopButton: 42 } as unknown as Partial<ChatStrings>;
    await el.updateComplete;
    expect($(el, '[part~="send-button"]')!.getAttribute('aria-label')).to.equal('Los!');
    expect($(el, '[part~="new-session-button"]')!.getAttribute('aria-label')).to.equal(de.newSessionButton);
    // An unknown language is English.
    el.strings = {};
    el.setAttribute('lang', 'x-unknown');
    await el.updateComplete;
    expect($(el, '[part~="send-button"]')!.getAttribute('aria-label')).to.equal(en.sendButton);
  });

  it('shows strings with markup as text, never as HTML', async () => {
    const evil = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
    const el = await everyControl({
      strings: JSON.stringify({ chatTitle: evil, sendButton: evil, you: evil, errorServer: evil, copyCode: evil, retryButton: evil }),
    });
    expect(el.shadowRoot!.querySelector('img, b:not(.bubble b)'), 'no element made from a string').to.equal(null);
    expect($(el, '[part~="title"]')!.textContent).to.equal(evil);
    expect($(el, '[part~="send-button"]')!.getAttribute('aria-label')).to.equal(evil);
    expect($(el, '[data-copy]')!.textContent).to.equal(evil);
    expect($(el, '[part~="retry-button"]')!.textContent!.trim()).to.equal(evil);
    expect($(el, '[part~="error"]')!.textContent).to.contain(evil);
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
  });

  it('formats message times with Intl in the widget language', async () => {
    const { el } = await chatWith('ok', { lang: 'de' });
    await el.send('hallo');
    await waitForReplies(el, 1);
    const times = $$(el, '[part~="message"] time');
    expect(times).to.have.length(2);
    const [message] = el.messages;
    expect(times[0].getAttribute('datetime')).to.equal(new Date(message.createdAt).toISOString());
    expect(times[0].textContent).to.equal(new Intl.DateTimeFormat('de', { timeStyle: 'short' }).format(message.createdAt));
    el.setAttribute('lang', 'ar');
    await until(() => times[0].textContent === new Intl.DateTimeFormat('ar', { timeStyle: 'short' }).format(message.createdAt), 'Arabic time');
  });

  it('renders Arabic mirrored: right to left, visitor on the left, launcher in the left corner, arrow turned', async () => {
    await document.fonts?.ready;
    const el = await everyControl({ lang: 'ar' });
    expect(el.getAttribute('dir'), 'dir set for an RTL language').to.equal('rtl');
    expect(getComputedStyle($(el, '[part~="panel"]')!).direction).to.equal('rtl');
    expect($(el, '[part~="send-button"]')!.getAttribute('aria-label')).to.equal(ar.sendButton);
    // The transcript's content box: a right-to-left scrollbar sits on the left (clientLeft counts it).
    const box = $(el, '[part~="transcript"]')!;
    const left = box.getBoundingClientRect().left + box.clientLeft;
    const right = left + box.clientWidth;
    const user = $(el, '[part~="user-message"]')!.getBoundingClientRect();
    const reply = $(el, '[part~="assistant-message"]')!.getBoundingClientRect();
    expect(user.left - left, 'the visitor bubble hugs the left edge').to.be.lessThan(24);
    expect(right - reply.right, 'the reply hugs the right edge').to.be.lessThan(24);
    expect(user.left).to.be.lessThan(reply.left);
    const launcher = $(el, '[part~="launcher"]')!.getBoundingClientRect();
    expect(launcher.left, 'launcher in the bottom-left corner').to.be.lessThan(innerWidth / 2);
    const send = $(el, '[part~="send-button"]')!.getBoundingClientRect();
    expect(send.right, 'send button left of the input').to.be.at.most(input(el).getBoundingClientRect().left + 1);
    expect(getComputedStyle($(el, '[part~="send-button"] svg')!).transform).to.equal('matrix(-1, 0, 0, 1, 0, 0)');
    await expect(el).to.be.accessible();

    // position="bottom-left" mirrors to the right corner.
    el.setAttribute('position', 'bottom-left');
    await el.updateComplete;
    expect($(el, '[part~="launcher"]')!.getBoundingClientRect().left).to.be.greaterThan(innerWidth / 2);
    // Back to a left-to-right language, the dir the widget added goes away.
    el.setAttribute('lang', 'de');
    await until(() => !el.hasAttribute('dir'), 'dir removed');
    expect(getComputedStyle($(el, '[part~="panel"]')!).direction).to.equal('ltr');
  });

  it('mirrors for dir="rtl" without an RTL language, and an explicit dir beats the language', async () => {
    const { el } = await chatWith('ok', { dir: 'rtl' });
    expect(getComputedStyle($(el, '[part~="panel"]')!).direction).to.equal('rtl');
    expect($(el, '[part~="send-button"]')!.getAttribute('aria-label')).to.equal(en.sendButton);
    const ltr = await chatWith('ok', { lang: 'ar', dir: 'ltr' });
    expect(getComputedStyle($(ltr.el, '[part~="panel"]')!).direction).to.equal('ltr');
    expect(ltr.el.getAttribute('dir')).to.equal('ltr');
    // A right-to-left page mirrors it by inheritance; the widget adds nothing of its own.
    document.documentElement.dir = 'rtl';
    const inherited = await chatWith('ok');
    expect(getComputedStyle($(inherited.el, '[part~="panel"]')!).direction).to.equal('rtl');
    expect(inherited.el.hasAttribute('dir')).to.equal(false);
  });

  it('picks up a locale registered after the element, as a script-tag locale file does', async () => {
    const { el } = await chatWith('ok', { lang: 'x-late' });
    expect($(el, '[part~="send-button"]')!.getAttribute('aria-label')).to.equal(en.sendButton);
    // A locale file has its own copy of the registry module (a separate bundle): simulated by a second
    // module instance, loaded under another URL.
    const copy = '../src/locale-registry.ts?another-bundle';
    const registry = (await import(/* @vite-ignore */ copy)) as typeof import('../src/locale-registry.js');
    expect(registry.registerLocale).to.not.equal(registerLocale);
    registry.registerLocale('x-late', { sendButton: 'Late send' });
    await until(() => $(el, '[part~="send-button"]')!.getAttribute('aria-label') === 'Late send', 'the late locale applies');
  });

  it('uses a locale put on the global registry before the element exists, as a classic script would', async () => {
    const key = Symbol.for('thinnest-chat.locales');
    const global = globalThis as unknown as Record<symbol, Record<string, Partial<ChatStrings>>>;
    (global[key] ??= {})['x-early'] = { sendButton: 'Early send' };
    const { el } = await chatWith('ok', { lang: 'x-early' });
    expect($(el, '[part~="send-button"]')!.getAttribute('aria-label')).to.equal('Early send');
    // And the documented event re-renders widgets for a locale written straight into the registry.
    global[key]['x-early'] = { sendButton: 'Early send, updated' };
    dispatchEvent(new CustomEvent(LOCALE_EVENT, { detail: { lang: 'x-early' } }));
    await until(() => $(el, '[part~="send-button"]')!.getAttribute('aria-label') === 'Early send, updated', 'updated');
  });

  it('ships complete locales that keep every placeholder', () => {
    const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
    for (const [lang, strings] of Object.entries(LOCALES)) {
      expect(Object.keys(strings).sort(), lang).to.deep.equal(Object.keys(en).sort());
      for (const key of Object.keys(en) as StringKey[]) {
        expect(strings[key], `${lang}.${key}`).to.be.a('string').and.not.equal('');
        expect(placeholders(strings[key]), `${lang}.${key} placeholders`).to.deep.equal(placeholders(en[key]));
      }
    }
  });

  it('counts and types in any language: the counter and the input work in Japanese', async () => {
    const { el } = await chatWith('echo', { lang: 'ja' });
    await type(el, 'こんにちは');
    expect($(el, '[part~="counter"]')!.textContent).to.contain(format(ja.counter, { count: 5, max: 4000 }));
    input(el).dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true, cancelable: true }));
    await waitForReplies(el, 1);
    expect(el.messages.at(-1)!.text).to.equal('こんにちは');
  });
});

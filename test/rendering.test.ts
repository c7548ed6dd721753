// SPEC §4 Rendering: replies are GFM markdown rendered by marked and sanitized by DOMPurify;
// visitor messages are plain text; each message is parsed once; code blocks get a copy button.
import { expect } from '@open-wc/testing';
import type { ThinnestChat } from '../src/index.js';
import { $, $$, LABELS, assistantMessages, chatWith, requestsFor, sleep, until, userMessages } from './helpers/chat.js';
import { accessibleName } from './helpers/a11y.js';
import { engine } from './helpers/commands.js';
import { ready, renderMarkdown, warmUp } from '../src/markdown.js';

declare global {
  interface Window {
    __pwn?: unknown;
  }
}

/** The bubbles of replies that arrived (the welcome bubble has no data-id). */
function replyBubbles(el: ThinnestChat): HTMLElement[] {
  return $$(el, '[part~="assistant-message"][data-id] .bubble');
}

/** Sends `markdown` to an `echo` fake, so the reply is exactly that markdown; returns the reply bubble. */
async function replyWith(markdown: string, extra: Record<string, string> = {}): Promise<{ el: ThinnestChat; bubble: HTMLElement }> {
  const { el } = await chatWith('echo', { 'max-length': '20000', ...extra });
  await el.send(markdown);
  await el.updateComplete;
  const bubbles = replyBubbles(el);
  expect(bubbles, 'one reply rendered').to.have.length(1);
  return { el, bubble: bubbles[0] };
}


describe('rendering replies as markdown', () => {
  it('renders GFM lists, emphasis, tables and code from the proxy reply', async () => {
    const { el } = await chatWith('md');
    await el.send('What plans are there?');
    await el.updateComplete;
    const [bubble] = replyBubbles(el);
    expect(bubble, 'the reply bubble').to.exist;
    const items = Array.from(bubble.querySelectorAll('ul > li'));
    expect(items.map((li) => li.textContent!.trim())).to.deep.equal(['Starter: 1 agent', 'Team: 5 agents, see pricing']);
    expect(items[0].querySelector('strong')!.textContent).to.equal('Starter');
    expect(bubble.querySelectorAll('.md-table table')).to.have.length(1);
    expect(bubble.querySelector('.md-code pre code')!.textContent).to.equal("console.log('hello');\n");
    // The markdown source itself is never shown raw.
    expect(bubble.textContent).to.not.contain('**');
    expect(bubble.textContent).to.not.contain('| --- |');
    expect(bubble.textContent).to.not.contain('```');
  });

  it('renders ordered lists (with their start number) and nested lists', async () => {
    const { bubble } = await replyWith(['3. three', '4. four', '   - nested a', '   - nested b', '', 'after'].join('\n'));
    const ol = bubble.querySelector('ol')!;
    expect(ol, 'an ordered list').to.exist;
    expect(ol.getAttribute('start')).to.equal('3');
    expect(ol.querySelectorAll(':scope > li')).to.have.length(2);
    const nested = ol.querySelectorAll(':scope > li ul > li');
    expect(Array.from(nested).map((li) => li.textContent!.trim())).to.deep.equal(['nested a', 'nested b']);
  });

  it('wraps each table in a scrollable, focusable .md-table with header and body cells', async () => {
    const { el, bubble } = await replyWith(
      ['| Plan | Price | Notes |', '| --- | ---: | --- |', '| Starter | $0 | a very long note '.padEnd(400, 'x') + ' |', '| Team | $49 | ok |'].join('\n'),
    );
    const wrap = bubble.querySelector<HTMLElement>('.md-table')!;
    expect(wrap, 'the table wrapper').to.exist;
    const table = wrap.querySelector(':scope > table')!;
    expect(table, 'the table inside its wrapper').to.exist;
    expect(bubble.querySelectorAll('table')).to.have.length(1);
    expect(Array.from(table.querySelectorAll('thead th')).map((th) => th.textContent)).to.deep.equal(['Plan', 'Price', 'Notes']);
    expect(table.querySelectorAll('tbody tr')).to.have.length(2);
    expect(['auto', 'scroll']).to.include(getComputedStyle(wrap).overflowX);
    // Keyboard users can reach the wrapper to scroll it: it scrolls.
    expect(wrap.scrollWidth, 'the table is wider than its wrapper').to.be.greaterThan(wrap.clientWidth);
    expect(wrap.getAttribute('tabindex'), 'a tab stop').to.equal('0');
    // However wide the table, it never widens the bubble beyond the transcript.
    expect(bubble.getBoundingClientRect().width).to.be.at.most($(el, '[part~="transcript"]')!.getBoundingClientRect().width);
  });

  it('an image that arrives after its reply keeps the end of the conversation in view', async () => {
    const { el } = await chatWith('echo', { 'max-length': '20000' });
    for (let i = 0; i < 4; i++) await el.send(`filler ${i}: ${'words that take some room. '.repeat(8)}`);
    await el.send(`A picture:\n\n![a chart](${location.origin}/slow-image.svg?ms=600&n=${Math.random()})\n\nEND-OF-REPLY`);
    await el.updateComplete;
    const box = $(el, '[part~="transcript"]')!;
    const img = replyBubbles(el).at(-1)!.querySelector('img')!;
    // The visitor is at the end (where a new reply takes them; tested elsewhere) when the picture is still on its way.
    box.scrollTop = box.scrollHeight;
    expect(img.complete && img.naturalHeight > 0, 'not loaded yet').to.equal(false);
    // Replies' images are lazy, and a test page the runner keeps in the background may never load one: asked for now.
    img.loading = 'eager';
    await until(() => img.complete && img.naturalHeight > 0, 'the image loaded', 5000);
    await sleep(200);
    expect(img.getBoundingClientRect().height, 'the image takes room').to.be.greaterThan(100);
    expect(box.scrollHeight - box.scrollTop - box.clientHeight, 'still at the bottom once it has').to.be.below(2);
  });

  it('makes code blocks and tables tab stops only while they scroll sideways', async () => {
    const { el, bubble } = await replyWith(
      ['```', 'short', '```', '', '```', `long ${'x'.repeat(400)}`, '```', '', '| a | b |', '| - | - |', '| 1 | 2 |'].join('\n'),
    );
    const [short, long] = Array.from(bubble.querySelectorAll('pre'));
    const table = bubble.querySelector<HTMLElement>('.md-table')!;
    expect(long.getAttribute('tabindex'), 'the long code block is a tab stop').to.equal('0');
    expect(short.hasAttribute('tabindex'), 'a short code block is passed by').to.equal(false);
    expect(table.hasAttribute('tabindex'), 'a narrow table is passed by').to.equal(false);
    // A narrower widget: the table now scrolls, and becomes a tab stop, once the page draws its next frame.
    // Chromium runs these test pages side by side in background windows, which may draw none.
    if (engine === 'chromium') return;
    el.style.width = '200px';
    bubble.querySelector('table')!.style.minWidth = '400px';
    await until(() => table.getAttribute('tabindex') === '0', 'the table, scrolling now, is a tab stop');
  });

  it('puts a copy button named "Copy code" on each code block', async () => {
    const { bubble } = await replyWith(['```js', 'const a = 1;', '```', '', 'and', '', '```', 'plain <b>text</b>', '```'].join('\n'));
    const blocks = Array.from(bubble.querySelectorAll('.md-code'));
    expect(blocks).to.have.length(2);
    for (const block of blocks) {
      const button = block.querySelector<HTMLButtonElement>('button[data-copy]')!;
      expect(button, 'a copy button in each block').to.exist;
      expect(button.type).to.equal('button');
      expect(accessibleName(button)).to.equal('Copy code');
    }
    expect(blocks[0].querySelector('code')!.className).to.equal('language-js');
    // HTML inside a code block is shown as text, not parsed.
    expect(blocks[1].querySelector('pre')!.textContent).to.equal('plain <b>text</b>\n');
    expect(blocks[1].querySelector('b')).to.not.exist;
  });

  it('copies the code text when the copy button is clicked', async () => {
    const { el } = await chatWith('md');
    await el.send('show me code');
    await el.updateComplete;
    const [bubble] = replyBubbles(el);
    const button = bubble.querySelector<HTMLButtonElement>('[data-copy]')!;
    const clipboard = navigator.clipboard as Clipboard & { writeText: Clipboard['writeText'] };
    const copied: string[] = [];
    Object.defineProperty(clipboard, 'writeText', {
      configurable: true,
      writable: true,
      value: async (text: string) => {
        copied.push(text);
      },
    });
    try {
      button.click();
      await until(() => copied.length === 1, 'clipboard written');
      expect(copied[0]).to.equal("console.log('hello');\n");
      expect(copied[0]).to.equal(bubble.querySelector('pre')!.textContent);
      await until(() => button.textContent === 'Copied', 'button confirms the copy');
    } finally {
      delete (clipboard as { writeText?: unknown }).writeText;
    }
    expect(Object.prototype.hasOwnProperty.call(navigator.clipboard, 'writeText'), 'stub removed').to.equal(false);
    // The confirmation goes back to the label.
    await until(() => button.textContent === 'Copy code', 'label restored', 10000);
  });

  it('opens links in a new tab with rel="noopener noreferrer"', async () => {
    const { bubble } = await replyWith(
      '[site](https://example.com/a) and [plain](http://example.com/b) and <https://example.com/auto> and ' +
        '<a href="https://example.com/c" target="_self" rel="opener">raw</a>',
    );
    const links = Array.from(bubble.querySelectorAll('a'));
    expect(links.map((a) => a.getAttribute('href'))).to.deep.equal([
      'https://example.com/a',
      'http://example.com/b',
      'https://example.com/auto',
      'https://example.com/c',
    ]);
    for (const a of links) {
      expect(a.getAttribute('target'), a.href).to.equal('_blank');
      expect(a.getAttribute('rel'), a.href).to.equal('noopener noreferrer');
    }
  });

  it('keeps the href of http, https and mailto links only', async () => {
    const kept = ['https://example.com/x', 'http://example.com/y', 'mailto:hello@example.com'];
    const dropped = [
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      'vbscript:msgbox(1)',
      'data:text/html,<p>hi</p>',
      'ftp://example.com/file',
      'file:///etc/passwd',
      'tel:+100000',
      'blob:https://example.com/uuid',
    ];
    const markdown = [...kept, ...dropped].map((href, i) => `<a href="${href}">link${i}</a>`).join('\n\n');
    const { bubble } = await replyWith(markdown);
    const links = Array.from(bubble.querySelectorAll('a'));
    expect(links.map((a) => a.textContent)).to.deep.equal([...kept, ...dropped].map((_, i) => `link${i}`));
    links.slice(0, kept.length).forEach((a, i) => expect(a.getAttribute('href')).to.equal(kept[i]));
    links.slice(kept.length).forEach((a, i) => expect(a.hasAttribute('href'), dropped[i]).to.equal(false));
    // Even a link that lost its href cannot open in this tab or give the page an opener.
    for (const a of links) expect(a.getAttribute('rel')).to.equal('noopener noreferrer');
  });

  it('keeps only http(s) images, lazy-loaded, and never data: URLs', async () => {
    const png = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/x8AAwMCAO+ip1sAAAAASUVORK5CYII=';
    const { bubble } = await replyWith(
      [
        '![secure](https://example.com/a.png)',
        '![plain](http://example.com/b.png)',
        `![inline data](${png})`,
        '<img src="data:image/svg+xml,%3Csvg%20xmlns=%22http://www.w3.org/2000/svg%22/%3E" alt="svg data">',
        '![script](javascript:alert(1))',
        '![ftp](ftp://example.com/c.png)',
        '<img alt="no source">',
      ].join('\n\n'),
    );
    const images = Array.from(bubble.querySelectorAll('img'));
    expect(images.map((img) => img.getAttribute('src'))).to.deep.equal(['https://example.com/a.png', 'http://example.com/b.png']);
    for (const img of images) {
      expect(img.getAttribute('loading')).to.equal('lazy');
      expect(img.loading).to.equal('lazy');
    }
    expect(bubble.querySelector('[src^="data:" i]')).to.not.exist;
    expect(bubble.innerHTML).to.not.contain('data:image');
    // A refused image leaves its description as text.
    for (const alt of ['inline data', 'svg data', 'script', 'ftp', 'no source']) expect(bubble.textContent).to.contain(alt);
  });

  it('sanitizes raw HTML in a reply: no script, no handlers', async () => {
    window.__pwn = undefined;
    const { bubble } = await replyWith('Hi <img src="/nothing-here.png" onerror="window.__pwn=1"> <script>window.__pwn=2</script> **there**');
    const img = bubble.querySelector('img');
    expect(img, 'the same-origin image is kept').to.exist;
    expect(img!.hasAttribute('onerror')).to.equal(false);
    expect(bubble.querySelector('script')).to.not.exist;
    expect(bubble.querySelector('strong')!.textContent).to.equal('there');
    await sleep(300); // time for a surviving onerror to fire
    expect(window.__pwn).to.equal(undefined);
  });
});

describe('rendering visitor messages', () => {
  it('shows visitor HTML as literal text and creates no element from it', async () => {
    window.__pwn = undefined;
    const { el } = await chatWith('md');
    const text = '<b>bold</b> <img src=x onerror="window.__pwn=1"> **not bold** [link](https://example.com)';
    await el.send(text);
    await el.updateComplete;
    const [message] = userMessages(el);
    const bubble = message.querySelector<HTMLElement>('.bubble')!;
    expect(bubble.textContent).to.equal(text);
    expect(bubble.children, 'no element made from visitor text').to.have.length(0);
    expect(message.querySelector('b, img, strong, a')).to.not.exist;
    await sleep(300); // time for an onerror that should not exist
    expect(window.__pwn).to.equal(undefined);
  });
});

describe('parsing each message once', () => {
  it('keeps the same rendered reply node across re-renders and later messages', async () => {
    const { el } = await chatWith('md,echo');
    await el.send('first');
    await el.updateComplete;
    const [bubble] = replyBubbles(el);
    const node = bubble.firstElementChild!;
    const table = bubble.querySelector('table')!;
    expect(node, 'the rendered reply').to.exist;
    expect(table, 'the rendered table').to.exist;

    el.chatTitle = 'Renamed';
    await el.updateComplete;
    el.placeholder = 'Ask away';
    await el.updateComplete;
    el.theme = 'dark';
    await el.updateComplete;
    el.suggestions = ['x'];
    await el.updateComplete;
    await el.send('second');
    await el.updateComplete;
    expect(replyBubbles(el)).to.have.length(2);
    el.chatTitle = 'Renamed again';
    await el.updateComplete;

    const [sameBubble] = replyBubbles(el);
    expect(sameBubble.firstElementChild, 'the reply node was not rebuilt').to.equal(node);
    expect(sameBubble.querySelector('table'), 'the table was not rebuilt').to.equal(table);
    expect(node.isConnected).to.equal(true);
  });

  it('keeps the same welcome node across re-renders', async () => {
    const { el } = await chatWith('echo', { 'welcome-message': 'Hello **there**' });
    const first = assistantMessages(el)[0].querySelector('.bubble')!.firstElementChild!;
    expect(first.querySelector('strong')!.textContent).to.equal('there');
    el.chatTitle = 'Other';
    await el.updateComplete;
    await el.send('hi');
    await el.updateComplete;
    expect(assistantMessages(el)[0].querySelector('.bubble')!.firstElementChild).to.equal(first);
  });
});

describe('the welcome message', () => {
  it('renders markdown as the first assistant bubble and is never sent', async () => {
    const welcome = 'Welcome! **We reply fast.**\n\n- [Docs](https://example.com/docs)\n- Ask anything';
    const { el, id } = await chatWith('ok', { 'welcome-message': welcome });
    const transcript = $(el, '[part~="transcript"]')!;
    const first = transcript.querySelector('[part~="message"]')!;
    expect(first.matches('[part~="assistant-message"]'), 'the welcome is the first bubble, an assistant one').to.equal(true);
    const bubble = first.querySelector('.bubble')!;
    expect(bubble.querySelector('strong')!.textContent).to.equal('We reply fast.');
    expect(bubble.querySelectorAll('ul > li')).to.have.length(2);
    const link = bubble.querySelector('a')!;
    expect(link.getAttribute('href')).to.equal('https://example.com/docs');
    expect(link.getAttribute('target')).to.equal('_blank');
    expect(link.getAttribute('rel')).to.equal('noopener noreferrer');
    expect(bubble.textContent).to.not.contain('**');

    // Shown locally only: not part of the transcript data, nothing sent.
    expect(el.messages).to.have.length(0);
    expect(await requestsFor(id)).to.have.length(0);

    await el.send('Hello');
    await el.updateComplete;
    const requests = await requestsFor(id);
    expect(requests).to.have.length(1);
    expect(JSON.parse(requests[0].body)).to.have.property('message', 'Hello');
    expect(requests[0].body).to.not.contain('Welcome');
    expect(el.messages.map((m) => [m.role, m.text])).to.deep.equal([
      ['user', 'Hello'],
      ['assistant', 'Reply 1 to: Hello'],
    ]);
    // Still first, before the conversation.
    const order = $$(el, '[part~="message"] .bubble').map((b) => b.textContent!.trim());
    expect(order[0]).to.contain('Welcome!');
    expect(order.slice(1)).to.deep.equal(['Hello', 'Reply 1 to: Hello']);
  });

  it('follows changes of the attribute and disappears when removed', async () => {
    const { el } = await chatWith('ok', { 'welcome-message': 'First *welcome*' });
    expect(assistantMessages(el)).to.have.length(1);
    el.setAttribute('welcome-message', 'Second `welcome`');
    await el.updateComplete;
    expect(assistantMessages(el)[0].querySelector('code')!.textContent).to.equal('welcome');
    el.removeAttribute('welcome-message');
    await el.updateComplete;
    expect(assistantMessages(el)).to.have.length(0);
  });
});

describe('marked warming up before its first use', () => {
  it('compiles its rules a step at a time, giving the page a turn before each, and renders as it did before', async () => {
    await ready();
    const reply = '# Plans\n\n**Pro** is [$10](https://example.com/) a _month_:\n\n- `api`\n- ~~ads~~\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<b>raw</b>';
    const rendered = () => {
      const box = document.createElement('div');
      box.append(renderMarkdown(reply, LABELS));
      return box.innerHTML;
    };
    const before = rendered();
    // Each step must wait for its turn: one that ran before the turn it asked for was given would be seen here.
    let turns = 0;
    let given = 0;
    const warming = warmUp(() => {
      turns++;
      return new Promise((resolve) => setTimeout(() => resolve(void given++)));
    });
    await warming;
    expect(turns, 'turns the page was given').to.be.at.least(3);
    expect(given, 'every turn was over before warming up ended').to.equal(turns);
    const after = rendered();
    expect(after, 'the same markdown renders the same after warming up').to.equal(before);
    expect(after).to.contain('<strong>Pro</strong>').and.contain('<del>ads</del>').and.contain('md-table').and.not.contain('<h1');
  });
});

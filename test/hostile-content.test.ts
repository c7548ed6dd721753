// Issue 5, hostile content: the project's own payloads (test/fixtures/extra-payloads.json:
// markdown link/image/autolink/reference forms, entity and case tricks, mutation XSS through
// math/svg/noscript/template, base/meta/form/style injection, DOM clobbering of the widget's own
// lookups) are inert as replies, as the welcome message and as visitor text; and replies far too
// big for a chat (1 MB, 10,000 lines, a 5,000-row table, a list nested 1,000 deep) render
// shortened with a visible note, without losing the text. How long they take is measured by
// `npm run bench` (docs/security.md, "Big replies"), not asserted here: a busy test machine is not the code.
import { expect } from '@open-wc/testing';
import type { ThinnestChat } from '../src/index.js';
import { MAX_MARKDOWN_CHARS, renderMarkdown, shortenSource } from '../src/markdown.js';
import { $, $$, chatWith, requestsFor, sleep, type, pressEnter, until, userMessages, waitForReplies } from './helpers/chat.js';
import { dialogsOpened, problems, releaseDialogs, schemeProblems, strictProblems, trapDialogs, type Payload } from './helpers/inert.js';

/** Time for a surviving onerror/onload/ontoggle/onfocus handler to run. */
const HANDLER_WAIT = 300;
/** Each big reply is sent this many times: the widget must stay usable after each. */
const TRIALS = 3;

const corpusFile = await (await fetch('/test/fixtures/extra-payloads.json')).json() as { source: string; count: number; payloads: Required<Payload>[] };
const corpus = corpusFile.payloads;

function expectNothingRan(where: string): void {
  expect(window.__pwn, `window.__pwn set (${where})`).to.equal(undefined);
  expect(dialogsOpened(), `dialogs opened (${where})`).to.deep.equal([]);
}

/** Every check of test/helpers/inert.ts on one rendered reply (a bubble's content is inside message-view's `.markdown` node). */
function allProblems(root: ParentNode): string[] {
  const content = (root as Element).querySelector?.(':scope > .markdown') ?? root;
  return [...problems(root), ...schemeProblems(root), ...strictProblems(content)];
}

/** The widget's own lookups still find the widget's own nodes, and only those. */
function expectOwnLookups(el: ThinnestChat): void {
  const root = el.shadowRoot!;
  const inputs = root.querySelectorAll('.input');
  expect(inputs, '.input matches one element').to.have.length(1);
  expect(inputs[0].matches('textarea[part="input"]'), '.input is the composer').to.equal(true);
  expect(root.querySelectorAll('.transcript'), '.transcript matches one element').to.have.length(1);
  expect(root.querySelector('.transcript')!.getAttribute('role')).to.equal('log');
  expect(root.querySelectorAll('#panel'), '#panel matches one element').to.have.length(1);
  expect(root.querySelector('#panel')!.matches('section.panel')).to.equal(true);
  expect(root.querySelectorAll('#counter'), '#counter matches one element').to.have.length(1);
  expect(root.querySelector('#counter')!.matches('form .counter')).to.equal(true);
  expect(root.querySelectorAll('.launcher'), 'no launcher in inline mode').to.have.length(0);
  // [data-id] is only on messages, one per message, and [data-copy] only on the widget's copy buttons.
  const ids = $$(el, '[data-id]');
  expect(ids.map((node) => node.dataset.id)).to.deep.equal(el.messages.map((m) => m.id));
  for (const node of ids) expect(node.matches('.transcript > .messages > .page > .entry > .message[part~="message"]')).to.equal(true);
  for (const button of $$(el, '[data-copy]')) {
    expect(button.localName).to.equal('button');
    expect(button.parentElement!.matches('.md-code')).to.equal(true);
    expect(button.previousElementSibling!.localName).to.equal('pre');
  }
}

describe('hostile content: the project\'s own payloads', function () {
  this.timeout(60000);

  beforeEach(trapDialogs);
  afterEach(releaseDialogs);

  it(`has at least 50 payloads of its own (${corpus.length}), with a source line, in every category`, () => {
    expect(corpusFile.source).to.match(/written for this project/);
    expect(corpus).to.have.length(corpusFile.count);
    expect(corpus.length).to.be.at.least(50);
    const titles = corpus.map((p) => p.title);
    for (const category of [/^link/, /^image/, /^autolink/, /^reference/, /entit/, /case|uppercase/, /^mXSS: math/, /^mXSS: svg/, /^mXSS: noscript/, /^mXSS: template/, /^base/, /^meta/, /form/, /^style/, /^clobber/]) {
      expect(titles.some((t) => category.test(t)), `a payload for ${category}`).to.equal(true);
    }
  });

  it('the strict checks catch markup that poses as the widget (so they can fail)', () => {
    const template = document.createElement('template');
    template.innerHTML = '<textarea class="input"></textarea><div id="panel"></div><span data-copy>x</span><p class="md-code">x</p><svg></svg>';
    expect(strictProblems(template.content)).to.include.members([
      '<textarea> is not on the reply allowlist',
      'class "input" on <textarea>',
      '<div> is not on the reply allowlist',
      'id="panel" on <div>',
      'data-copy="" on <span>',
      'class "md-code" on <p>',
      '<svg> is not on the reply allowlist',
    ]);
  });

  describe('renderMarkdown, payload by payload, into a live shadow root', () => {
    for (const [index, { title, payload }] of corpus.entries()) {
      it(`#${index} ${title}`, async () => {
        const host = document.createElement('div');
        document.body.append(host);
        const container = document.createElement('div');
        host.attachShadow({ mode: 'open' }).append(container);
        try {
          container.append(renderMarkdown(payload, { copyLabel: 'Copy code' }));
          expect(allProblems(container)).to.deep.equal([]);
          // Give a handler that survived (onerror, onfocus, ontoggle) the chance to run.
          await sleep(index === corpus.length - 1 ? HANDLER_WAIT : 0);
          expectNothingRan(title);
        } finally {
          host.remove();
        }
      });
    }
  });

  it('the element shows every payload as a reply (one request each) and as literal visitor text', async () => {
    const { el, id } = await chatWith('echo');
    for (const { payload } of corpus) {
      await el.send(payload);
      await el.updateComplete;
    }
    expect(await requestsFor(id), 'one request per payload').to.have.length(corpus.length);
    await sleep(HANDLER_WAIT);

    const replies = $$(el, '[part~="assistant-message"][data-id] .bubble');
    expect(replies).to.have.length(corpus.length);
    const failures = replies.flatMap((bubble, i) => allProblems(bubble).map((p) => `#${i} ${corpus[i].title}: ${p}`));
    expect(failures).to.deep.equal([]);

    const visitor = userMessages(el).map((m) => m.querySelector<HTMLElement>('.bubble')!);
    expect(visitor.map((b) => b.textContent)).to.deep.equal(corpus.map((p) => p.payload.trim()));
    visitor.forEach((bubble, i) => expect(bubble.children, `visitor #${i} made elements`).to.have.length(0));
    expectOwnLookups(el);
    expectNothingRan('replies');
  });

  it('the element shows every payload as the welcome message, inertly, without sending it', async () => {
    const { el, id } = await chatWith('echo');
    const failures: string[] = [];
    for (const [index, { title, payload }] of corpus.entries()) {
      el.welcomeMessage = payload;
      await el.updateComplete;
      const bubble = $(el, '[part~="assistant-message"]:not([data-id]) .bubble');
      if (!bubble) failures.push(`#${index} ${title}: no welcome bubble`);
      else failures.push(...allProblems(bubble).map((p) => `#${index} ${title}: ${p}`));
      expectOwnLookups(el);
    }
    await sleep(HANDLER_WAIT);
    expect(failures).to.deep.equal([]);
    expectNothingRan('welcome');
    expect(el.messages).to.have.length(0);
    expect(await requestsFor(id)).to.have.length(0);
  });

  it('a reply cannot hijack the copy button: each copies its own code, forged ones are gone', async () => {
    const forged = corpus.filter((p) => /copy button|code block wrapper|nested pre/.test(p.title));
    expect(forged).to.have.length(3);
    const { el } = await chatWith('echo');
    await el.send([...forged.map((p) => p.payload), '```\nreal code\n```'].join('\n\n'));
    await el.updateComplete;
    const bubble = $(el, '[part~="assistant-message"][data-id] .bubble')!;
    const buttons = Array.from(bubble.querySelectorAll<HTMLButtonElement>('[data-copy]'));
    // Only the widget's buttons: one per <pre> that survived, each right after its own <pre>.
    expect(buttons.length).to.equal(bubble.querySelectorAll('.md-code').length);
    expect(bubble.querySelectorAll('.md-copy').length, 'no forged .md-copy').to.equal(buttons.length);
    expectOwnLookups(el);

    const clipboard = navigator.clipboard as Clipboard & { writeText: Clipboard['writeText'] };
    const copied: string[] = [];
    Object.defineProperty(clipboard, 'writeText', { configurable: true, writable: true, value: async (text: string) => void copied.push(text) });
    try {
      for (const [i, button] of buttons.entries()) {
        button.click();
        await until(() => copied.length === i + 1, `copy ${i}`);
        expect(copied[i], `button ${i} copies the <pre> it belongs to`).to.equal(button.previousElementSibling!.textContent);
      }
    } finally {
      delete (clipboard as { writeText?: unknown }).writeText;
    }
    expect(copied.at(-1)).to.equal('real code\n');
    expectNothingRan('copy');
  });

  it('after the clobbering payloads the widget still scrolls to the newest message and sends from its own input', async () => {
    const clobbers = corpus.filter((p) => p.title.startsWith('clobber'));
    const { el } = await chatWith('echo');
    el.style.height = '320px';
    for (const { payload } of clobbers) {
      await el.send(payload);
      await el.updateComplete;
    }
    const box = $(el, '.transcript')!;
    expect(box.scrollHeight, 'the transcript overflows').to.be.greaterThan(box.clientHeight);
    expect(box.scrollHeight - box.scrollTop - box.clientHeight, 'scrolled to the newest').to.be.lessThan(48);
    expectOwnLookups(el);

    await type(el, 'typed after the clobbering');
    await pressEnter(el);
    await waitForReplies(el, clobbers.length + 1);
    expect(el.messages.at(-1)!.text).to.equal('typed after the clobbering');
    expect((el.shadowRoot!.querySelector('.input') as HTMLTextAreaElement).value).to.equal('');
    expectNothingRan('clobbering');
  });
});

/** Longest main-thread task (ms) seen by PerformanceObserver while `run` goes, where the browser has 'longtask'. */
async function longestTask(run: () => Promise<void>): Promise<number | undefined> {
  if (!PerformanceObserver.supportedEntryTypes?.includes('longtask')) {
    await run();
    return undefined;
  }
  const durations: number[] = [];
  const observer = new PerformanceObserver((list) => durations.push(...list.getEntries().map((e) => e.duration)));
  observer.observe({ type: 'longtask' });
  try {
    await run();
    await sleep(100); // entries are delivered after the task
    durations.push(...observer.takeRecords().map((e) => e.duration));
  } finally {
    observer.disconnect();
  }
  return Math.max(0, ...durations);
}

interface BigRow {
  step: string;
  what: string;
  length: (text: string) => boolean;
  /** Text that must be visible in the rendered (shortened) reply. */
  visible: string;
}

const bigRows: BigRow[] = [
  { step: 'bigmb', what: 'a 1 MB reply', length: (t) => t.length === 1_048_576, visible: 'Paragraph 0:' },
  { step: 'biglines', what: 'a reply of 10,000 lines', length: (t) => t.split('\n').length === 10_000, visible: 'Line 1' },
  { step: 'bigtable', what: 'a 5,000-row table', length: (t) => t.split('\n').length === 5_002, visible: 'row 1' },
  { step: 'bignest', what: 'a list nested 1,000 deep', length: (t) => t.split('\n').length === 1_000, visible: 'level 1' },
];

describe('hostile content: big replies render shortened, with a note', function () {
  this.timeout(30000);

  for (const row of bigRows) {
    it(`${row.what}: rendered shortened, "(reply shortened)" shown, the full text kept`, async () => {
      // A welcome message makes the widget load its markdown renderer first, so the reply is measured rendered as markdown.
      // Memory only: megabytes of replies would crowd the other tests' storage quota.
      const { el } = await chatWith(`${Array(TRIALS).fill(row.step).join(',')},ok`, { 'welcome-message': '**Welcome**', persist: 'none' });
      await until(() => $(el, '[part~="assistant-message"]:not([data-id]) strong') !== null, 'the markdown renderer is loaded');
      const renders: number[] = [];
      const longest: number[] = [];
      for (let trial = 0; trial < TRIALS; trial++) {
        let renderMs = -1;
        el.addEventListener(
          'thinnest-chat-reply',
          () => {
            // The reply event fires as the reply is committed; the render and the layout it forces follow in the same task.
            const start = performance.now();
            void el.updateComplete.then(() => (renderMs = performance.now() - start));
          },
          { once: true },
        );
        const task = await longestTask(async () => {
          await el.send(`send me ${row.what} (${trial + 1})`);
          await el.updateComplete;
          await until(() => renderMs >= 0, 'reply rendered');
        });
        renders.push(renderMs);
        if (task !== undefined) longest.push(task);
      }
      const reply = el.messages.at(-1)!;
      expect(reply.role).to.equal('assistant');
      expect(row.length(reply.text), 'the whole reply is kept in the transcript').to.equal(true);
      expect(reply.text.length).to.be.greaterThan(MAX_MARKDOWN_CHARS);

      const bubble = $$(el, '[part~="assistant-message"][data-id] .bubble').at(-1)!;
      expect(bubble.textContent).to.contain(row.visible);
      expect(bubble.textContent!.length, 'only the shortened part is in the page').to.be.below(MAX_MARKDOWN_CHARS + 1000);
      const note = bubble.querySelector('.md-shortened');
      expect(note?.textContent, 'a visible note').to.equal('(reply shortened)');
      expect(note!.getBoundingClientRect().height, 'the note has height').to.be.greaterThan(0);
      expect(bubble.querySelector('.markdown')!.lastElementChild, 'the note ends the reply').to.equal(note);
      expect(allProblems(bubble)).to.deep.equal([]);

      // For the reader of the log only; the budget is proven by `npm run bench`.
      console.log(`${row.what}: render ${renders.map(Math.round).join(' / ')} ms, longest task ${longest.length ? `${longest.map(Math.round).join(' / ')} ms` : 'n/a'}`);

      // The widget is still usable.
      await el.send('and now something small');
      await waitForReplies(el, TRIALS + 1);
      expect(el.messages.at(-1)!.text).to.equal(`Reply ${TRIALS + 1} to: and now something small`);
    });
  }

  it('table cells cannot span: a few kilobytes of colspan/rowspan=1000 cells (which freeze table layout for seconds) render as plain cells', () => {
    const freeze = `<table>${'<tr><td colspan=1000 rowspan=1000>x</td></tr>'.repeat(100)}</table>`;
    const inMarkdown = ['| a | b |', '| --- | --- |', ...Array(100).fill('| <td colspan=1000 rowspan=1000>x</td> | y |')].join('\n');
    for (const source of [freeze, inMarkdown]) {
      const container = document.createElement('div');
      container.append(renderMarkdown(source, { copyLabel: 'Copy code' }));
      expect(container.querySelectorAll('td').length).to.be.greaterThan(99);
      expect(container.querySelectorAll('[colspan], [rowspan]')).to.have.length(0);
    }
  });

  it('a reply at the limit is rendered whole, without a note', () => {
    const source = 'a'.repeat(MAX_MARKDOWN_CHARS);
    const container = document.createElement('div');
    container.append(renderMarkdown(source, { copyLabel: 'Copy code' }));
    expect(container.querySelector('.md-shortened')).to.not.exist;
    expect(container.textContent!.trim().length).to.equal(MAX_MARKDOWN_CHARS);
  });

  it('cuts at a line break near the limit, never inside a surrogate pair, and uses the given label', () => {
    const lines = `${'x'.repeat(MAX_MARKDOWN_CHARS - 10)}\nsecond line that crosses the limit`;
    expect(shortenSource(lines)).to.deep.equal({ text: 'x'.repeat(MAX_MARKDOWN_CHARS - 10), shortened: true });
    const emoji = `${'y'.repeat(MAX_MARKDOWN_CHARS - 1)}😀tail`;
    const cut = shortenSource(emoji);
    expect(cut.text).to.equal('y'.repeat(MAX_MARKDOWN_CHARS - 1));
    expect(shortenSource('short')).to.deep.equal({ text: 'short', shortened: false });
    const container = document.createElement('div');
    container.append(renderMarkdown(emoji, { copyLabel: 'Copy code', shortenedLabel: '(gekürzt)' }));
    expect(container.querySelector('.md-shortened')!.textContent).to.equal('(gekürzt)');
  });
});

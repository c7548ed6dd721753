// SPEC §4 Rendering, hostile content: every hostile payload is inert wherever it can arrive, and
// a reply is sanitized before it touches the DOM, by the HTML Sanitizer API where the browser has
// one and by DOMPurify elsewhere (a chunk fetched only there), with the widget's allowlist walk
// (src/sanitize-policy.ts) after either, so both paths give the same DOM. The payloads are
// test/fixtures/*.json: markdown-payloads.json and dompurify-payloads.json from the shared
// corpus (../shared/fixtures/README.md), extra-payloads.json written for this project (markdown
// link, image, autolink and reference forms, entity and case tricks, mutation XSS through math,
// svg, noscript and template, base/meta/form/style injection, DOM clobbering of the widget's own
// lookups). Each goes through renderMarkdown on its own, into a live shadow root, and through the
// real element as replies, as the welcome message and as visitor text; each goes through each
// sanitizer explicitly and through the walk alone. Replies far too big for a chat (1 MB, 10,000
// lines, a 5,000-row table, a list nested 1,000 deep) render shortened with a visible note, the
// text kept; how long they take is measured by `npm run bench` (docs/security.md, "Big
// replies"), not asserted here: a busy test machine is not the code. What markdown renders into
// (lists, tables, links, images, copy buttons) is test/rendering.test.ts.
import { expect, fixture, html } from '@open-wc/testing';
import DOMPurify from 'dompurify';
import type { ThinnestChat } from '../src/index.js';
import { MAX_MARKDOWN_CHARS, ready, renderMarkdown, sanitize, shortenSource } from '../src/markdown.js';
import { hasSanitizerApi, sanitizeNative } from '../src/sanitize-native.js';
import { sanitizeWithDOMPurify } from '../src/sanitize-dompurify.js';
import { enforcePolicy } from '../src/sanitize-policy.js';
import { $, $$, LABELS, chatWith, fakeUrl, pressEnter, requestsFor, sleep, type, uniqueId, until, userMessages, waitForReplies } from './helpers/chat.js';
import { askForPlans, closePages, openPage } from './helpers/pages.js';
import { engine } from './helpers/commands.js';
import { dialogsOpened, problems, releaseDialogs, schemeProblems, strictProblems, trapDialogs, type Payload } from './helpers/inert.js';

/** Time for a surviving onerror/onload/ontoggle/onfocus handler to run. */
const HANDLER_WAIT = 300;

/** The corpora of test/fixtures, each checked as it loads: served, as many payloads as it says, and some. */
const CORPORA = ['markdown-payloads.json', 'dompurify-payloads.json', 'extra-payloads.json'];
interface CorpusFile {
  source: string;
  count: number;
  payloads: Payload[];
}
const corpusFiles = new Map<string, CorpusFile>();
for (const file of CORPORA) {
  const response = await fetch(`/test/fixtures/${file}`);
  expect(response.ok, `test/fixtures/${file} is served`).to.equal(true);
  const data = (await response.json()) as CorpusFile;
  expect(data.payloads, file).to.have.length(data.count);
  expect(data.payloads.length, file).to.be.greaterThan(0);
  corpusFiles.set(file, data);
}

function payloadsOf(file: string): Payload[] {
  return corpusFiles.get(file)!.payloads;
}

function label(file: string, index: number): string {
  const { title, payload } = payloadsOf(file)[index];
  return `${file}#${index} ${title ?? payload.slice(0, 60)}`;
}

function expectNothingRan(where: string): void {
  expect(window.__pwn, `window.__pwn set (${where})`).to.equal(undefined);
  expect(dialogsOpened(), `dialogs opened (${where})`).to.deep.equal([]);
}

/** A shared corpus: its file name and payloads. */
interface Corpus {
  name: string;
  payloads: Payload[];
}

/** Longest text sent as one visitor message; under the element's default max-length. */
const BATCH_CHARS = 3800;
/**
 * Payloads that once made renderMarkdown throw (see the regression test at the end): a
 * `<frameset>` the parser lets replace <body>, so DOMPurify returns null.
 */
const crashesRenderer = (payload: string) => /<frameset/i.test(payload);

/** A shared corpus by its file name (checked and loaded once, below the imports). */
function loadCorpus(file: string): Corpus {
  return { name: file, payloads: payloadsOf(file) };
}

/** The whole corpus: the frameset payloads that once crashed the renderer are checked like the rest. */
function renderable(corpus: Corpus): Corpus {
  return corpus;
}

/** Payload texts packed into visitor-sized batches (a payload longer than a batch goes alone). */
function batches(corpus: Corpus): string[] {
  const result: string[] = [];
  let current = '';
  for (const { payload } of corpus.payloads) {
    const next = current ? `${current}\n\n${payload}` : payload;
    if (current && next.length > BATCH_CHARS) {
      result.push(current);
      current = payload;
    } else {
      current = next;
    }
  }
  if (current) result.push(current);
  return result;
}

describe('the shared hostile payloads are inert: as replies, as the welcome message, as visitor text', function () {
  // Two corpora through a real element on a loaded machine: more than the default 15 s.
  this.timeout(120000);

  let corpora: Corpus[] = [];

  before(async () => {
    corpora = [loadCorpus('markdown-payloads.json'), loadCorpus('dompurify-payloads.json')];
    // Where the browser has no HTML Sanitizer API (WebKit), renderMarkdown needs DOMPurify's chunk first.
    await ready();
  });

  beforeEach(trapDialogs);
  afterEach(releaseDialogs);

  it('the checks catch unsanitized markup (so they can fail)', () => {
    const unsafe = [
      '<img src=x onerror="window.__pwn=1">',
      '<a href=" JaVaScRiPt:window.__pwn=1">x</a>',
      '<a href="https://example.com">no target</a>',
      '<form action="javascript:1"><button formaction="vbscript:1">go</button></form>',
      '<svg><a xlink:href="javascript:1"><text>x</text></a></svg>',
      '<iframe src="data:text/html,x"></iframe>',
      '<style>*{}</style>', '<meta http-equiv="refresh">', '<base href="/">', '<object></object>', '<embed>', '<script></script>',
    ];
    for (const markup of unsafe) {
      // A template parses without running or loading anything.
      const template = document.createElement('template');
      template.innerHTML = markup;
      expect(problems(template.content), markup).to.not.deep.equal([]);
    }
    const images = document.createElement('template');
    images.innerHTML = '<img src="data:image/png;base64,AA"><a href="ftp://x">f</a><img src="https://example.com/a.png">';
    expect(schemeProblems(images.content)).to.deep.equal(['image from data:', 'image not lazy-loaded', 'link to ftp:', 'image not lazy-loaded']);
  });

  it('loads both corpora with their source line', async () => {
    expect(corpora.map((c) => c.payloads.length)).to.deep.equal([34, 223]);
    // The frameset payload that once crashed the renderer is still in the corpus.
    expect(corpora.map((c) => c.payloads.filter((p) => crashesRenderer(p.payload)).length)).to.deep.equal([0, 1]);
    for (const file of ['markdown-payloads.json', 'dompurify-payloads.json']) {
      expect(corpusFiles.get(file)!.source, file).to.be.a('string').and.not.equal('');
    }
  });

  for (const name of ['markdown-payloads.json', 'dompurify-payloads.json']) {
    it(`renderMarkdown leaves every payload of ${name} inert, each on its own`, async () => {
      const corpus = renderable(corpora.find((c) => c.name === name)!);
      // Rendered into a live shadow root, as in the widget, so any surviving handler would fire.
      const host = document.createElement('div');
      document.body.append(host);
      const root = host.attachShadow({ mode: 'open' });
      const failures: string[] = [];
      try {
        corpus.payloads.forEach(({ payload }, index) => {
          const container = document.createElement('div');
          try {
            container.append(renderMarkdown(payload, LABELS));
          } catch (error) {
            failures.push(`${label(corpus.name, index)}: renderMarkdown threw ${String(error)}`);
          }
          root.append(container);
          for (const problem of [...problems(container), ...schemeProblems(container)]) failures.push(`${label(corpus.name, index)}: ${problem}`);
        });
        await sleep(HANDLER_WAIT);
        expect(failures).to.deep.equal([]);
        expectNothingRan(name);
      } finally {
        host.remove();
      }
    });

    it(`the element renders ${name} as replies (echo, in batches) and as visitor text, inertly`, async () => {
      const corpus = renderable(corpora.find((c) => c.name === name)!);
      const texts = batches(corpus);
      const { el, id } = await chatWith('echo');
      for (const text of texts) {
        await el.send(text);
        await el.updateComplete;
      }
      expect(await requestsFor(id), 'one request per batch').to.have.length(texts.length);
      expect(el.messages.filter((m) => m.role === 'assistant').map((m) => m.text), 'each batch echoed').to.deep.equal(
        texts.map((t) => t.trim()),
      );
      await sleep(HANDLER_WAIT);

      const replies = $$(el, '[part~="assistant-message"][data-id] .bubble');
      expect(replies).to.have.length(texts.length);
      const failures = replies.flatMap((bubble, i) => [...problems(bubble), ...schemeProblems(bubble)].map((p) => `reply batch ${i}: ${p}`));
      expect(failures).to.deep.equal([]);

      // Visitor text: shown literally, not one element made from it.
      const visitor = userMessages(el).map((m) => m.querySelector<HTMLElement>('.bubble')!);
      expect(visitor.map((b) => b.textContent)).to.deep.equal(texts.map((t) => t.trim()));
      visitor.forEach((bubble, i) => expect(bubble.children, `visitor batch ${i} made elements`).to.have.length(0));
      expectNothingRan(name);
    });

    it(`the element renders every payload of ${name} as the welcome message, inertly, without sending it`, async () => {
      const corpus = renderable(corpora.find((c) => c.name === name)!);
      const { el, id } = await chatWith('echo');
      const failures: string[] = [];
      const welcomeBubble = (chat: ThinnestChat) => $(chat, '[part~="assistant-message"]:not([data-id]) .bubble');
      for (const [index, { payload }] of corpus.payloads.entries()) {
        el.welcomeMessage = payload;
        await el.updateComplete;
        const bubble = welcomeBubble(el);
        if (!payload.trim()) continue;
        if (!bubble) {
          failures.push(`${label(corpus.name, index)}: no welcome bubble`);
          continue;
        }
        for (const problem of [...problems(bubble), ...schemeProblems(bubble)]) failures.push(`${label(corpus.name, index)}: ${problem}`);
      }
      await sleep(HANDLER_WAIT);
      expect(failures).to.deep.equal([]);
      expectNothingRan(name);
      expect(el.messages).to.have.length(0);
      expect(await requestsFor(id)).to.have.length(0);
    });
  }

  it('one payload at a time through the element: a sample of replies, each its own request', async () => {
    // A few payloads whose markup depends on not being packed with others.
    const markdown = corpora[0];
    const picks = markdown.payloads.filter((p) => /math mutation|noscript|svg onload|details ontoggle|image title|srcdoc/.test(p.title ?? ''));
    expect(picks.length).to.be.at.least(5);
    const { el, id } = await chatWith('echo');
    for (const { payload } of picks) {
      await el.send(payload);
      await el.updateComplete;
    }
    expect(await requestsFor(id)).to.have.length(picks.length);
    await sleep(HANDLER_WAIT);
    const replies = $$(el, '[part~="assistant-message"][data-id] .bubble');
    expect(replies).to.have.length(picks.length);
    const failures = replies.flatMap((bubble, i) => problems(bubble).map((p) => `${picks[i].title}: ${p}`));
    expect(failures).to.deep.equal([]);
    expectNothingRan('sample');
  });

  // Regression (fixed): a reply (or welcome message) whose HTML makes the parser replace <body> with a
  // <frameset>, e.g. `<frameset>` or dompurify-payloads.json #88, makes DOMPurify.sanitize(…,
  // {RETURN_DOM_FRAGMENT: true}) return null; src/markdown.ts sanitize() passes that on and
  // decorate() throws "Cannot read properties of null (reading 'ownerDocument')". The throw
  // happens inside the element's render: the visitor's message stays "Sending…", the reply never
  // shows, and since the transcript is persisted, every later render and every reload with the
  // same storage key throws again: the widget is dead for that visitor. Nothing executes (the
  // payload is not an XSS), but one hostile reply is a permanent denial of service.
  it('a reply that sanitizes to nothing (frameset) renders empty and the widget keeps working', async () => {
    const payloads = corpora.flatMap((c) => c.payloads.filter((p) => crashesRenderer(p.payload)).map((p) => p.payload));
    for (const payload of ['<frameset>', ...payloads]) {
      const fragment = renderMarkdown(payload, LABELS);
      const container = document.createElement('div');
      container.append(fragment);
      expect(problems(container), payload).to.deep.equal([]);
    }

    const { el } = await chatWith('echo');
    el.welcomeMessage = payloads[0];
    await el.updateComplete;
    for (const payload of ['<frameset>', ...payloads]) {
      await el.send(payload);
      await el.updateComplete;
    }
    await el.send('still here?');
    await el.updateComplete;
    const replies = $$(el, '[part~="assistant-message"][data-id] .bubble');
    expect(replies).to.have.length(payloads.length + 2);
    expect(replies.at(-1)!.textContent!.trim()).to.equal('still here?');
    expect(userMessages(el).map((m) => m.querySelector('.meta'))).to.deep.equal(userMessages(el).map(() => null));
    for (const bubble of replies) expect(problems(bubble)).to.deep.equal([]);

    // A reload restores the stored transcript without throwing.
    const again = await fixture<ThinnestChat>(
      html`<thinnest-chat storage-key=${el.getAttribute('storage-key')!} proxy-url=${el.getAttribute('proxy-url')!}></thinnest-chat>`,
    );
    await again.updateComplete;
    expect($$(again, '[part~="assistant-message"][data-id]')).to.have.length(payloads.length + 2);
    await sleep(HANDLER_WAIT);
    expectNothingRan('frameset');
  });
});

/** Each big reply is sent this many times: the widget must stay usable after each. */
const TRIALS = 3;

const corpusFile = corpusFiles.get('extra-payloads.json') as { source: string; count: number; payloads: Required<Payload>[] };
const corpus = corpusFile.payloads;

/** Every check of test/helpers/inert.ts on one rendered reply (a bubble's content is inside message-view's `.markdown` node). */
function replyProblems(root: ParentNode): string[] {
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
  // [data-id] is only on messages, one per message, and [data-copy] only on the widget's copy buttons: a code
  // block's, beside its code, and a reply's own, in its info line, naming that reply.
  const ids = $$(el, '[data-id]');
  expect(ids.map((node) => node.dataset.id)).to.deep.equal(el.messages.map((m) => m.id));
  for (const node of ids) expect(node.matches('.transcript > .messages > .page > .entry > .message[part~="message"]')).to.equal(true);
  for (const button of $$(el, '[data-copy]')) {
    expect(button.localName).to.equal('button');
    if (button.dataset.copy) {
      expect(button.matches('.message.assistant > .info > [part="copy-button"]'), 'a reply copy button in its info line').to.equal(true);
      expect(button.dataset.copy).to.equal(button.closest<HTMLElement>('[data-id]')!.dataset.id);
      continue;
    }
    expect(button.parentElement!.matches('.md-code')).to.equal(true);
    expect(button.previousElementSibling!.localName).to.equal('pre');
  }
}

describe('the project\'s own hostile payloads are inert, and nothing in a reply can pose as the widget', function () {
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
          container.append(renderMarkdown(payload, LABELS));
          expect(replyProblems(container)).to.deep.equal([]);
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
    const failures = replies.flatMap((bubble, i) => replyProblems(bubble).map((p) => `#${i} ${corpus[i].title}: ${p}`));
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
      else failures.push(...replyProblems(bubble).map((p) => `#${index} ${title}: ${p}`));
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

describe('replies far too big for a chat render shortened, with a note, and nothing is lost', function () {
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
      expect(replyProblems(bubble)).to.deep.equal([]);

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
      container.append(renderMarkdown(source, LABELS));
      expect(container.querySelectorAll('td').length).to.be.greaterThan(99);
      expect(container.querySelectorAll('[colspan], [rowspan]')).to.have.length(0);
    }
  });

  it('a reply at the limit is rendered whole, without a note', () => {
    const source = 'a'.repeat(MAX_MARKDOWN_CHARS);
    const container = document.createElement('div');
    container.append(renderMarkdown(source, LABELS));
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

type Sanitizer = (html: string) => DocumentFragment;

const SANITIZERS: [string, Sanitizer][] = [
  ['the HTML Sanitizer API', sanitizeNative],
  ['DOMPurify', sanitizeWithDOMPurify],
];

/**
 * Skips a test of the native path where the engine has no HTML Sanitizer API: WebKit (Safari) has
 * none, so there DOMPurify is the only path, and its tests run.
 */
function needsSanitizerApi(context: Mocha.Context): void {
  if (!hasSanitizerApi()) context.skip();
}
type Form = 'raw' | 'reply';

/**
 * Whether this browser's setHTML parses <noscript> content as text, as a page with scripting does
 * (Firefox), rather than as markup (Chromium, and DOMPurify's DOMParser). Safe either way: the tree
 * the parser made is the tree that is sanitized, and it is never serialized and parsed again.
 */
function noscriptParsedAsText(): boolean {
  const div = document.implementation.createHTMLDocument('').createElement('div');
  (div as unknown as { setHTML: (html: string, options: object) => void }).setHTML('<noscript><b>x</b></noscript>', { sanitizer: { removeElements: [] } });
  return div.querySelector('b') === null;
}

/**
 * Where the two paths differ, and why: each time DOMPurify removes more, and both results are
 * inert and allowlisted (checked above). `noscriptAsText`: only where setHTML reads <noscript> as text.
 */
const KNOWN_DIFFERENCES: { payload: string; forms: Form[]; noscriptAsText?: boolean; why: string }[] = [
  {
    payload: 'markdown-payloads.json#24',
    forms: ['raw'],
    noscriptAsText: false,
    why: 'DOMPurify parses a whole document, where a leading <noscript> goes to <head> and the <p> after it to <body>; in a <div> the <p> stays inside the <noscript> and goes with it',
  },
  ...[24, 37, 38].map((index) => ({
    payload: `${index === 24 ? 'markdown' : 'dompurify'}-payloads.json#${index}`,
    forms: ['raw', 'reply'] as Form[],
    noscriptAsText: true,
    why: 'with <noscript> read as text, an <img> written inside its comment or attribute is a real element: the platform strips its onerror, the walk keeps it (lazy, src "x"); DOMPurify drops the <noscript> with it',
  })),
  {
    payload: 'extra-payloads.json#32',
    forms: ['raw', 'reply'],
    noscriptAsText: true,
    why: 'the same <noscript> title breakout: an <img> without its onerror on the native path, nothing with DOMPurify',
  },
  ...[25, 26, 28, 29, 30, 31].map((index) => ({
    payload: `dompurify-payloads.json#${index}`,
    forms: ['raw', 'reply'] as Form[],
    why: 'DOMPurify drops a clobbered <form> (an <input name="nodeName">…) with its content; the walk unwraps the form and keeps its text',
  })),
  {
    payload: 'dompurify-payloads.json#88',
    forms: ['raw', 'reply'],
    why: 'a <frameset> replaces the body DOMPurify parsed, so it returns nothing; parsed in a <div>, the <frameset> is ignored and the text stays',
  },
  {
    payload: 'dompurify-payloads.json#216',
    forms: ['raw', 'reply'],
    why: 'DOMPurify drops an element with an is="" attribute whole; the platform drops the attribute and keeps <b>bar</b>',
  },
];

/** Every check of test/helpers/inert.ts, the widget's own allowlist included. */
function allProblems(root: ParentNode): string[] {
  return [...problems(root), ...schemeProblems(root), ...strictProblems(root)];
}

/** A payload's markup as the HTML parser leaves it, in a template: nothing runs or loads. */
function parsedInert(html: string): DocumentFragment {
  const template = document.createElement('template');
  template.innerHTML = html;
  return template.content;
}

/** Markup of a rendered fragment, for comparing the two paths; whitespace runs count as one space. */
function markup(fragment: DocumentFragment): string {
  const container = document.createElement('div');
  container.append(fragment);
  return container.innerHTML.replace(/\s+/g, ' ').trim();
}

describe('sanitizers: the HTML Sanitizer API and DOMPurify, each followed by the allowlist walk', function () {
  this.timeout(60000);

  beforeEach(trapDialogs);
  afterEach(releaseDialogs);

  it('has the HTML Sanitizer API in Chromium and Firefox (both paths tested there), none in WebKit (DOMPurify only)', async () => {
    expect(hasSanitizerApi()).to.equal(engine !== 'webkit');
    // Where the API is, ready() resolves at once and sanitize() is the platform's; elsewhere it loads DOMPurify.
    await ready();
    expect(markup(sanitize('<b onclick="x()">bold</b><answer>42</answer>'))).to.equal('<b>bold</b>42');
  });

  for (const [name, sanitizer] of SANITIZERS) {
    for (const file of CORPORA) {
      it(`${name}: every payload of ${file}, as raw HTML and as a rendered reply, is inert and allowlisted`, async function () {
        if (sanitizer === sanitizeNative) needsSanitizerApi(this);
        const host = document.createElement('div');
        document.body.append(host);
        const root = host.attachShadow({ mode: 'open' });
        const failures: string[] = [];
        try {
          payloadsOf(file).forEach(({ payload }, index) => {
            for (const [how, render] of [
              ['raw', () => sanitizer(payload)],
              ['reply', () => renderMarkdown(payload, { ...LABELS, sanitizer })],
            ] as const) {
              // Rendered into a live shadow root, as in the widget, so any surviving handler would fire.
              const container = document.createElement('div');
              try {
                const fragment = render();
                expect(fragment.ownerDocument, 'a fragment of the page').to.equal(document);
                container.append(fragment);
              } catch (error) {
                failures.push(`${label(file, index)} (${how}): threw ${String(error)}`);
              }
              root.append(container);
              for (const problem of allProblems(container)) failures.push(`${label(file, index)} (${how}): ${problem}`);
            }
          });
          await sleep(HANDLER_WAIT);
          expect(failures).to.deep.equal([]);
          expect(window.__pwn, 'window.__pwn set').to.equal(undefined);
          expect(dialogsOpened(), 'dialogs opened').to.deep.equal([]);
        } finally {
          host.remove();
        }
      });
    }
  }

  for (const file of CORPORA) {
    it(`both paths give the same DOM for every payload of ${file}, but for the known differences`, function () {
      needsSanitizerApi(this);
      const differences: string[] = [];
      const details: string[] = [];
      payloadsOf(file).forEach(({ payload }, index) => {
        for (const [form, run] of [
          ['raw', (sanitizer: Sanitizer) => sanitizer(payload)],
          ['reply', (sanitizer: Sanitizer) => renderMarkdown(payload, { ...LABELS, sanitizer })],
        ] as const) {
          const native = markup(run(sanitizeNative));
          const purified = markup(run(sanitizeWithDOMPurify));
          if (native === purified) continue;
          differences.push(`${file}#${index} ${form}`);
          details.push(`${label(file, index)} (${form}):\n  native:    ${native.slice(0, 300)}\n  DOMPurify: ${purified.slice(0, 300)}`);
        }
      });
      const noscriptAsText = noscriptParsedAsText();
      const byIndex = (key: string) => Number(key.split('#')[1].split(' ')[0]) * 2 + (key.endsWith('reply') ? 1 : 0);
      const known = KNOWN_DIFFERENCES.filter((d) => d.payload.startsWith(`${file}#`) && (d.noscriptAsText ?? noscriptAsText) === noscriptAsText)
        .flatMap(({ payload, forms }) => forms.map((form) => `${payload} ${form}`))
        .sort((x, y) => byIndex(x) - byIndex(y));
      expect(differences, details.join('\n')).to.deep.equal(known);
    });

    it(`the walk alone, with no sanitizer before it, leaves every payload of ${file} inert and allowlisted`, () => {
      const failures: string[] = [];
      payloadsOf(file).forEach(({ payload }, index) => {
        const fragment = parsedInert(payload);
        enforcePolicy(fragment);
        for (const problem of allProblems(fragment)) failures.push(`${label(file, index)}: ${problem}`);
      });
      expect(failures).to.deep.equal([]);
    });
  }
});

describe('sanitizers: what a visitor sees is the same on both paths', () => {
  for (const [name, sanitizer] of SANITIZERS) {
    it(`${name}: unknown wrappers keep their text, scripts and styles go whole, a data: image becomes its alt text, links open in a new tab`, function () {
      if (sanitizer === sanitizeNative) needsSanitizerApi(this);
      const fragment = sanitizer(
        '<answer>42</answer> <div class="md-copy x">in a div</div><script>no()</script><style>p{}</style><!-- note -->' +
          '<img src="data:image/png;base64,AA" alt="a chart"> <img src="https://example.com/a.png" alt="ok" srcset="x 2x">' +
          '<a href="https://example.com/docs" target="_self" id="panel">docs</a> <a href="\u2028javascript:alert(1)">no link</a>' +
          '<code class="language-js md-code">x</code>',
      );
      expect(markup(fragment)).to.equal(
        '42 in a diva chart <img src="https://example.com/a.png" alt="ok" loading="lazy" decoding="async" referrerpolicy="no-referrer">' +
          '<a href="https://example.com/docs" target="_blank" rel="noopener noreferrer">docs</a> <a target="_blank" rel="noopener noreferrer">no link</a>' +
          '<code class="language-js">x</code>',
      );
    });
  }

  it("leaves the page's own DOMPurify hooks alone (hooks are global to the instance the page may share)", () => {
    const seen: string[] = [];
    const pageHook = (node: Element) => void (node.nodeName === 'EM' && seen.push('page hook'));
    DOMPurify.addHook('afterSanitizeAttributes', pageHook);
    try {
      sanitizeWithDOMPurify('<em>ours</em>');
      DOMPurify.sanitize('<em>theirs</em><a href="https://example.com/">x</a>');
      expect(seen).to.deep.equal(['page hook', 'page hook']);
      // Nothing of ours ran on the page's own call: its link has no target or rel added.
      expect(DOMPurify.sanitize('<a href="https://example.com/">x</a>')).to.equal('<a href="https://example.com/">x</a>');
    } finally {
      DOMPurify.removeHook('afterSanitizeAttributes', pageHook);
    }
  });
});

/** Paths of the built files a page fetched, from its performance resource entries. */
function distFetches(win: Window): string[] {
  return win.performance
    .getEntriesByType('resource')
    .map((entry) => new URL(entry.name).pathname)
    .filter((path) => path.startsWith('/dist/'));
}

/** The widget in the page renders its welcome message and a markdown reply from the fake proxy. */
async function chatsWithMarkdown(page: Awaited<ReturnType<typeof openPage>>): Promise<void> {
  const { el } = page;
  await until(() => el.shadowRoot!.querySelector('[part~="assistant-message"] .bubble strong') !== null, 'the welcome message rendered as markdown');
  await askForPlans(el, fakeUrl(uniqueId('sanitizer'), 'md,echo'));
}

describe('the built widget loads DOMPurify only where the browser has no HTML Sanitizer API', function () {
  this.timeout(40000);
  afterEach(closePages);

  it('renders replies without ever fetching the DOMPurify chunk where setHTML exists', async function () {
    needsSanitizerApi(this);
    const page = await openPage('/test/pages/hostile.html?build=script');
    await chatsWithMarkdown(page);
    await sleep(200);
    const fetched = distFetches(page.win);
    const markdownChunk = fetched.find((path) => /^\/dist\/thinnest-chat\.markdown\.js$/.test(path));
    expect(markdownChunk, `the markdown chunk was fetched (the check can see chunks): ${fetched.join(', ')}`).to.be.a('string');
    expect(fetched.filter((path) => /dompurify/i.test(path)), 'DOMPurify fetched').to.deep.equal([]);

    // The check is not vacuous: the markdown chunk does name a DOMPurify chunk, and that chunk is built and is DOMPurify.
    const source = await (await fetch(markdownChunk!)).text();
    const fallback = source.match(/thinnest-chat\.sanitize-dompurify\.js/)?.[0];
    expect(fallback, 'the markdown chunk imports a DOMPurify chunk').to.be.a('string');
    const chunk = await fetch(`/dist/${fallback}`);
    expect(chunk.ok, `dist/${fallback} is built`).to.equal(true);
    expect(await chunk.text()).to.contain('DOMPurify');
  });

  // The renderer part (src/lazy-part.ts) awaits the markdown module's ready() (DOMPurify fetched) before using it.
  it('fetches the DOMPurify chunk and renders replies sanitized where setHTML is missing', async () => {
    const page = await openPage('/test/pages/hostile.html?setup=no-sanitizer-api&build=script');
    expect('setHTML' in (page.win as unknown as typeof globalThis).Element.prototype, 'the page has no Sanitizer API').to.equal(false);
    await chatsWithMarkdown(page);
    await page.el.send('<img src=x onerror="window.__pwn=1"> **still markdown**');
    await page.el.updateComplete;
    await sleep(200);
    const hostile = page.el.shadowRoot!.querySelectorAll('[part~="assistant-message"][data-id] .bubble')[1];
    expect(hostile.querySelector('strong')?.textContent).to.equal('still markdown');
    expect(allProblems(hostile.querySelector('.markdown')!)).to.deep.equal([]);
    expect((page.win as unknown as { __pwn?: unknown }).__pwn, 'nothing ran').to.equal(undefined);
    expect(distFetches(page.win).filter((path) => /^\/dist\/thinnest-chat\.sanitize-dompurify\.js$/.test(path)), 'DOMPurify fetched once').to.have.length(1);
    expect(page.win.__errors).to.deep.equal([]);
  });
});

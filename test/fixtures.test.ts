// SPEC §4 Rendering / ../shared/fixtures/README.md: every hostile payload of
// test/fixtures/*.json is inert, whether it arrives as a reply, as the welcome message or as
// visitor text. Each payload goes through renderMarkdown on its own (isolated, in bulk), and the
// whole corpus also goes through the real element: as replies (echo fake, in batches), as the
// welcome message (one by one, no network) and as visitor text (the same batches).
import { expect, fixture, html } from '@open-wc/testing';
import type { ThinnestChat } from '../src/index.js';
import { ready, renderMarkdown } from '../src/markdown.js';
import { $, $$, chatWith, requestsFor, sleep, userMessages } from './helpers/chat.js';
import { dialogsOpened, problems, releaseDialogs, schemeProblems, trapDialogs, type Payload } from './helpers/inert.js';

interface Corpus {
  name: string;
  payloads: Payload[];
}

/** Longest text sent as one visitor message; under the element's default max-length. */
const BATCH_CHARS = 3800;
/** Time for a surviving onerror/onload/ontoggle handler to run. */
const HANDLER_WAIT = 300;

/**
 * Payloads that once made renderMarkdown throw (see the regression test at the end): a
 * `<frameset>` the parser lets replace <body>, so DOMPurify returns null.
 */
const crashesRenderer = (payload: string) => /<frameset/i.test(payload);

async function loadCorpus(file: string): Promise<Corpus> {
  const response = await fetch(`/test/fixtures/${file}`);
  expect(response.ok, `test/fixtures/${file} is served`).to.equal(true);
  const data = (await response.json()) as { count: number; payloads: Payload[] };
  expect(data.payloads, file).to.have.length(data.count);
  expect(data.payloads.length, file).to.be.greaterThan(0);
  return { name: file, payloads: data.payloads };
}

/** The whole corpus: the frameset payloads that once crashed the renderer are checked like the rest. */
function renderable(corpus: Corpus): Corpus {
  return corpus;
}

function label(corpus: Corpus, index: number): string {
  const { title, payload } = corpus.payloads[index];
  return `${corpus.name}#${index} ${title ?? payload.slice(0, 60)}`;
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

describe('hostile payloads are inert', function () {
  // Two corpora through a real element on a loaded machine: more than the default 15 s.
  this.timeout(120000);

  let corpora: Corpus[] = [];

  before(async () => {
    corpora = [await loadCorpus('markdown-payloads.json'), await loadCorpus('dompurify-payloads.json')];
    // Where the browser has no HTML Sanitizer API (WebKit), renderMarkdown needs DOMPurify's chunk first.
    await ready();
  });

  beforeEach(trapDialogs);
  afterEach(releaseDialogs);

  function expectNothingRan(where: string): void {
    expect(window.__pwn, `window.__pwn set (${where})`).to.equal(undefined);
    expect(dialogsOpened(), `dialogs opened (${where})`).to.deep.equal([]);
  }

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
      const data = await (await fetch(`/test/fixtures/${file}`)).json();
      expect(data.source, file).to.be.a('string').and.not.equal('');
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
            container.append(renderMarkdown(payload, { copyLabel: 'Copy code' }));
          } catch (error) {
            failures.push(`${label(corpus, index)}: renderMarkdown threw ${String(error)}`);
          }
          root.append(container);
          for (const problem of [...problems(container), ...schemeProblems(container)]) failures.push(`${label(corpus, index)}: ${problem}`);
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
          failures.push(`${label(corpus, index)}: no welcome bubble`);
          continue;
        }
        for (const problem of [...problems(bubble), ...schemeProblems(bubble)]) failures.push(`${label(corpus, index)}: ${problem}`);
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
      const fragment = renderMarkdown(payload, { copyLabel: 'Copy code' });
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

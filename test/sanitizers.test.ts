// SPEC §4 Rendering: a reply is sanitized by the browser's HTML Sanitizer API where there is one
// and by DOMPurify elsewhere, and the same allowlist walk (src/sanitize-policy.ts) follows either.
// Every hostile payload goes through each path explicitly, in every browser, and through the walk
// alone; the two paths give the same DOM. Where the browser has the API, rendering a reply never
// fetches DOMPurify (the built script-tag file in a real page).
import { expect } from '@open-wc/testing';
import DOMPurify from 'dompurify';
import { ready, renderMarkdown, sanitize } from '../src/markdown.js';
import { hasSanitizerApi, sanitizeNative } from '../src/sanitize-native.js';
import { sanitizeWithDOMPurify } from '../src/sanitize-dompurify.js';
import { enforcePolicy } from '../src/sanitize-policy.js';
import { fakeUrl, sleep, uniqueId, until } from './helpers/chat.js';
import { askForPlans, closePages, openPage } from './helpers/pages.js';
import { engine } from './helpers/commands.js';
import { dialogsOpened, problems, releaseDialogs, schemeProblems, strictProblems, trapDialogs, type Payload } from './helpers/inert.js';

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
const CORPORA = ['markdown-payloads.json', 'dompurify-payloads.json', 'extra-payloads.json'];
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

/** Time for a surviving onerror/onload/ontoggle handler to run. */
const HANDLER_WAIT = 300;

const corpora = new Map<string, Payload[]>();
for (const file of CORPORA) {
  const data = (await (await fetch(`/test/fixtures/${file}`)).json()) as { count: number; payloads: Payload[] };
  corpora.set(file, data.payloads);
}

function label(file: string, index: number): string {
  const { title, payload } = corpora.get(file)![index];
  return `${file}#${index} ${title ?? payload.slice(0, 60)}`;
}

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
          corpora.get(file)!.forEach(({ payload }, index) => {
            for (const [how, render] of [
              ['raw', () => sanitizer(payload)],
              ['reply', () => renderMarkdown(payload, { copyLabel: 'Copy code', sanitizer })],
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
      corpora.get(file)!.forEach(({ payload }, index) => {
        for (const [form, run] of [
          ['raw', (sanitizer: Sanitizer) => sanitizer(payload)],
          ['reply', (sanitizer: Sanitizer) => renderMarkdown(payload, { copyLabel: 'Copy code', sanitizer })],
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
      corpora.get(file)!.forEach(({ payload }, index) => {
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

// SPEC §4 Accessible, what sighted keyboard, touch, zoom and high-contrast users get: named controls, focus
// rings with 3:1 contrast, targets of 24 px (44 on touch), no horizontal scrolling at 320 px,
// prefers-reduced-motion and forced colors (Windows high contrast) honoured.
import { expect, fixture, html } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { emulateMedia, setViewport } from './helpers/commands.js';
import type { ThinnestChat } from '../src/index.js';
import { englishStrings as en } from '../src/english.js';
import { $, $$, chatWith, fakeUrl, input, type, uniqueId, until, waitForFailure, waitForReplies } from './helpers/chat.js';
import { LONG_MARKDOWN, actFocused, backgroundBehind, contrast, everyControl, parseColor, settled, smallerThan } from './helpers/a11y.js';

const isFirefox = navigator.userAgent.includes('Firefox');

before(actFocused);

/** Buttons, links, the input and scrollable regions a visitor can reach, that are shown. */
function controls(el: ThinnestChat): HTMLElement[] {
  return $$(el, 'button:not([disabled]), a[href], textarea, [tabindex="0"]').filter((node) => node.getClientRects().length > 0);
}

/** What the browser draws around a control with keyboard focus. */
function focusRing(node: HTMLElement): { style: string; width: number; ring: string; gap: string | null } {
  const style = getComputedStyle(node);
  const gap = /^(rgba?\([^)]*\)|color\([^)]*\))/.exec(style.boxShadow)?.[1] ?? null;
  return { style: style.outlineStyle, width: parseFloat(style.outlineWidth), ring: style.outlineColor, gap };
}

describe('controls', function () {
  this.timeout(30000);

  afterEach(async () => {
    await setViewport({ width: 800, height: 600 });
  });

  it('are named for what they do', async () => {
    const { el } = await chatWith('hang', { mode: 'bubble', suggestions: '["Pricing"]' });
    const name = (selector: string) => {
      const node = $(el, selector)!;
      return node.getAttribute('aria-label') ?? node.textContent!.trim();
    };
    expect(name('[part~="launcher"]')).to.equal(en.openChat);
    el.show();
    await el.updateComplete;
    expect(name('[part~="launcher"]')).to.equal(en.closeChat);
    expect(name('[part~="close-button"]')).to.equal(en.closeChat);
    expect(name('[part~="new-session-button"]')).to.equal(en.newSessionButton);
    expect(name('[part~="send-button"]')).to.equal(en.sendButton);
    const sending = el.send('hi');
    await until(() => $(el, '[part~="stop-button"]') !== null, 'stop shown');
    expect(name('[part~="stop-button"]')).to.equal(en.stopButton);
    ($(el, '[part~="stop-button"]') as HTMLButtonElement).click();
    await sending;
    await waitForFailure(el);
    expect(name('[part~="retry-button"]')).to.equal(en.retryButton);
  });

  // The default accents, and a brand's accent that is light in the light theme (yellow) or dark in the dark one (navy).
  for (const [theme, accent] of [['light'], ['dark'], ['light', '#ffeb3b'], ['dark', '#1a237e']] as const) {
    it(`show a focus ring with at least 3:1 contrast, on every control: ${theme} theme${accent ? `, accent ${accent}` : ''}`, async () => {
      const el = await everyControl({ theme, suggestions: '["Pricing"]', ...(accent ? { style: `--thinnest-chat-accent: ${accent}` } : {}) }, 'a draft');
      // Code and a table too wide for the bubble: tab stops only when they scroll, so these do.
      await el.send(['Wide ones:', '', '| Plan | Notes |', '| - | - |', `| Starter | ${'Unbreakable'.repeat(8)} |`, '', '```', `const x = '${'y'.repeat(200)}';`, '```'].join('\n'));
      await waitForReplies(el, 2);
      await settled(el);
      const reached = controls(el);
      for (const part of ['launcher', 'new-session-button', 'close-button', 'input', 'send-button', 'retry-button']) {
        expect(reached.some((node) => node.matches(`[part~="${part}"]`)), part).to.equal(true);
      }
      for (const selector of ['[data-copy]', '.bubble a[href]', '.md-table', '.md-code pre']) {
        expect(reached.some((node) => node.matches(selector)), selector).to.equal(true);
      }
      const failures: string[] = [];
      for (const node of reached) {
        node.focus();
        const label = node.getAttribute('part') ?? node.className ?? node.localName;
        expect(el.shadowRoot!.activeElement, `${label} takes focus`).to.equal(node);
        expect(node.matches(':focus-visible'), `${label} shows keyboard focus`).to.equal(true);
        const { style, width, ring, gap } = focusRing(node);
        // The copy button sits over its code block, a sibling rather than an ancestor.
        const code = node.matches('[data-copy]') ? node.parentElement!.querySelector('pre') : null;
        const behind = code ? getComputedStyle(code).backgroundColor : backgroundBehind(node);
        if (style === 'none' || width < 2) failures.push(`${label}: outline ${style} ${width}px`);
        // The ring against the gap the widget paints inside it, and the whole indicator against what is around it.
        const inner = gap ? contrast(ring, gap) : contrast(ring, behind);
        const outer = Math.max(contrast(ring, behind), gap ? contrast(gap, behind) : 0);
        if (inner < 3 || outer < 3) failures.push(`${label}: ring ${ring}, gap ${gap}, behind ${behind}: ${inner.toFixed(2)} / ${outer.toFixed(2)}`);
        node.blur();
      }
      expect(failures).to.deep.equal([]);
    });
  }

  for (const [label, style] of [
    ['the default dark code', ''],
    ['a light code background', '--thinnest-chat-code-background: #f6f8fa; --thinnest-chat-code-text: #24292f'],
  ]) {
    it(`outline a code block's copy button at least 3:1 against the code, on ${label}`, async () => {
      const { el } = await chatWith('md', style ? { style } : {});
      await el.send('code please');
      await waitForReplies(el, 1);
      const button = $(el, '[data-copy]')!;
      const code = getComputedStyle(button.parentElement!.querySelector('pre')!).backgroundColor;
      const { borderTopColor, borderTopWidth, color } = getComputedStyle(button);
      expect(parseFloat(borderTopWidth)).to.be.at.least(1);
      expect(contrast(borderTopColor, code), `border ${borderTopColor} on ${code}`).to.be.at.least(3);
      expect(contrast(color, code), 'its words').to.be.at.least(4.5);
    });
  }

  it('are at least 24×24 CSS px on a desktop', async () => {
    const el = await everyControl({ theme: 'light' }, 'a draft');
    expect(smallerThan(el, 24)).to.deep.equal([]);
  });

  it('are at least 44×44 CSS px on a phone-sized screen', async () => {
    await setViewport({ width: 375, height: 667 });
    const el = await everyControl({ theme: 'light' }, 'a draft');
    expect(smallerThan(el, 44)).to.deep.equal([]);
  });

  it('are at least 44×44 CSS px with a coarse pointer at any width', async function () {
    await setViewport({ width: 1024, height: 768 });
    const { supported } = await executeServerCommand<{ supported: boolean }, { enabled: boolean }>('emulate-touch', { enabled: true });
    try {
      if (!supported || !matchMedia('(pointer: coarse)').matches) {
        // Only Chromium's DevTools protocol can emulate a touch screen here; the CSS is the same everywhere.
        this.skip();
      }
      const el = await everyControl({ theme: 'light' }, 'a draft');
      expect(smallerThan(el, 44)).to.deep.equal([]);
    } finally {
      await executeServerCommand('emulate-touch', { enabled: false });
    }
  });
});

describe('zoom and small screens', function () {
  this.timeout(30000);

  afterEach(async () => {
    await setViewport({ width: 800, height: 600 });
  });

  /** Nothing wider than its box: only the code and table wrappers may scroll sideways. */
  function overflowing(el: ThinnestChat): string[] {
    const found: string[] = [];
    for (const selector of ['[part~="panel"]', '[part~="transcript"]', '[part~="composer"]', '[part~="header"]', '.message', '.bubble']) {
      for (const node of $$(el, selector)) {
        if (node.scrollWidth > node.clientWidth + 1) found.push(`${selector}: ${node.scrollWidth} > ${node.clientWidth}`);
      }
    }
    const transcript = $(el, '[part~="transcript"]')!.getBoundingClientRect();
    for (const node of $$(el, '.message')) {
      const box = node.getBoundingClientRect();
      if (box.left < transcript.left - 0.5 || box.right > transcript.right + 0.5) found.push(`message outside: ${box.left}–${box.right}`);
    }
    return found;
  }

  it('fits 320 CSS px (400% zoom of 1280, 200% of 640) without horizontal scrolling, inline', async () => {
    const id = uniqueId();
    const el = await fixture<ThinnestChat>(html`<thinnest-chat style="width: 320px; height: 560px"
      storage-key=${`test-${id}`} chat-title="A title long enough to need more room than the header has"
      proxy-url=${fakeUrl(id, 'echo')}></thinnest-chat>`);
    await el.send(LONG_MARKDOWN);
    await waitForReplies(el, 1);
    await type(el, 'a draft with a-very-long-word-that-does-not-break-anywhere-at-all-in-the-composer');
    expect(el.getBoundingClientRect().width).to.equal(320);
    expect(overflowing(el)).to.deep.equal([]);
    // Code keeps its lines and scrolls inside its own box; a table wraps its cells, or scrolls inside its wrapper.
    const pre = $(el, '.md-code pre')!;
    const table = $(el, '.md-table')!;
    expect(pre.scrollWidth, 'the code scrolls').to.be.greaterThan(pre.clientWidth);
    expect(table.getBoundingClientRect().right).to.be.at.most($(el, '[part~="assistant-message"] .bubble')!.getBoundingClientRect().right);
    expect(getComputedStyle(pre).overflowX).to.equal('auto');
    expect(getComputedStyle(table).overflowX).to.equal('auto');
    // Cells wrap between words, never inside one ("Commu / nity"): a table too wide for the bubble scrolls instead.
    const broken = $$(el, '.md-table th, .md-table td').flatMap((cell) =>
      // Words of letters only: a path like example.com/plans/… may break after a slash, as text does anywhere.
      Array.from(cell.textContent!.matchAll(/\p{L}+/gu)).filter((word) => {
        const range = document.createRange();
        range.setStart(cell.firstChild!, word.index!);
        range.setEnd(cell.firstChild!, word.index! + word[0].length);
        // Empty boxes left out: WebKit gives a range that starts where a line wraps an empty box at the end of the line before.
        return new Set(Array.from(range.getClientRects()).filter((rect) => rect.width > 0).map((rect) => Math.round(rect.top))).size > 1;
      }).map((word) => word[0]),
    );
    expect(broken, 'words broken inside table cells').to.deep.equal([]);
    expect(table.scrollWidth, 'the table scrolls in its wrapper').to.be.greaterThan(table.clientWidth);
  });

  it('fits a 320 × 568 screen without horizontal scrolling, bubble open, right to left too', async () => {
    await setViewport({ width: 320, height: 568 });
    for (const dir of ['ltr', 'rtl']) {
      const { el } = await chatWith('echo', { mode: 'bubble', dir });
      el.show();
      await el.send(LONG_MARKDOWN);
      await waitForReplies(el, 1);
      await settled(el);
      const panel = $(el, '[part~="panel"]')!.getBoundingClientRect();
      expect(Math.round(panel.width), dir).to.equal(320);
      expect(overflowing(el), dir).to.deep.equal([]);
      expect(document.documentElement.scrollWidth, `${dir}: the page does not scroll sideways`).to.be.at.most(innerWidth);
    }
  });
});

describe('motion and forced colors', function () {
  this.timeout(30000);

  it('stops animations and transitions when prefers-reduced-motion is set', async function () {
    // Firefox (puppeteer's WebDriver BiDi) and WebKit (WebDriver) have no media-feature emulation;
    // Chromium proves the CSS, which is the same in every engine.
    if (!(await emulateMedia({ reducedMotion: 'reduce' }))) this.skip();
    try {
      expect(matchMedia('(prefers-reduced-motion: reduce)').matches).to.equal(true);
      const { el } = await chatWith('hang', { mode: 'bubble' });
      el.show();
      const sending = el.send('wait');
      await until(() => $(el, '.typing span') !== null, 'typing dots');
      expect(getComputedStyle($(el, '.typing span')!).animationName).to.equal('none');
      expect(getComputedStyle($(el, '[part~="panel"]')!).transitionDuration.split(',').every((d) => parseFloat(d) === 0)).to.equal(true);
      expect(getComputedStyle($(el, '[part~="launcher"]')!).transitionDuration.split(',').every((d) => parseFloat(d) === 0)).to.equal(true);
      expect(el.shadowRoot!.getAnimations().filter((a) => a.playState === 'running')).to.deep.equal([]);
      ($(el, '[part~="stop-button"]') as HTMLButtonElement).click();
      await sending;
    } finally {
      await emulateMedia({ reducedMotion: 'no-preference' });
    }
    // Without the preference the same widget moves: the check above can fail.
    const { el } = await chatWith('hang');
    const sending = el.send('wait');
    await until(() => $(el, '.typing span') !== null, 'typing dots');
    expect(getComputedStyle($(el, '.typing span')!).animationName).to.not.equal('none');
    ($(el, '[part~="stop-button"]') as HTMLButtonElement).click();
    await sending;
  });

  it('keeps borders and the focus ring visible in forced colors (Windows high contrast)', async function () {
    const { supported } = await executeServerCommand<{ supported: boolean }, { active: boolean }>('emulate-forced-colors', { active: true });
    if (!supported || isFirefox) {
      // Only Chromium's DevTools protocol can switch forced colors on; the CSS is the same in every browser.
      this.skip();
    }
    try {
      expect(matchMedia('(forced-colors: active)').matches).to.equal(true);
      const el = await everyControl({ theme: 'light' }, 'a draft');
      const canvas = getComputedStyle($(el, '[part~="panel"]')!).backgroundColor;
      const visible = (color: string) => parseColor(color)[3] > 0 && contrast(color, canvas) >= 3;
      const problems: string[] = [];
      for (const selector of ['[part~="panel"]', '.bubble', '.input', '[part~="send-button"]', '[part~="new-session-button"]', '[part~="retry-button"]', '[data-copy]', '[part~="launcher"]']) {
        for (const node of $$(el, selector)) {
          const style = getComputedStyle(node);
          if (style.borderTopStyle === 'none' || parseFloat(style.borderTopWidth) < 1 || !visible(style.borderTopColor)) {
            problems.push(`${selector}: border ${style.borderTopStyle} ${style.borderTopWidth} ${style.borderTopColor}`);
          }
        }
      }
      for (const node of [input(el), $(el, '[part~="new-session-button"]')!, $(el, '[data-copy]')!]) {
        node.focus();
        const { style, ring } = focusRing(node);
        if (style === 'none' || !visible(ring)) problems.push(`${node.className}: focus ${style} ${ring}`);
      }
      expect(problems).to.deep.equal([]);
    } finally {
      await executeServerCommand('emulate-forced-colors', { active: false });
    }
    expect(matchMedia('(forced-colors: active)').matches).to.equal(false);
  });
});

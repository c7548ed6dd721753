// Shared steps for the accessibility tests: colour contrast as WCAG computes it, a page-level
// axe run, settled animations, and a long reply that stresses layout.
import { executeServerCommand } from '@web/test-runner-commands';
import type { ThinnestChat } from '../../src/index.js';
import { $$, chatWith, type, waitForFailure, waitForReplies } from './chat.js';

/**
 * Makes the test page act as the focused window, so :focus-visible and focus styles apply as they do
 * for a visitor: Chromium runs test files side by side, in windows only one of which has focus.
 * (Firefox runs its files one at a time, in the focused window; the command answers unsupported there.)
 */
export async function actFocused(): Promise<void> {
  await executeServerCommand('emulate-focus', { enabled: true });
}

/** A reply with everything that can push a narrow panel wide: a long URL, code, a table, a list. */
export const LONG_MARKDOWN = [
  '## Everything about plans',
  '',
  'Read the terms at https://example.com/a/very/long/path/that/does/not/break/anywhere/on/its/own/because/it/is/one/word/terms-and-conditions?with=query&and=more',
  'or [the pricing page](https://example.com/pricing).',
  '',
  '- **Starter**: 1 agent, community support, and a sentence long enough to wrap over several lines in a narrow panel',
  '- **Team**: 5 agents',
  '',
  '| Plan | Price | Agents | Support | Notes |',
  '| --- | --- | --- | --- | --- |',
  '| Starter | $0 | 1 | Community | Good for trying things out on a small site, see example.com/plans/starter-edition-details |',
  '| Team | $49 | 5 | Email | For teams that answer visitors every day of the week |',
  '',
  '```js',
  "const widget = document.querySelector('thinnest-chat'); widget.addEventListener('thinnest-chat-reply', (event) => console.log(event.detail.message));",
  '```',
  '',
  'That is all.',
].join('\n');

/**
 * A bubble widget, open, showing nearly every control and string: a reply with a link, a table and
 * code, a failed message with its retry control, and `draft` in the composer. Its proxy answers the
 * next message.
 */
export async function everyControl(attributes: Record<string, string> = {}, draft = ''): Promise<ThinnestChat> {
  const { el } = await chatWith('md,s500,ok', { mode: 'bubble', ...attributes });
  el.show();
  await el.updateComplete;
  await el.send('plans?');
  await waitForReplies(el, 1);
  await el.send('this one fails');
  await waitForFailure(el);
  if (draft) await type(el, draft);
  await settled(el);
  return el;
}

/** Shown buttons and inputs smaller than `size` CSS px either way, described. */
export function smallerThan(el: ThinnestChat, size: number): string[] {
  return $$(el, 'button, textarea')
    .filter((node) => node.getClientRects().length > 0)
    .map((node) => ({ node, box: node.getBoundingClientRect() }))
    .filter(({ box }) => box.width < size || box.height < size)
    .map(({ node, box }) => `${node.getAttribute('part') ?? node.className}: ${box.width}×${box.height}`);
}

/** `[r, g, b, a]` (0–255) of a colour as the screen shows it, whatever space CSS computed it in (`rgb()`, `lch()` …), through a canvas. */
export function pixel(color: string): number[] {
  const context = document.createElement('canvas').getContext('2d', { willReadFrequently: true })!;
  context.fillStyle = color;
  context.fillRect(0, 0, 1, 1);
  return Array.from(context.getImageData(0, 0, 1, 1).data);
}

/** `[r, g, b, a]` of a computed colour (`rgb(…)`, `rgba(…)`, or `color(srgb …)` in 0–1). */
export function parseColor(value: string): [number, number, number, number] {
  // lch(), lab(), oklch() … (a relative colour computes to one): as the screen shows it.
  if (/^(ok)?l(ch|ab)\(/.test(value)) {
    const [r, g, b, a] = pixel(value);
    return [r, g, b, a / 255];
  }
  const numbers = (value.match(/[\d.]+/g) ?? []).map(Number);
  if (value.startsWith('color(')) {
    const [r, g, b, a = 1] = numbers;
    return [r * 255, g * 255, b * 255, a];
  }
  const [r = 0, g = 0, b = 0, a = 1] = numbers;
  return value === 'transparent' ? [0, 0, 0, 0] : [r, g, b, a];
}

/** WCAG relative luminance. */
export function luminance(color: string): number {
  const [r, g, b] = parseColor(color).slice(0, 3).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two opaque colours. */
export function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/** The parent across shadow roots (a shadow root's child goes to its host). */
function composedParent(node: Element): Element | null {
  const root = node.getRootNode();
  return node.parentElement ?? (root instanceof ShadowRoot ? root.host : null);
}

/** The first opaque background colour behind `node` (not its own), or the page's white. */
export function backgroundBehind(node: Element): string {
  for (let el = composedParent(node); el; el = composedParent(el)) {
    const color = getComputedStyle(el).backgroundColor;
    if (parseColor(color)[3] >= 0.99) return color;
  }
  return 'rgb(255, 255, 255)';
}

/** Jumps finite animations and transitions (the bubble panel's opening) to their end, so colours are measured settled. */
export async function settled(el: ThinnestChat): Promise<void> {
  await el.updateComplete;
  for (const animation of el.shadowRoot!.getAnimations()) {
    if (animation.effect?.getComputedTiming().iterations !== Infinity) animation.finish();
  }
}

interface AxeResult {
  violations: Array<{ id: string; nodes: Array<{ target: unknown[]; failureSummary?: string }> }>;
}

/** axe over the whole document, shadow roots included, with every rule axe has (WCAG 2.2 A/AA and best practices). */
export async function axePage(): Promise<string[]> {
  // @ts-expect-error axe-core's browser build registers window.axe and has no module types.
  await import('axe-core/axe.min.js');
  const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<AxeResult> } }).axe;
  const result = await axe.run(document, { resultTypes: ['violations'] });
  return result.violations.map(
    (v) => `${v.id}: ${v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`).join(' | ')}`,
  );
}

/**
 * Makes the test page look like a real site around the widget (a language, a title, a main
 * landmark with a heading), so a page-level axe run judges the widget, not the bare test page.
 */
export function siteAround(el: Element): () => void {
  const root = document.documentElement;
  const before = { lang: root.getAttribute('lang'), title: document.title };
  root.lang = root.lang || 'en';
  document.title = 'A site with a chat widget';
  const main = document.createElement('main');
  main.innerHTML = '<h1>Welcome</h1><p>Ask our assistant anything.</p>';
  const host = el.parentElement!;
  host.before(main);
  return () => {
    main.remove();
    if (before.lang === null) root.removeAttribute('lang');
    else root.lang = before.lang;
    document.title = before.title;
  };
}

/** The accessible name of a control, for the naming techniques the widget can use. */
export function accessibleName(node: Element): string {
  const root = node.getRootNode() as Document | ShadowRoot;
  const labelledBy = node.getAttribute('aria-labelledby');
  if (labelledBy) {
    return labelledBy
      .split(/\s+/)
      .map((id) => root.getElementById?.(id)?.textContent ?? '')
      .join(' ')
      .trim();
  }
  const label = node.getAttribute('aria-label')?.trim();
  if (label) return label;
  const visibleText = (n: Node): string => {
    if (n.nodeType === Node.TEXT_NODE) return n.textContent ?? '';
    if (n instanceof Element) {
      if (n.getAttribute('aria-hidden') === 'true') return '';
      if (n instanceof HTMLSlotElement) {
        const assigned = n.assignedNodes({ flatten: true });
        return (assigned.length ? assigned : Array.from(n.childNodes)).map(visibleText).join('');
      }
      if (n.localName === 'svg') return n.querySelector('title')?.textContent ?? '';
      return Array.from(n.childNodes).map(visibleText).join('');
    }
    return '';
  };
  const text = visibleText(node).replace(/\s+/g, ' ').trim();
  if (text) return text;
  return node.getAttribute('title')?.trim() ?? '';
}

export interface Listener {
  /** Text a screen reader would speak: nodes added to the region, outside aria-hidden and aria-live="off" parts. */
  spoken: string[];
  /** Every added element, spoken or not. */
  added: Element[];
  /** Every mutation record, of any kind. */
  records: MutationRecord[];
  stop: () => void;
}

/** Listens to a live region as a screen reader would, for additions (the log's aria-relevant). */
export function listen(region: Element): Listener {
  const listener: Listener = { spoken: [], added: [], records: [], stop: () => observer.disconnect() };
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      listener.records.push(record);
      for (const node of Array.from(record.addedNodes)) {
        // By node type, not instanceof: the region may be in another window (a page in an iframe).
        const element = node.nodeType === Node.ELEMENT_NODE ? (node as Element) : node.parentElement;
        if (element === node) listener.added.push(element);
        if (!element || element.closest('[aria-hidden="true"], [aria-live="off"]')) continue;
        const text = node.textContent?.replace(/\s+/g, ' ').trim();
        if (text) listener.spoken.push(text);
      }
    }
  });
  observer.observe(region, { childList: true, subtree: true, characterData: true, attributes: true });
  return listener;
}

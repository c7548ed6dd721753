// Shared steps for the element tests: a fresh widget on a unique fake-proxy script, and
// waits phrased as what a visitor would see.
import { fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/index.js';
import type { ErrorEventDetail, ThinnestChat } from '../../src/index.js';
import { launcherEnglish } from '../../src/strings.js';

/** What the element passes the markdown renderer in English (message-view.ts), for tests that call `renderMarkdown` themselves. */
export const LABELS = { copyLabel: launcherEnglish.copyCode, shortenedLabel: launcherEnglish.replyShortened };

let counter = 0;

/** A unique id per test, so tests running in parallel never share fake-proxy logs or storage. */
export function uniqueId(label = 't'): string {
  counter += 1;
  return `${label}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

/** The proxy-url of a fake proxy that plays `steps` (see test/fake-proxy.mjs). */
export function fakeUrl(id: string, steps: string): string {
  return `/fake/${id}/${steps}`;
}

export interface LoggedRequest {
  method: string;
  headers: Record<string, string>;
  body: string;
}

/** What the fake proxy received for this id. */
export async function requestsFor(id: string): Promise<LoggedRequest[]> {
  const response = await fetch(`/fake/${id}/_requests`);
  return response.json();
}

/** A connected widget talking to a fake proxy that plays `steps`, with its own storage key. */
export async function chatWith(
  steps: string,
  attributes: Record<string, string> = {},
): Promise<{ el: ThinnestChat; id: string }> {
  const id = uniqueId();
  const el = await fixture<ThinnestChat>(html`<thinnest-chat></thinnest-chat>`);
  el.setAttribute('storage-key', `test-${id}`);
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  el.setAttribute('proxy-url', fakeUrl(id, steps));
  await el.updateComplete;
  return { el, id };
}

export function shadow(el: ThinnestChat): ShadowRoot {
  return el.shadowRoot!;
}

export function $(el: ThinnestChat, selector: string): HTMLElement | null {
  return el.shadowRoot!.querySelector<HTMLElement>(selector);
}

export function $$(el: ThinnestChat, selector: string): HTMLElement[] {
  return Array.from(el.shadowRoot!.querySelectorAll<HTMLElement>(selector));
}

export function input(el: ThinnestChat): HTMLTextAreaElement {
  return $(el, '[part~="input"]') as HTMLTextAreaElement;
}

/** Types into the composer as a visitor would (input events, not a property set). */
export async function type(el: ThinnestChat, text: string): Promise<void> {
  const box = input(el);
  box.focus();
  box.value = text;
  box.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  await el.updateComplete;
}

export async function pressEnter(el: ThinnestChat, shiftKey = false): Promise<void> {
  input(el).dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', shiftKey, bubbles: true, composed: true, cancelable: true }));
  await el.updateComplete;
}

/** Visible text of every transcript bubble, in order. */
export function bubbles(el: ThinnestChat): string[] {
  return $$(el, '[part~="message"] .bubble').map((node) => node.textContent?.trim() ?? '');
}

export function userMessages(el: ThinnestChat): HTMLElement[] {
  return $$(el, '[part~="user-message"]');
}

export function assistantMessages(el: ThinnestChat): HTMLElement[] {
  return $$(el, '[part~="assistant-message"]');
}

export async function until(predicate: () => boolean, message: string, timeout = 8000): Promise<void> {
  await waitUntil(predicate, message, { timeout, interval: 20 });
}

/** Waits until the assistant has answered `count` times. */
export async function waitForReplies(el: ThinnestChat, count: number): Promise<void> {
  await until(() => el.messages.filter((m) => m.role === 'assistant').length >= count, `waiting for ${count} replies`);
  await el.updateComplete;
}

/** Waits until the newest visitor message failed, and returns its error note. */
export async function waitForFailure(el: ThinnestChat): Promise<HTMLElement> {
  await until(() => el.messages.at(-1)?.status === 'failed', 'waiting for a failed send');
  await el.updateComplete;
  return $(el, '[part~="error"]')!;
}

export function retryButton(el: ThinnestChat): HTMLButtonElement | null {
  return $(el, '[part~="retry-button"]') as HTMLButtonElement | null;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until the fake proxy has received `count` requests for `id`. */
export async function waitForRequests(id: string, count: number, timeout = 8000): Promise<void> {
  const deadline = Date.now() + timeout;
  while ((await requestsFor(id)).length < count) {
    if (Date.now() > deadline) throw new Error(`waiting for ${count} requests to the fake`);
    await sleep(25);
  }
}

/** Makes `navigator.onLine` false in `win` until the returned function is called. */
export function goOffline(win: Window = window): () => void {
  Object.defineProperty(win.navigator, 'onLine', { configurable: true, get: () => false });
  return () => delete (win.navigator as { onLine?: boolean }).onLine;
}

/** Records every thinnest-chat-error that reaches `target`; `stop` removes the listener. */
export function recordErrors(target: EventTarget): ErrorEventDetail[] & { stop: () => void } {
  const seen: ErrorEventDetail[] = [];
  const listener = (event: Event) => seen.push((event as CustomEvent<ErrorEventDetail>).detail);
  target.addEventListener('thinnest-chat-error', listener);
  const stop = () => target.removeEventListener('thinnest-chat-error', listener);
  return Object.defineProperty(seen, 'stop', { value: stop, enumerable: false }) as ErrorEventDetail[] & { stop: () => void };
}

/** The plain-words reason under the newest failed message. */
export function reason(el: ThinnestChat): string {
  return $(el, '[part~="error"] > span:not(.sr-only)')?.textContent?.trim() ?? '';
}

/** Types `text` and presses Enter, as a visitor sends. */
export async function sendAsVisitor(el: ThinnestChat, text: string): Promise<void> {
  await type(el, text);
  await pressEnter(el);
}

/**
 * Switches off the widget's open/close fade for a test that measures or waits at rest: a test page
 * running beside others may get no animation frames, and a transition would never end.
 */
export function stillMotion(el: ThinnestChat): void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync('*, *::before, *::after { transition: none !important; animation: none !important; }');
  el.shadowRoot!.adoptedStyleSheets = [...el.shadowRoot!.adoptedStyleSheets, sheet];
}


// Real pages in same-origin iframes: for what must happen before the widget loads (a hostile
// page's globals), a reload, or two tabs sharing real localStorage and storage events.
import { expect } from '@open-wc/testing';
import type { ThinnestChat } from '../../src/index.js';
import { until } from './chat.js';

export interface PageWindow extends Window {
  __errors: string[];
  __violations?: string[];
  __ready?: boolean;
}

export interface Page {
  frame: HTMLIFrameElement;
  win: PageWindow;
  /** The page's (first) widget, once defined and rendered. */
  el: ThinnestChat;
}

const frames: HTMLIFrameElement[] = [];

/** Removes every frame opened since the last call; call it in afterEach. */
export function closePages(): void {
  for (const frame of frames.splice(0)) frame.remove();
}

/** Loads `path` in a same-origin iframe and waits for its widget to be defined and rendered. */
export async function openPage(path: string): Promise<Page> {
  const frame = document.createElement('iframe');
  frame.width = '420';
  frame.height = '600';
  frames.push(frame);
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  frame.src = path;
  document.body.append(frame);
  await loaded;
  return { frame, win: frame.contentWindow as PageWindow, el: await widgetIn(frame, path) };
}

/** Reloads the page in `frame` (a real reload: the old document and its requests go away). */
export async function reloadPage(page: Page): Promise<Page> {
  const loaded = new Promise((resolve) => page.frame.addEventListener('load', resolve, { once: true }));
  page.win.location.reload();
  await loaded;
  return { frame: page.frame, win: page.frame.contentWindow as PageWindow, el: await widgetIn(page.frame, 'the reloaded page') };
}

/**
 * Points the page's widget at `proxyUrl` (the fake proxy, answering `md` first), asks about plans, and
 * checks the markdown reply as `expectPlansReply` does.
 */
export async function askForPlans(el: ThinnestChat, proxyUrl: string): Promise<void> {
  el.setAttribute('proxy-url', proxyUrl);
  await el.updateComplete;
  await el.send('What plans are there?');
  await el.updateComplete;
  expectPlansReply(el.shadowRoot!.querySelector('[part~="assistant-message"][data-id] .bubble'));
}

/** The fake proxy's `md` reply (test/fake-proxy.mjs) rendered: its table, its code with a copy button, its safe link. */
function expectPlansReply(reply: Element | null): void {
  expect(reply, 'the reply rendered').to.exist;
  expect(reply!.querySelectorAll('.md-table table tbody tr'), 'the reply table').to.have.length(2);
  expect(reply!.querySelector('.md-code pre code')?.textContent, 'the reply code').to.equal("console.log('hello');\n");
  expect(reply!.querySelector('[data-copy]'), 'the copy button').to.exist;
  const link = reply!.querySelector('a');
  expect(link?.getAttribute('href')).to.equal('https://example.com/pricing');
  expect(link?.getAttribute('rel')).to.equal('noopener noreferrer');
}

async function widgetIn(frame: HTMLIFrameElement, what: string): Promise<ThinnestChat> {
  const win = frame.contentWindow as PageWindow;
  await until(
    () => (win.customElements.get('thinnest-chat') !== undefined && win.document.querySelector('thinnest-chat') !== null) || (win.__errors?.length ?? 0) > 0,
    `<thinnest-chat> defined in ${what}`,
    20000,
  );
  expect(win.__errors ?? [], `errors while loading ${what}`).to.deep.equal([]);
  const el = win.document.querySelector('thinnest-chat') as ThinnestChat;
  await el.updateComplete;
  return el;
}

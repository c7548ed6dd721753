// The designers' playground as `npm start` serves it: Vite, the proxy plugin and the mock
// agent, driven in the system's Chromium the way a designer would use it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
// @ts-expect-error plain ESM script without types
import { launchChrome, startPlayground } from '../../scripts/playground-server.mjs';
import { ATTRIBUTES, CSS_PROPERTIES } from '../../demo/settings.ts';

const SCRIPT_URL = 'https://unpkg.com/thinnest-chat/dist/thinnest-chat.min.js';
let playground: { server: { close(): Promise<void> }; url: string };
let browser: Browser;
const pageErrors = new WeakMap<Page, string[]>();

/** Closes a page, failing the test if anything on it threw. */
async function done(page: Page): Promise<void> {
  const errors = pageErrors.get(page) ?? [];
  await page.close();
  assert.deepEqual(errors, [], 'errors thrown on the page');
}

before(async () => {
  playground = await startPlayground();
  browser = await launchChrome();
});
after(async () => {
  await browser?.close();
  await playground?.server.close();
  // Vite can leave a handle open after close() (seen on a fresh clone): end this test process
  // once its results are reported, so the run never hangs. The exit code node:test set stands.
  setTimeout(() => process.exit(), 3000);
});

async function open(hash = '', viewport = { width: 1280, height: 900 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  pageErrors.set(page, errors);
  await page.goto(`${playground.url}/${hash}`);
  await page.locator('#chat [part~="input"]').waitFor();
  return page;
}

describe('the playground', () => {
  it('has a labelled control for every attribute and CSS custom property', async () => {
    // Every attribute and property the element documents has a setting (custom-elements.json, from npm run build).
    const manifest = JSON.parse(readFileSync('dist/custom-elements.json', 'utf8'));
    const element = manifest.modules.flatMap((m: { declarations?: unknown[] }) => m.declarations ?? []).find((d: { tagName?: string }) => d.tagName === 'thinnest-chat');
    const names = (list: Array<{ name: string }>) => list.map((item) => item.name).sort();
    assert.deepEqual(names(ATTRIBUTES), names(element.attributes));
    assert.deepEqual(names(CSS_PROPERTIES), names(element.cssProperties));
    const page = await open();
    for (const setting of [...ATTRIBUTES, ...CSS_PROPERTIES]) {
      const control = page.getByLabel(setting.label, { exact: true });
      assert.equal(await control.count(), 1, `a control labelled "${setting.label}" for ${setting.name}`);
    }
    await done(page);
  });

  it('chats with the mock agent through the proxy mounted at /api/chat', async () => {
    const page = await open();
    await page.locator('#chat').evaluate((chat: HTMLElement & { newSession(): void }) => chat.newSession());
    await page.locator('#chat [part~="input"]').fill('Show me a table');
    await page.locator('#chat [part~="input"]').press('Enter');
    await page.locator('#chat [part~="assistant-message"][data-id] table').waitFor();
    await done(page);
  });

  it('applies a colour, a preset and a slider to the live widget, the embed code and the address bar', async () => {
    const page = await open();
    await page.getByLabel('Accent', { exact: true }).fill('#aa3300');
    await page.getByLabel('Corner radius', { exact: true }).fill('4');
    const send = page.locator('#chat [part~="send-button"]');
    assert.equal(await send.evaluate((node) => getComputedStyle(node).backgroundColor), 'rgb(170, 51, 0)');
    assert.equal(await page.locator('#chat [part~="panel"]').evaluate((node) => getComputedStyle(node).borderTopLeftRadius), '4px');
    const embed = await page.locator('#embed').textContent();
    assert.match(embed!, /--thinnest-chat-accent: #aa3300;/);
    assert.match(embed!, /--thinnest-chat-radius: 4px;/);
    assert.match(page.url(), /#look=/);

    // A reload restores the look from the address bar.
    await page.reload();
    await page.locator('#chat [part~="input"]').waitFor();
    assert.equal(await page.getByLabel('Accent', { exact: true }).inputValue(), '#aa3300');
    assert.equal(await send.evaluate((node) => getComputedStyle(node).backgroundColor), 'rgb(170, 51, 0)');

    await page.getByRole('button', { name: 'Midnight brand' }).click();
    assert.equal(await page.locator('#chat').getAttribute('theme'), 'dark');
    assert.match((await page.locator('#embed').textContent())!, /theme="dark"/);
    // A boolean attribute whose value is the empty string is in the embed code too.
    await page.getByLabel('Hide download and delete', { exact: true }).check();
    assert.match((await page.locator('#embed').textContent())!, /(^|\s)hide-data-controls(\s|>|$)/m);
    // But never `open`, the preview's state: on a site, every visitor's panel would open on every page.
    await page.getByLabel('Open (bubble, preview only)', { exact: true }).check();
    assert.equal(await page.locator('#chat').getAttribute('open'), '');
    assert.doesNotMatch((await page.locator('#embed').textContent())!, /(^|\s)open(\s|=|>|$)/m);
    // A colour equal to the light theme's default, chosen in the dark theme, is in the embed code: the preview shows it.
    await page.getByLabel('Background', { exact: true }).fill('#ffffff');
    assert.match((await page.locator('#embed').textContent())!, /--thinnest-chat-background: #ffffff;/);
    // A text field typed in and cleared again is the default in the embed code, as in the preview: no empty declaration.
    await page.getByLabel('Font family', { exact: true }).fill('Georgia, serif');
    assert.match((await page.locator('#embed').textContent())!, /--thinnest-chat-font-family: Georgia, serif;/);
    await page.getByLabel('Font family', { exact: true }).fill('');
    assert.doesNotMatch((await page.locator('#embed').textContent())!, /font-family/);
    // The teaser and its delay go into the live widget and the embed code.
    await page.getByLabel('Teaser (bubble)', { exact: true }).fill('Questions? Ask me.');
    await page.getByLabel('Teaser delay (s)', { exact: true }).fill('3');
    assert.equal(await page.locator('#chat').getAttribute('teaser'), 'Questions? Ask me.');
    assert.match((await page.locator('#embed').textContent())!, /teaser="Questions\? Ask me\."\s+teaser-delay="3"/);
    await done(page);
  });

  it("shows in each colour picker not yet touched what the widget shows now: the dark theme's defaults, the text picked for the accent", async () => {
    const page = await open();
    const picker = (label: string) => page.getByLabel(label, { exact: true }).inputValue();
    assert.equal(await picker('Background'), '#ffffff');
    await page.getByLabel('Theme', { exact: true }).selectOption('dark');
    await page.waitForFunction(() => (document.querySelector('input[name="--thinnest-chat-background"]') as HTMLInputElement).value === '#15181e');
    assert.equal(await picker('Accent'), '#7aa2ff');
    await page.getByLabel('Theme', { exact: true }).selectOption('light');
    await page.getByLabel('Accent', { exact: true }).fill('#ffeb3b');
    await page.waitForFunction(() => (document.querySelector('input[name="--thinnest-chat-accent-text"]') as HTMLInputElement).value === '#000000');
    assert.equal(await picker('Background'), '#ffffff');
    await done(page);
  });

  it('warns when colours chosen together leave text unreadable, never for an accent chosen alone (its text is picked to read)', async () => {
    const page = await open();
    const warning = page.locator('#contrast-warning');
    await page.getByLabel('Accent', { exact: true }).fill('#c2185b');
    assert.equal(await warning.textContent(), '', 'white text on #c2185b in the light theme');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
    assert.equal(await warning.textContent(), '', 'the accent alone in the dark theme: its text is picked too');
    await page.getByLabel('Accent', { exact: true }).fill('#f5a524');
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
    assert.equal(await warning.textContent(), '', 'a light accent gets black text');
    await page.getByLabel('Text on accent', { exact: true }).fill('#ffffff');
    await page.waitForFunction(() => document.querySelector('#contrast-warning')!.textContent !== '');
    assert.match((await warning.textContent())!, /dark theme.*Text on accent: \d\.\d:1/);
    // Secondary text, links, code and the focus ring are checked too.
    await page.getByRole('button', { name: 'Reset' }).click();
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByLabel('Secondary text', { exact: true }).fill('#eeeeee');
    await page.getByLabel('Links in replies', { exact: true }).fill('#e8eaee');
    await page.getByLabel('Code text', { exact: true }).fill('#1f2430');
    await page.getByLabel('Focus ring', { exact: true }).fill('#fafafa');
    await page.waitForFunction(() => /Focus ring/.test(document.querySelector('#contrast-warning')!.textContent!));
    const said = (await warning.textContent())!;
    for (const label of ['Secondary text', 'Links in replies', 'Code text', 'Focus ring']) assert.match(said, new RegExp(`${label}: \\d\\.\\d:1`));
    await done(page);
  });

  it('gives embed code that reproduces the look on a page of its own', async () => {
    const page = await open();
    await page.getByRole('button', { name: 'Compact rounded' }).click();
    await page.getByLabel('Title', { exact: true }).fill('Rosa & "Co"');
    const snippet = (await page.locator('#embed').textContent())!;
    // Plain source, so the TypeScript loader adds no helpers that the page would lack.
    const readLook = `(chat) => {
      const root = chat.shadowRoot;
      const style = (part) => getComputedStyle(root.querySelector('[part~="' + part + '"]'));
      return {
        title: root.querySelector('[part~="title"]').textContent.trim(),
        accent: style('send-button').backgroundColor,
        radius: style('panel').borderTopLeftRadius,
        fontSize: style('panel').fontSize,
        suggestions: root.querySelectorAll('[part~="suggestion"]').length,
        height: Math.round(chat.getBoundingClientRect().height),
      };
    }`;
    const look = async (target: Page, selector: string) =>
      target.evaluate(`(${readLook})(document.querySelector(${JSON.stringify(selector)}))`) as Promise<{ title: string }>;
    const expected = await look(page, '#chat');
    const embedPage = await browser.newPage();
    // The snippet as a site owner pastes it, with the CDN script served from this build.
    await embedPage.route('**/embed-check.html', (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html lang="en"><body><h1>A page</h1>${snippet.replace(SCRIPT_URL, '/dist/thinnest-chat.min.js')}<p>The page goes on.</p></body></html>`,
      }),
    );
    // The built files exactly as a CDN serves them (Vite's dev server would rewrite them as modules), the panel's
    // code 300 ms after the rest, as a slow CDN can: the look is compared once it is all there.
    // The script-tag file 300 ms after the page, so the page is drawn before the element is defined.
    await embedPage.route('**/dist/**', async (route) => {
      const path = new URL(route.request().url()).pathname.slice(1);
      if (path.endsWith('conversation.js') || path.endsWith('.min.js')) await new Promise((resolve) => setTimeout(resolve, 300));
      await route.fulfill({ contentType: 'text/javascript', body: readFileSync(path) });
    });
    await embedPage.goto(`${playground.url}/embed-check.html`);
    await embedPage.locator('thinnest-chat [part~="input"]').waitFor();
    // The panel is drawn first; its suggestions come with the conversation's code, which updateComplete waits for.
    await embedPage.evaluate('document.querySelector("thinnest-chat").updateComplete');
    assert.deepEqual(await look(embedPage, 'thinnest-chat'), expected);
    assert.equal(expected.title, 'Rosa & "Co"');
    // Nothing on the page moved as the widget arrived: the snippet gives the inline widget its box before its script runs.
    const shifted = await embedPage.evaluate(
      () =>
        new Promise<number>((resolve) => {
          // Chromium hands over the shifts it saw at once; with none, it says nothing.
          new PerformanceObserver((list) => resolve(list.getEntries().length)).observe({ type: 'layout-shift', buffered: true });
          setTimeout(() => resolve(0), 1000);
        }),
    );
    assert.equal(shifted, 0, 'layout shifts on the page');
    await embedPage.close();
    await done(page);
  });

  it('shows every state in the gallery, each a working widget', async () => {
    const page = await open();
    // A gallery widget far down the page draws its conversation once scrolled near, as on any page: each is brought into view.
    const shown = async (id: string, selector: string) => {
      await page.locator(`#state-${id} thinnest-chat`).first().evaluate((chat) => chat.scrollIntoView({ block: 'center' }));
      await page.locator(`#state-${id} thinnest-chat ${selector}`).first().waitFor();
    };
    await shown('empty', '[part~="suggestion"]');
    await shown('waiting', '.typing');
    await shown('error', '[part~="retry-button"]');
    await shown('markdown', '.md-code');
    await shown('markdown', 'table');
    await shown('dark', 'table');
    await shown('rtl', '[part~="assistant-message"][data-id]');
    assert.equal(await page.locator('#state-rtl thinnest-chat').evaluate((node) => getComputedStyle(node).direction), 'rtl');
    // In Arabic, not English laid out right to left ("...Type a message").
    assert.equal(await page.locator('#state-rtl [part~="input"]').getAttribute('placeholder'), 'اكتب رسالة…');
    // A reply with feedback on, its thumbs up pressed (the rating posted to the proxy's /api/feedback beside the mock's).
    await shown('feedback', '[part~="feedback-button"][aria-pressed="true"]');
    await shown('bubble-unread', '[part~="unread"]');
    await shown('bubble-teaser', '[part~="teaser"]');
    await shown('bubble-open', '[part~="panel"]');
    // Three replies of 2 s, then one that never comes: after 3 s the typing indicator says so.
    await shown('slow', '.typing small');
    await done(page);
  });

  it('is accessible: axe finds no violations on the whole page', async () => {
    const page = await open();
    // Every widget brought into view in turn, so each has drawn its conversation (a widget far down a page waits until near).
    for (const chat of await page.locator('thinnest-chat').all()) {
      await chat.evaluate((node) => new Promise((resolve) => (node.scrollIntoView({ block: 'center' }), requestAnimationFrame(() => requestAnimationFrame(resolve)))));
    }
    await page.locator('#state-markdown thinnest-chat table').first().waitFor();
    await page.addScriptTag({ content: readFileSync('node_modules/axe-core/axe.min.js', 'utf8') });
    const violations = await page.evaluate(async () => {
      const result = await (window as unknown as { axe: { run(context: Document): Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown }> }> }> } }).axe.run(document);
      return result.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`);
    });
    assert.deepEqual(violations, []);
    await done(page);
  });

  it('works on a phone: no sideways scrolling, the widget fits', async () => {
    const page = await open('', { width: 375, height: 667 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px`);
    const chat = await page.locator('#chat').boundingBox();
    assert.ok(chat && chat.x >= 0 && chat.x + chat.width <= 375, JSON.stringify(chat));
    await done(page);
  });
});

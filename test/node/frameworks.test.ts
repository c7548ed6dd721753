// The React 19, Vue 3 and Svelte 5 apps in examples/ as their users run them: built by Vite with their
// own Vite config, served next to a fake proxy on 127.0.0.1 and driven in the system's Chromium; the React
// and Vue apps are also type-checked against the built package's types (dist/index.d.ts, dist/react.d.ts,
// dist/vue.d.ts). Each app binds a property (suggestions), listens for an event (thinnest-chat-reply) and
// calls a method (newSession()) through the framework; the test checks all three took effect.
// Needs `npm run build` first (npm test runs it before the Node tests).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
// @ts-expect-error plain ESM script without types
import { launchChrome } from '../../scripts/playground-server.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(ROOT, 'dist');
const SUGGESTIONS = ['What can you do?', 'Show me a table'];
const REPLY = 'Here is what I can do for you.';
const run = promisify(execFile);

const missing = ['index.js', 'index.d.ts', 'react.d.ts', 'vue.d.ts'].filter((file) => !existsSync(join(DIST, file)));
if (missing.length) {
  throw new Error(`dist/ lacks ${missing.join(', ')}: run \`npm run build\` before this test (npm test does).`);
}

let cache: string;
let browser: Browser;

before(async () => {
  cache = mkdtempSync(join(ROOT, 'node_modules', '.cache-thinnest-frameworks-'));
  browser = await launchChrome();
});
after(async () => {
  await browser?.close();
  if (cache) rmSync(cache, { recursive: true, force: true });
});

// --- types ---------------------------------------------------------------------------------------

const CHECKERS = {
  tsc: join(ROOT, 'node_modules/typescript/bin/tsc'),
  'vue-tsc': join(ROOT, 'node_modules/vue-tsc/bin/vue-tsc.js'), // tsc that also checks .vue templates
};

/**
 * Runs tsc (or vue-tsc) over an example's sources plus `extra` files, with the example's own
 * tsconfig and 'thinnest-chat' resolved to dist/ as an installed copy would be. skipLibCheck is
 * off, so the generated .d.ts files are checked too.
 */
async function typeCheck(name: string, checker: keyof typeof CHECKERS, extra: Record<string, string>): Promise<void> {
  const dir = join(cache, `types-${name}`);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(extra)) writeFileSync(join(dir, file), text);
  const config = {
    extends: join(ROOT, 'examples', name, 'tsconfig.json'),
    compilerOptions: {
      skipLibCheck: false,
      paths: { 'thinnest-chat': [join(DIST, 'index.d.ts')], 'thinnest-chat/*': [join(DIST, '*.d.ts')] },
    },
    include: [join(ROOT, 'examples', name, 'src'), dir],
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(config, null, 2));
  try {
    await run(process.execPath, [CHECKERS[checker], '--noEmit', '-p', join(dir, 'tsconfig.json')], {
      cwd: ROOT,
      timeout: 120_000,
    });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    assert.fail(`tsc found errors in examples/${name} or its type tests:\n${stdout}${stderr}`);
  }
}

// Each @ts-expect-error must be an error, so these also fail if the types were loose (`any`).
const REACT_TYPE_TEST = `import type {} from 'thinnest-chat/react';
import type { ThinnestChat } from 'thinnest-chat';
import { createRef } from 'react';

const ref = createRef<ThinnestChat>();
export const ok = (
  <thinnest-chat
    ref={ref}
    proxy-url="/api/chat"
    mode="bubble"
    suggestions={['a', 'b']}
    onthinnest-chat-reply={(event) => event.detail.message.toUpperCase() + event.target.messages.length}
    onthinnest-chat-error={(event) => event.detail.retryable}
    onClick={(event) => event.currentTarget.messages.length}
    onKeyDown={(event) => event.key}
    className="chat"
  />
);
// @ts-expect-error a DOM handler is typed too
export const badHandler = <thinnest-chat onClick={(event) => event.nope} />;
// @ts-expect-error suggestions are strings
export const badSuggestions = <thinnest-chat suggestions={[1]} />;
// @ts-expect-error mode is inline or bubble
export const badMode = <thinnest-chat mode="sidebar" />;
// @ts-expect-error a reply's detail has message, sessionId and metadata
export const badDetail = <thinnest-chat onthinnest-chat-reply={(event) => event.detail.nope} />;
// The events bubble out of the element and its shadow root: typed where a page listens for them all.
document.addEventListener('thinnest-chat-reply', (event) => event.detail.message.toUpperCase());
window.addEventListener('thinnest-chat-error', (event) => event.detail.retryable);
// @ts-expect-error typed on the document too
document.addEventListener('thinnest-chat-reply', (event) => event.detail.nope);
`;

const VUE_TYPE_TEST = `import type { GlobalComponents } from 'vue';
import type {} from 'thinnest-chat/vue';

type Props = InstanceType<GlobalComponents['thinnest-chat']>['$props'];
export const ok: Props = {
  'proxy-url': '/api/chat',
  suggestions: ['a', 'b'],
  'onthinnest-chat-reply': (event) => event.detail.message.toUpperCase(),
  'onthinnest-chat-session': (event) => event.detail.previous,
};
// @ts-expect-error suggestions are strings
export const badSuggestions: Props = { suggestions: [1] };
// @ts-expect-error theme is auto, light or dark
export const badTheme: Props = { theme: 'sepia' };
// @ts-expect-error a reply's detail has message, sessionId and metadata
export const badDetail: Props = { 'onthinnest-chat-reply': (event) => event.detail.nope };
`;

// Template listeners and bindings as vue-tsc sees them.
const VUE_SFC_TYPE_TEST = `<script setup lang="ts">
import type {} from 'thinnest-chat/vue';
</script>

<template>
  <thinnest-chat :suggestions="['a']" @thinnest-chat-reply="(event) => event.detail.message.toUpperCase()" />
  <!-- @vue-expect-error suggestions are strings -->
  <thinnest-chat :suggestions="[1]" />
  <!-- @vue-expect-error a reply's detail has message, sessionId and metadata -->
  <thinnest-chat @thinnest-chat-reply="(event) => event.detail.nope" />
</template>
`;

// --- build, serve, drive -------------------------------------------------------------------------

interface Served {
  url: string;
  requests: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** Builds examples/<name> with its own vite.config.ts (or .js); 'thinnest-chat' is the built ES module. */
async function buildExample(name: string): Promise<string> {
  const outDir = join(cache, name);
  const root = join(ROOT, 'examples', name);
  await build({
    root,
    configFile: ['vite.config.ts', 'vite.config.js'].map((file) => join(root, file)).find((file) => existsSync(file)),
    cacheDir: join(cache, `vite-${name}`),
    logLevel: 'error',
    resolve: { alias: [{ find: /^thinnest-chat$/, replacement: join(DIST, 'index.js') }] },
    build: { outDir, emptyOutDir: true, reportCompressedSize: false, sourcemap: false },
  });
  return outDir;
}

/** The built app plus a fake proxy answering POST /api/chat, on a free loopback port. */
async function serve(dir: string): Promise<Served> {
  const requests: Array<Record<string, unknown>> = [];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path === '/api/chat') {
      if (req.method !== 'POST') {
        res.writeHead(405).end();
        return;
      }
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        const message = JSON.parse(body) as Record<string, unknown>;
        requests.push(message);
        const sessionId = typeof message.session_id === 'string' ? message.session_id : 'fake-session';
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ success: true, response: REPLY, session_id: sessionId, metadata: {} }));
      });
      return;
    }
    if (path === '/favicon.ico') {
      res.writeHead(204).end(); // asked for by the browser itself; the examples have none
      return;
    }
    const file = normalize(join(dir, path === '/' ? 'index.html' : decodeURIComponent(path)));
    if (!file.startsWith(dir + sep) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const TIMEOUT = 15_000;

/** The property, the event and the method, each through the framework's own binding. */
async function driveApp(served: Served): Promise<void> {
  const context = await browser.newContext();
  const page: Page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
  });
  try {
    await page.goto(served.url);
    const chat = page.locator('thinnest-chat');
    const lastReply = page.locator('#last-reply');

    // Property: the array reached the element as a property (an attribute would be "a,b",
    // which is not JSON, and no suggestion would render).
    const suggestion = chat.locator('[part~="suggestion"]');
    await suggestion.nth(SUGGESTIONS.length - 1).waitFor({ timeout: TIMEOUT });
    assert.deepEqual((await suggestion.allTextContents()).map((text) => text.trim()), SUGGESTIONS);
    assert.deepEqual(await chat.evaluate((element) => (element as HTMLElement & { suggestions: string[] }).suggestions), SUGGESTIONS);
    assert.equal((await lastReply.textContent())?.trim(), 'No reply yet');

    // Event: a click on a suggestion sends it; the reply event updates the app's own text.
    await suggestion.nth(1).click();
    await page.waitForFunction(
      (expected) => document.querySelector('#last-reply')?.textContent?.trim() === expected,
      `Last reply: ${REPLY}`,
      { timeout: TIMEOUT },
    );
    assert.equal(served.requests.length, 1, 'one message reached the proxy');
    assert.equal(served.requests[0].message, SUGGESTIONS[1]);
    assert.equal(typeof served.requests[0].session_id, 'string');
    await chat.locator('[part~="assistant-message"]', { hasText: REPLY }).waitFor({ timeout: TIMEOUT });
    assert.equal(await chat.locator('[part~="message"]').count(), 2, 'the question and the reply');
    // A boolean attribute written bare (`feedback`): on in each framework (Vue once set it as the property "", off).
    await chat.locator('[part~="feedback-button"]').first().waitFor({ timeout: TIMEOUT });
    assert.equal(await chat.locator('[part~="feedback-button"]').count(), 2, 'thumbs up and down under the reply');
    assert.equal(await suggestion.count(), 0, 'suggestions hide once the transcript has messages');

    // Method: the app's button calls newSession() through its ref; the transcript empties.
    await page.locator('#new-conversation').click();
    await suggestion.nth(SUGGESTIONS.length - 1).waitFor({ timeout: TIMEOUT });
    assert.equal(await chat.locator('[part~="message"]').count(), 0, 'transcript cleared');
    const sessionId = await chat.evaluate((element) => (element as HTMLElement & { sessionId: string | null }).sessionId);
    assert.notEqual(sessionId, served.requests[0].session_id, 'a fresh session');
    assert.equal(await chat.evaluate((element) => (element as HTMLElement & { messages: unknown[] }).messages.length), 0);
    assert.equal((await lastReply.textContent())?.trim(), 'No reply yet');
    assert.deepEqual(errors, [], 'no errors on the page');
  } finally {
    await context.close();
  }
}

async function buildAndDrive(name: string): Promise<void> {
  const served = await serve(await buildExample(name));
  try {
    await driveApp(served);
  } finally {
    await served.close();
  }
}

describe('React 19 example (examples/react)', () => {
  it('type-checks against the generated JSX types, which reject wrong props and details', () =>
    typeCheck('react', 'tsc', { 'types.test.tsx': REACT_TYPE_TEST }));
  it('builds with Vite; suggestions, the reply event and newSession() work in Chromium', () => buildAndDrive('react'));
});

describe('Vue 3 example (examples/vue)', () => {
  it('type-checks (vue-tsc, templates included) against the generated GlobalComponents types, which reject wrong props and details', () =>
    typeCheck('vue', 'vue-tsc', { 'types.test.ts': VUE_TYPE_TEST, 'TypesTest.vue': VUE_SFC_TYPE_TEST }));
  it('builds with Vite; suggestions, the reply event and newSession() work in Chromium', () => buildAndDrive('vue'));
});

describe('Svelte 5 example (examples/svelte)', () => {
  // Svelte sets {suggestions} as a property (the element has one) and onthinnest-chat-reply listens for the event.
  it('builds with Vite; suggestions, the reply event and newSession() work in Chromium', () => buildAndDrive('svelte'));
});

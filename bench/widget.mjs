// `npm run bench`: thinnest-chat side by side with Deep Chat and a page with no widget, in the
// system's headless Chromium, one run, fresh loads interleaved, medians. Needs `npm run build`.
// Prints a table with ratios to Deep Chat and writes bench/results.json.
import { createServer } from 'node:http';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { brotliCompressSync, constants } from 'node:zlib';
import { launchChrome } from '../scripts/playground-server.mjs';

// Fresh loads per page (the issue asks for at least 5; a busy 2-core machine wants more for a steady median).
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const APPEND_RUNS = 3;
const ROOT = new URL('..', import.meta.url).pathname;
if (!existsSync(`${ROOT}dist/thinnest-chat.min.js`)) {
  console.error('Run npm run build first: dist/thinnest-chat.min.js is missing.');
  process.exit(1);
}

// ---- a loopback server: pages, the built files, Deep Chat's bundle, and one fake backend for both
const replyOf = (size) => {
  const para = 'Here is **markdown** with a [link](https://example.com), `code` and a list:\n\n- one\n- two\n\n';
  let text = '';
  while (text.length < size) text += para;
  return text.slice(0, size);
};
// The floor for any script-tag widget: one classic script that defines an element with one textbox.
const MINIMAL_ELEMENT = `customElements.define('minimal-chat', class extends HTMLElement {
  connectedCallback() { this.attachShadow({ mode: 'open' }).innerHTML = '<textarea aria-label="Message"></textarea>'; }
});`;
// Each page has a heading of its own beside the widget, as a site's page has: thinnest-chat draws itself once the
// page has drawn its own content (docs/performance.md, Lighthouse), and on a page with nothing of its own 100 ms later.
const PAGE_OWN = '<h1>A page</h1>';
const PAGES = {
  none: () => `<main><h1>No widget</h1><textarea aria-label="Plain textbox"></textarea></main>`,
  minimal: () => `${PAGE_OWN}<script src="/bench/minimal-element.js"></script><minimal-chat></minimal-chat>`,
  thinnest: (mode) =>
    `${PAGE_OWN}<script src="/dist/thinnest-chat.min.js"></script><thinnest-chat proxy-url="/api/chat" persist="none" mode="${mode}"></thinnest-chat>`,
  deepchat: () =>
    `${PAGE_OWN}<script type="module" src="/node_modules/deep-chat/dist/deepChat.bundle.js"></script><deep-chat connect='{"url":"/deep/chat"}' style="height:560px;width:380px"></deep-chat>`,
};
// Replies far too big for a chat (the shapes of test/fake-proxy.mjs): rendered shortened, timed.
const BIG = {
  'a 1 MB reply': () =>
    Array.from({ length: 12_000 }, (_, i) => `Paragraph ${i}: **bold**, _emphasis_, a [link](https://example.com/${i}) and some words.`)
      .join('\n\n')
      .padEnd(1_048_576, ' more')
      .slice(0, 1_048_576),
  'a reply of 10,000 lines': () => Array.from({ length: 10_000 }, (_, i) => `Line ${i + 1}`).join('\n'),
  'a 5,000-row table': () => ['| # | name | value |', '| --- | --- | --- |', ...Array.from({ length: 5_000 }, (_, i) => `| ${i + 1} | row **${i + 1}** | ${i * 7} |`)].join('\n'),
  'a list nested 1,000 deep': () => Array.from({ length: 1_000 }, (_, i) => `${'  '.repeat(i)}- level ${i + 1}`).join('\n'),
};
let replySize = 200;
let bigShape;
const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  if (req.method === 'POST') {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const text = bigShape ? BIG[bigShape]() : replyOf(replySize);
      res.setHeader('Content-Type', 'application/json');
      if (url.pathname === '/deep/chat') return res.end(JSON.stringify({ text }));
      const { session_id } = JSON.parse(body || '{}');
      res.end(JSON.stringify({ success: true, response: text, session_id: session_id ?? 's', metadata: {} }));
    });
    return;
  }
  if (url.pathname === '/bench/minimal-element.js') {
    res.setHeader('Content-Type', 'text/javascript');
    return res.end(MINIMAL_ELEMENT);
  }
  if (url.pathname.startsWith('/page/')) {
    const [, , kind, mode = 'inline'] = url.pathname.split('/');
    res.setHeader('Content-Type', 'text/html');
    return res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${kind}</title></head><body>${PAGES[kind](mode)}</body></html>`);
  }
  const file = `${ROOT}${decodeURIComponent(url.pathname).slice(1)}`;
  if (!file.startsWith(ROOT) || !existsSync(file)) {
    res.statusCode = 404;
    return res.end();
  }
  res.setHeader('Content-Type', file.endsWith('.js') || file.endsWith('.mjs') ? 'text/javascript' : 'application/octet-stream');
  res.end(readFileSync(file));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const BASE = `http://127.0.0.1:${server.address().port}`;

// ---- helpers
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : NaN;
};
const brotli = (buffer) => brotliCompressSync(buffer, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const browser = await launchChrome();

/** In the page: the widget's textbox (a closed bubble's launcher), whatever the widget. */
const FIND_TEXTBOX = `(() => {
  const chat = document.querySelector('thinnest-chat');
  // A closed bubble is usable once its launcher is.
  if (chat) return chat.shadowRoot && chat.shadowRoot.querySelector(chat.getAttribute('mode') === 'bubble' ? '[part~="launcher"]' : '[part~="input"]');
  const minimal = document.querySelector('minimal-chat');
  if (minimal) return minimal.shadowRoot && minimal.shadowRoot.querySelector('textarea');
  const deep = document.querySelector('deep-chat');
  if (deep) return deep.shadowRoot && deep.shadowRoot.querySelector('#text-input');
  return document.querySelector('textarea');
})()`;

async function load(kind, mode) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  const page = await context.newPage();
  const fetched = [];
  page.on('response', async (response) => {
    if (!/\.m?js($|\?)/.test(response.url())) return;
    try {
      fetched.push({ url: response.url(), stage: page.__stage ?? 'load', body: await response.body() });
    } catch {
      // a response without a body (redirect) counts nothing
    }
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  // Measured in the page from its navigation start, looked for every frame by a script that runs
  // before the page's own: the test driver's round trips are not the widget's time.
  await page.addInitScript(`(() => {
    const look = () => {
      const box = ${FIND_TEXTBOX};
      if (box && box.getClientRects().length > 0) window.__textboxAt = performance.now();
      else requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  })()`);
  await page.goto(`${BASE}/page/${kind}/${mode}`);
  const textboxMs = await (await page.waitForFunction(() => window.__textboxAt, null, { polling: 5, timeout: 20000 })).jsonValue();
  await page.waitForLoadState('networkidle');
  const metrics = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  return { context, page, cdp, fetched, textboxMs, metrics };
}

const bytesAt = (fetched, stages) => {
  const chosen = fetched.filter((f) => stages.includes(f.stage));
  return { raw: chosen.reduce((n, f) => n + f.body.length, 0), brotli: chosen.reduce((n, f) => n + brotli(f.body), 0) };
};

async function sendAndWait(page, kind, text) {
  if (kind === 'thinnest') {
    await page.evaluate((t) => document.querySelector('thinnest-chat').send(t), text);
  } else {
    const before = await page.evaluate(() => document.querySelector('deep-chat').getMessages().length);
    await page.evaluate((t) => document.querySelector('deep-chat').submitUserMessage({ text: t }), text);
    await page.waitForFunction((n) => document.querySelector('deep-chat').getMessages().length >= n + 2, before, { polling: 2 });
  }
}

/** The widget has rendered what it was asked to and fetched what that needed (waitForLoadState would not wait twice). */
async function settled(page) {
  await page.evaluate(() => document.querySelector('thinnest-chat')?.updateComplete);
  await page.waitForTimeout(300);
}

// ---- 1. loads: interleaved fresh loads of every page
const subjects = [
  ['none', 'inline'],
  ['minimal', 'inline'],
  ['thinnest', 'inline'],
  ['thinnest', 'bubble'],
  ['deepchat', 'inline'],
];
const loads = Object.fromEntries(subjects.map(([k, m]) => [`${k}/${m}`, []]));
for (let run = 0; run < RUNS; run++) {
  for (const [kind, mode] of subjects) {
    const { context, page, fetched, textboxMs, metrics } = await load(kind, mode === 'bubble' ? 'bubble' : 'inline').catch(async (error) => {
      throw new Error(`${kind}/${mode}: ${error.message}`);
    });
    const row = { textboxMs, script: metrics.ScriptDuration * 1000, task: metrics.TaskDuration * 1000, heap: metrics.JSHeapUsedSize };
    row.atLoad = bytesAt(fetched, ['load']);
    if (kind === 'thinnest' || kind === 'deepchat') {
      page.__stage = 'open';
      if (mode === 'bubble') await page.evaluate(() => document.querySelector('thinnest-chat').show());
      await settled(page);
      row.afterOpen = bytesAt(fetched, ['load', 'open']);
      page.__stage = 'reply';
      replySize = 200;
      await sendAndWait(page, kind, 'hello');
      await settled(page);
      row.afterReply = bytesAt(fetched, ['load', 'open', 'reply']);
    }
    loads[`${kind}/${mode}`].push(row);
    await context.close();
  }
}

// ---- 2. appending replies: per-reply time at messages 1–10 and 991–1,000; 3. restoring 200 messages; 4. throughput
async function appendBench(kind) {
  // Three fresh pages, each taken to 1,000 messages; the medians pool their first and last five sends, so
  // one slow moment on a 2-core machine does not decide the ratio.
  const first = [];
  const last = [];
  for (let run = 0; run < APPEND_RUNS; run++) {
    const { context, page } = await load(kind, 'inline');
    replySize = 200;
    const times = [];
    for (let i = 0; i < 500; i++) {
      const t0 = Date.now();
      await sendAndWait(page, kind, `message ${i}`);
      times.push(Date.now() - t0);
    }
    await context.close();
    // 500 sends make 1,000 messages (visitor + reply): the first five are messages 1–10, the last five 991–1,000.
    first.push(...times.slice(0, 5));
    last.push(...times.slice(-5));
  }
  return { first: median(first), last: median(last) };
}

async function restoreBench() {
  const messages = [];
  for (let i = 0; i < 100; i++) {
    messages.push({ id: `u${i}`, role: 'user', text: `question ${i}`, createdAt: 1 + 2 * i });
    messages.push({ id: `a${i}`, role: 'assistant', text: replyOf(300), createdAt: 2 + 2 * i });
  }
  const results = [];
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${BASE}/page/none/inline`);
    await page.evaluate((stored) => localStorage.setItem('thinnest-chat:bench', JSON.stringify({ v: 1, sessionId: 'bench', messages: stored })), messages);
    await page.evaluate(async () => {
      await new Promise((resolve) => {
        const script = document.createElement('script');
        script.src = '/dist/thinnest-chat.min.js';
        script.onload = resolve;
        document.head.append(script);
      });
      await customElements.whenDefined('thinnest-chat');
    });
    // Cold: the first widget on the page, so the panel's and the renderer's chunks are fetched and
    // compiled within the time. Warm: a second widget restoring the same conversation, chunks in hand.
    const restore = () =>
      page.evaluate(async () => {
        const t0 = performance.now();
        const chat = document.createElement('thinnest-chat');
        chat.setAttribute('proxy-url', '/api/chat');
        chat.setAttribute('storage-key', 'bench');
        document.body.append(chat);
        await chat.updateComplete;
        const count = chat.shadowRoot.querySelectorAll('[part~="message"]').length;
        return count === 200 ? performance.now() - t0 : -count;
      });
    results.push({ cold: await restore(), warm: await restore() });
    await context.close();
  }
  return { cold: median(results.map((r) => r.cold)), warm: median(results.map((r) => r.warm)) };
}

async function throughput(kind, size) {
  const { context, page } = await load(kind, 'inline');
  replySize = size;
  await sendAndWait(page, kind, 'warm up');
  const count = size > 5000 ? 10 : 30;
  const t0 = Date.now();
  for (let i = 0; i < count; i++) await sendAndWait(page, kind, `reply ${i}`);
  const perSecond = count / ((Date.now() - t0) / 1000);
  await context.close();
  return perSecond;
}

/** Render time of each big reply (reply event to committed render, forced layout included) and the longest task around it. */
async function bigReplies() {
  const { context, page } = await load('thinnest', 'inline');
  await sendAndWait(page, 'thinnest', 'warm up'); // the markdown renderer is loaded
  const out = {};
  for (const shape of Object.keys(BIG)) {
    bigShape = shape;
    const trials = [];
    for (let run = 0; run < RUNS; run++) {
      trials.push(
        await page.evaluate(async (text) => {
          const chat = document.querySelector('thinnest-chat');
          const tasks = [];
          const observer = new PerformanceObserver((list) => tasks.push(...list.getEntries().map((e) => e.duration)));
          observer.observe({ type: 'longtask' });
          let render = -1;
          chat.addEventListener(
            'thinnest-chat-reply',
            () => {
              const start = performance.now();
              void chat.updateComplete.then(() => {
                chat.shadowRoot.querySelector('[part~="messages"]')?.getBoundingClientRect();
                render = performance.now() - start;
              });
            },
            { once: true },
          );
          await chat.send(text);
          while (render < 0) await new Promise((resolve) => setTimeout(resolve, 5));
          await new Promise((resolve) => setTimeout(resolve, 100));
          tasks.push(...observer.takeRecords().map((e) => e.duration));
          observer.disconnect();
          return { render, longestTask: Math.max(0, ...tasks) };
        }, `${shape} (${run + 1})`),
      );
    }
    out[shape] = { renderMs: median(trials.map((t) => t.render)), longestTaskMs: median(trials.map((t) => t.longestTask)) };
  }
  bigShape = undefined;
  await context.close();
  return out;
}

const big = await bigReplies();
const append = { thinnest: await appendBench('thinnest'), deepchat: await appendBench('deepchat') };
const restore200 = await restoreBench();
const rates = {};
for (const kind of ['thinnest', 'deepchat']) rates[kind] = { kb1: await throughput(kind, 1024), kb20: await throughput(kind, 20 * 1024) };

await browser.close();
server.close();

// ---- report
const summary = {};
for (const [key, rows] of Object.entries(loads)) {
  const pick = (fn) => median(rows.map(fn).filter((v) => v !== undefined && !Number.isNaN(v)));
  summary[key] = {
    loadBrotli: pick((r) => r.atLoad.brotli),
    loadRaw: pick((r) => r.atLoad.raw),
    openBrotli: pick((r) => r.afterOpen?.brotli),
    replyBrotli: pick((r) => r.afterReply?.brotli),
    replyRaw: pick((r) => r.afterReply?.raw),
    textboxMs: pick((r) => r.textboxMs),
    scriptMs: pick((r) => r.script),
    taskMs: pick((r) => r.task),
    heapMB: pick((r) => r.heap) / 1048576,
  };
}
const deep = summary['deepchat/inline'];
const kb = (n) => (Number.isFinite(n) ? `${(n / 1024).toFixed(1)} KB` : '–');
const ms = (n) => (Number.isFinite(n) ? `${n.toFixed(0)} ms` : '–');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : '');
const lines = [
  `| page (median of ${RUNS} fresh loads) | JS at load (brotli) | after opening | after first reply (raw / brotli) | time to textbox | ScriptDuration | TaskDuration | JS heap |`,
  '|---|---:|---:|---:|---:|---:|---:|---:|',
];
for (const [key, s] of Object.entries(summary)) {
  const vs = key.startsWith('thinnest') ? ` (${ratio(s.replyBrotli, deep.replyBrotli)})` : '';
  const vsDeep = (n, d) => (key === 'deepchat/inline' ? '' : ` (${ratio(n, d)})`);
  lines.push(
    `| ${key} | ${kb(s.loadBrotli)} | ${kb(s.openBrotli)} | ${kb(s.replyRaw)} / ${kb(s.replyBrotli)}${vs} | ${ms(s.textboxMs)}${vsDeep(s.textboxMs, deep.textboxMs)} | ${ms(s.scriptMs)}${key.startsWith('thinnest') ? ` (${ratio(s.scriptMs, deep.scriptMs)})` : ''} | ${ms(s.taskMs)} | ${s.heapMB.toFixed(1)} MB |`,
  );
}
lines.push(
  '',
  'none: the page with a plain textarea and no widget. minimal: one classic script that defines a custom element with one textarea in its shadow root, the floor for any script-tag widget.',
);
lines.push('', '| work | thinnest-chat | Deep Chat |', '|---|---:|---:|');
lines.push(`| time per reply, messages 1–10 | ${ms(append.thinnest.first)} | ${ms(append.deepchat.first)} |`);
lines.push(`| time per reply, messages 991–1,000 | ${ms(append.thinnest.last)} (ratio ${(append.thinnest.last / append.thinnest.first).toFixed(2)}) | ${ms(append.deepchat.last)} (ratio ${(append.deepchat.last / append.deepchat.first).toFixed(2)}) |`);
lines.push(`| restoring 200 stored messages, first widget on the page | ${ms(restore200.cold)} | |`);
lines.push(`| restoring 200 stored messages, its code already loaded | ${ms(restore200.warm)} | |`);
lines.push(`| 1 KB replies per second | ${rates.thinnest.kb1.toFixed(1)} | ${rates.deepchat.kb1.toFixed(1)} |`);
lines.push(`| 20 KB replies per second | ${rates.thinnest.kb20.toFixed(1)} | ${rates.deepchat.kb20.toFixed(1)} |`);
lines.push('', `| big reply (median of ${RUNS}) | render | longest task | budget |`, '|---|---:|---:|---:|');
for (const [shape, figures] of Object.entries(big)) {
  const verdict = Math.max(figures.renderMs, figures.longestTaskMs) <= 200 ? 'within' : 'over';
  lines.push(`| ${shape} | ${ms(figures.renderMs)} | ${ms(figures.longestTaskMs)} | 200 ms (${verdict}) |`);
}
const machine = `${cpus().length} cores (${cpus()[0]?.model?.trim()}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
console.log(`thinnest-chat bench, ${new Date().toISOString().slice(0, 10)}, ${machine}\n`);
console.log(lines.join('\n'));
writeFileSync(
  new URL('results.json', import.meta.url),
  `${JSON.stringify({ date: new Date().toISOString(), machine, runs: RUNS, loads: summary, append, restore200, rates, bigReplies: big, deepChat: readdirSync(`${ROOT}node_modules/deep-chat/dist`).includes('deepChat.bundle.js') ? JSON.parse(readFileSync(`${ROOT}node_modules/deep-chat/package.json`, 'utf8')).version : null }, null, 2)}\n`,
);

// A real HTTP fake of the proxy (SPEC §2) for the browser tests, mounted as web-test-runner
// middleware. Each test picks a unique id and a script of steps in its proxy-url:
//   /fake/<id>/<step>,<step>,...   the nth request plays the nth step; the last one repeats
//   GET /fake/<id>/_requests       what that id received: [{method, headers, body}] (a chat body's `page`, sent with
//                                  page-context, is in its body as the widget sent it: this fake forwards nothing)
//   POST /fake/<id>/feedback       feedback, where feedback-url points by default (beside proxy-url): answered
//                                  202 {"success": true} like the proxy; feedback-s<status> answers that status
//   GET /fake/<id>/_feedback       the feedback that id received: [{method, headers, body}]
// Steps: ok | echo (reply = the message) | md | adopt (answers another session id) |
//   s<status>[r<seconds>] (error status, optional Retry-After) | daily (429 daily_limit, Retry-After
//   until midnight UTC, as the proxy's spend cap answers) | hang | slow<ms> | drop |
//   html (200 text/html) | html<status> | false (success:false) | shape (wrong JSON shape) | empty
// Hardening steps (test/nothing-lost.test.ts, test/rendering-safety.test.ts, test/csp.test.ts):
//   mdimg (markdown with an image and a link) | cut (Content-Length promised, half the JSON
//   sent, connection closed) | cutend (half the JSON, cleanly ended) | trickle (the reply in
//   small chunks over ~1 s) | redirect (307 to the same path on the other loopback host name,
//   id + "-elsewhere", which allows any origin: a widget that followed it would be answered) |
//   big<kind>: bigmb (a 1 MB reply) | biglines (10,000 lines) | bigtable (5,000 rows) |
//   bignest (a list nested 1,000 deep)
//   GET /fake-copy/<version>/<file>.js   dist/<file>.js (the script-tag file and the chunks it loads
//   beside it) as another version would be served from another path: each file's banner says
//   <version>, and each records its evaluation in globalThis.__thinnestCopies (test/hostile-pages.test.ts)
//   GET /script-tag-page?type=<classic|defer|module>[&slow=1][&locale=1][&hiddenfor=ms]   a page loading the script-tag
//   file so, from a /fake-copy/ folder of its own (test/script-tag.test.ts); with slow, its panel file
//   takes 1.5 s; with nomarkdown, its renderer's file answers 503; with locale, the German locale's
//   script follows it, from a folder named for the package

import { readFile } from 'node:fs/promises';

const requests = new Map();
const feedback = new Map();
const DIST = new URL('../dist/', import.meta.url);

const MARKDOWN_REPLY = [
  '## Plans',
  '',
  'Here is what we offer:',
  '',
  '- **Starter**: 1 agent',
  '- **Team**: 5 agents, see [pricing](https://example.com/pricing)',
  '',
  '| Plan | Price |',
  '| --- | --- |',
  '| Starter | $0 |',
  '| Team | $49 |',
  '',
  '```js',
  "console.log('hello');",
  '```',
].join('\n');

function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

function send(ctx, status, body, type = 'application/json', headers = {}) {
  ctx.status = status;
  ctx.type = type;
  for (const [name, value] of Object.entries(headers)) ctx.set(name, value);
  ctx.body = typeof body === 'string' ? body : JSON.stringify(body);
}

/** Markdown replies far larger than any agent should send (test/rendering-safety.test.ts). */
const BIG_REPLIES = {
  bigmb: () => {
    const text = Array.from({ length: 12_000 }, (_, i) => `Paragraph ${i}: **bold**, _emphasis_, a [link](https://example.com/${i}) and some words.`).join('\n\n');
    return text.padEnd(1_048_576, ' more').slice(0, 1_048_576);
  },
  biglines: () => Array.from({ length: 10_000 }, (_, i) => `Line ${i + 1}`).join('\n'),
  bigtable: () => ['| # | name | value |', '| --- | --- | --- |', ...Array.from({ length: 5_000 }, (_, i) => `| ${i + 1} | row **${i + 1}** | ${i * 7} |`)].join('\n'),
  bignest: () => Array.from({ length: 1_000 }, (_, i) => `${'  '.repeat(i)}- level ${i + 1}`).join('\n'),
};

const MARKDOWN_IMAGE_REPLY = 'See [the docs](https://example.com/docs) and this picture:\n\n![a chart](https://example.com/chart.png)';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function fakeProxy() {
  return async function fakeProxyMiddleware(ctx, next) {
    // A page that loads the script-tag file the way ?type= says (classic, defer or module) from a folder of
    // its own, as from a CDN: /script-tag-page?type=module. It notes the page's global names first.
    if (ctx.path === '/script-tag-page') {
      const type = ctx.query.type;
      const attributes = { classic: '', defer: ' defer', module: ' type="module"' }[type];
      if (attributes === undefined) return send(ctx, 400, 'type must be classic, defer or module');
      // &slow: the panel's file takes 1.5 s to come (test/script-tag.test.ts types before it has).
      // &locale: a locale's script follows, from a folder named for the package, as on unpkg (…/thinnest-chat@x/dist/locales/de.min.js).
      // &nomarkdown: the markdown renderer's file answers 503; &slowmarkdown: it takes 800 ms to come. &bubble: the widget is a bubble.
      // &slowimage=<ms>: the page has an image that takes that long, so the page is still loading meanwhile.
      // &hiddenfor=<ms>: the page (a heading of its own beside the widget) shows nothing (visibility: hidden) until that long after
      // load, so its first contentful paint comes then.
      // &far=<screens>: the widget is that many viewport heights down the page (a heading above), with as much page below it.
      const folder = `v1.0.0-cdn-${type}${ctx.query.slow ? '-slowpanel' : ''}${ctx.query.nomarkdown ? '-nomarkdown' : ''}${ctx.query.slowmarkdown ? '-slowmarkdown' : ''}${ctx.query.locale ? '-thinnest-chat' : ''}`;
      const locale = ctx.query.locale ? `<script src="/fake-copy/${folder}/locales/de.min.js"${attributes}></script>` : '';
      const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>script tag (${type})</title>
<script>window.__globalsBefore = Object.getOwnPropertyNames(window);</script>
<script src="/test/csp/record-errors.js"></script>
<script src="/fake-copy/${folder}/thinnest-chat.min.js"${attributes}></script>${locale}${ctx.query.hiddenfor ? `<script>addEventListener('load', () => setTimeout(() => (document.body.style.visibility = ''), ${Number(ctx.query.hiddenfor)}));</script>` : ''}</head>
<body${ctx.query.hiddenfor ? ' style="visibility: hidden"' : ''}><main>${ctx.query.hiddenfor ? '<h1>The page\'s own heading</h1>' : ''}${ctx.query.far ? `<h1 style="height: ${Number(ctx.query.far) * 100}vh; margin: 0">A long page</h1>` : ''}<thinnest-chat persist="none"${ctx.query.bubble ? ' mode="bubble"' : ''} welcome-message="**Hello** from a CDN"></thinnest-chat>${ctx.query.far ? '<p style="height: 300vh">More of the page</p>' : ''}${ctx.query.slowimage ? `<img src="/slow-image.svg?ms=${Number(ctx.query.slowimage)}" alt="">` : ''}</main></body></html>`;
      return send(ctx, 200, html, 'text/html');
    }
    // An image that takes ?ms= to come (600 × 300): a reply's picture that loads after the reply is shown.
    if (ctx.path === '/slow-image.svg') {
      await sleep(Number(ctx.query.ms ?? 500));
      return send(ctx, 200, '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="300"><rect width="600" height="300" fill="teal"/></svg>', 'image/svg+xml');
    }
    const copy = /^\/fake-copy\/(v[\w.-]+)\/((?:locales\/)?[\w.-]+\.js)$/.exec(ctx.path);
    if (copy) {
      const [, version, file] = copy;
      // A copy whose panel file cannot be had (a CDN hiccup between two files).
      if (version.includes('nopanel') && file === 'thinnest-chat.conversation.js') return send(ctx, 503, '/* unavailable */', 'text/javascript');
      if (version.includes('slowpanel') && file === 'thinnest-chat.conversation.js') await sleep(1500);
      if (version.includes('nomarkdown') && file === 'thinnest-chat.markdown.js') return send(ctx, 503, '/* unavailable */', 'text/javascript');
      if (version.includes('slowmarkdown') && file === 'thinnest-chat.markdown.js') await sleep(800);
      let source;
      try {
        source = (await readFile(new URL(file, DIST), 'utf8')).replace(/\n\/\/# sourceMappingURL=.*\s*$/, '');
      } catch {
        return send(ctx, 404, `/* dist/${file} is missing: run npm run build */`, 'text/javascript');
      }
      const banner = `/*! thinnest-chat ${version} (a second copy, served by test/fake-proxy.mjs) */`;
      const marker = `\n;(globalThis.__thinnestCopies = globalThis.__thinnestCopies || []).push(${JSON.stringify(`${version}/${file}`)});\n`;
      return send(ctx, 200, `${banner}\n${source}${marker}`, 'text/javascript');
    }
    const match = /^\/fake\/([\w-]+)\/([\w,-]+)$/.exec(ctx.path);
    if (!match) return next();
    const [, id, script] = match;
    if (script === '_requests' || script === '_feedback') {
      send(ctx, 200, (script === '_requests' ? requests : feedback).get(id) ?? []);
      return;
    }
    const elsewhere = id.endsWith('-elsewhere');
    // The redirect target welcomes any origin, so following a redirect would really deliver there.
    if (elsewhere) {
      ctx.set('Access-Control-Allow-Origin', '*');
      ctx.set('Access-Control-Allow-Headers', 'content-type, accept');
      ctx.set('Access-Control-Allow-Methods', 'POST');
    }
    if (ctx.method === 'OPTIONS') {
      ctx.status = 204;
      return;
    }
    const raw = await readBody(ctx.req);
    const rated = /^feedback(?:-s(\d{3}))?$/.exec(script);
    const log = (rated ? feedback : requests).get(id) ?? [];
    (rated ? feedback : requests).set(id, log);
    log.push({ method: ctx.method, headers: ctx.headers, body: raw });
    if (rated && rated[1]) return send(ctx, Number(rated[1]), { success: false, error: { code: 'fake', message: 'Fake failure.' } });
    if (rated) return send(ctx, 202, { success: true });
    const steps = script.split(',');
    const step = steps[Math.min(log.length - 1, steps.length - 1)];
    let parsed = {};
    try {
      parsed = JSON.parse(raw);
    } catch {
      // a broken body is answered like a real proxy would
      send(ctx, 400, { success: false, error: { code: 'bad_request', message: 'Body must be JSON.' } });
      return;
    }
    const sessionId = parsed.session_id ?? 'fake-session';
    const ok = (response, session = sessionId) =>
      send(ctx, 200, { success: true, response, session_id: session, metadata: { model: 'fake', latency_ms: 1 } });

    const status = /^s(\d{3})(?:r(\d+))?$/.exec(step);
    const slow = /^slow(\d+)$/.exec(step);
    const html = /^html(\d{3})?$/.exec(step);
    if (step === 'ok') return ok(`Reply ${log.length} to: ${parsed.message}`);
    if (step === 'echo') return ok(parsed.message);
    if (step === 'md') return ok(MARKDOWN_REPLY);
    if (step === 'adopt') return ok(`Adopted reply ${log.length}`, `server-${id}`);
    if (status) {
      const headers = status[2] ? { 'Retry-After': status[2] } : {};
      return send(ctx, Number(status[1]), { success: false, error: { code: 'fake', message: 'Fake failure.' } }, 'application/json', headers);
    }
    if (step === 'daily') {
      const untilMidnight = String(Math.ceil((86_400_000 - (Date.now() % 86_400_000)) / 1000));
      return send(ctx, 429, { success: false, error: { code: 'daily_limit', message: 'This chat has reached its limit for today.' } }, 'application/json', { 'Retry-After': untilMidnight });
    }
    if (step === 'hang') {
      ctx.status = 204; // never sent; keeps the runner from listing the aborted request as a 404
      await new Promise((resolve) => ctx.req.socket.once('close', resolve));
      ctx.respond = false;
      return;
    }
    if (slow) {
      await sleep(Number(slow[1]));
      return ok(`Slow reply to: ${parsed.message}`);
    }
    if (step === 'drop') {
      ctx.respond = false;
      ctx.req.socket.destroy();
      return;
    }
    if (html) return send(ctx, Number(html[1] ?? 200), '<!doctype html><title>Error</title><h1>Bad gateway</h1>', 'text/html');
    if (step === 'false') return send(ctx, 200, { success: false, error: { code: 'agent_error', message: 'no' } });
    if (step === 'shape') return send(ctx, 200, { success: true, reply: 'wrong field', session: 1 });
    if (step === 'empty') return send(ctx, 200, '', 'application/json');
    if (step === 'mdimg') return ok(MARKDOWN_IMAGE_REPLY);
    if (BIG_REPLIES[step]) return ok(BIG_REPLIES[step]());
    if (step === 'cut' || step === 'cutend') {
      const body = JSON.stringify({ success: true, response: `Cut reply to: ${parsed.message}`, session_id: sessionId, metadata: {} });
      const half = body.slice(0, Math.floor(body.length / 2));
      ctx.respond = false;
      if (step === 'cutend') {
        ctx.res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(half)) });
        ctx.res.end(half);
        return;
      }
      ctx.res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) });
      ctx.res.write(half);
      await sleep(50);
      ctx.req.socket.destroy();
      return;
    }
    if (step === 'trickle') {
      const body = JSON.stringify({ success: true, response: `Trickled reply to: ${parsed.message}`, session_id: sessionId, metadata: {} });
      ctx.respond = false;
      ctx.res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) });
      for (let i = 0; i < body.length; i += 8) {
        ctx.res.write(body.slice(i, i + 8));
        await sleep(1000 / Math.ceil(body.length / 8));
      }
      ctx.res.end();
      return;
    }
    if (step === 'redirect') {
      const [hostname, port] = ctx.host.split(':');
      const other = hostname === 'localhost' ? '127.0.0.1' : 'localhost';
      ctx.status = 307;
      ctx.set('Location', `http://${other}:${port}/fake/${id}-elsewhere/echo`);
      ctx.body = '';
      return;
    }
    send(ctx, 500, { success: false, error: { code: 'unknown_step', message: `Unknown fake step ${step}` } });
  };
}

// The landing page of `npm run bench:lighthouse` and `npm run bench:long-tasks`, one per variant, on a
// loopback server that answers as a CDN does: HTTPS with HTTP/2, every file brotli-compressed (quality 11,
// compressed once at start so no request waits for it), long-lived Cache-Control on the files, CORS open.
import { createHash, createPublicKey } from 'node:crypto';
import { createServer } from 'node:http';
import { createSecureServer } from 'node:http2';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { brotliCompressSync, constants } from 'node:zlib';
import { generate } from 'selfsigned';

const ROOT = new URL('../../', import.meta.url).pathname;
const WELCOME = "Hi! I'm Acme Desk's assistant. Ask me about **plans**, setup or anything on this page.";
/** Where the widget posts; nothing is sent during a load, so nothing answers it. */
const PROXY_URL = '/api/chat';

// A stored conversation of 200 messages in the shape the widget stores (src/stored-conversation.ts, the
// same messages as bench/widget.mjs restores), written by the page itself before the widget's script
// runs: Lighthouse clears storage before each load, and this is the visitor coming back.
const SEED_200 = `<script>
(() => {
  const para = 'Here is **markdown** with a [link](https://example.com), \`code\` and a list:\\n\\n- one\\n- two\\n\\n';
  const reply = para.repeat(4).slice(0, 300);
  const start = Date.now() - 200 * 60000;
  const messages = [];
  for (let i = 0; i < 100; i++) {
    messages.push({ id: 'u' + i, role: 'user', text: 'question ' + i, createdAt: start + 2 * i * 60000 });
    messages.push({ id: 'a' + i, role: 'assistant', text: reply, createdAt: start + (2 * i + 1) * 60000 });
  }
  const key = 'thinnest-chat:' + new URL('${PROXY_URL}', location.href).href;
  localStorage.setItem(key, JSON.stringify({ v: 1, sessionId: 'landing-visitor', messages }));
})();
</script>`;

// As the playground's embed code writes it: inline, with the rule that gives the widget its box before its script runs.
const RESERVE_BOX = "<style>thinnest-chat:not(:defined):not([mode='bubble']) { display: block; height: var(--thinnest-chat-height, 560px); }</style>";
const thinnest = (mode, welcome = WELCOME) =>
  `${mode === 'bubble' ? '' : RESERVE_BOX}<script src="/dist/thinnest-chat.min.js" defer></script>
    <thinnest-chat proxy-url="${PROXY_URL}" mode="${mode}" chat-title="Acme Desk" welcome-message="${welcome.replaceAll('"', '&quot;')}"></thinnest-chat>`;

/** Each variant is the same landing page with a different embed in its "Ask it yourself" section (`top`: under its hero instead). */
export const VARIANTS = [
  { id: 'none', label: 'no widget', embed: '' },
  // What any script tag costs in Lighthouse's simulation: a file of a few bytes that does nothing visible.
  { id: 'any-script', label: 'a script tag that does nothing (reference)', embed: '<script src="/bench/lighthouse/any-script.js" defer></script>' },
  { id: 'bubble', label: 'thinnest-chat, closed bubble', embed: thinnest('bubble'), widget: 'thinnest' },
  { id: 'bubble-200', label: 'thinnest-chat, closed bubble, 200 stored messages', embed: SEED_200 + thinnest('bubble'), widget: 'thinnest', stored: 200 },
  { id: 'inline', label: 'thinnest-chat, inline', embed: thinnest('inline'), widget: 'thinnest' },
  // The same welcome without markdown: shown as text, without fetching the markdown renderer.
  { id: 'inline-plain', label: 'thinnest-chat, inline, plain-text welcome', embed: thinnest('inline', WELCOME.replaceAll('**', '')), widget: 'thinnest' },
  { id: 'inline-200', label: 'thinnest-chat, inline, restoring 200 stored messages', embed: SEED_200 + thinnest('inline'), widget: 'thinnest', stored: 200 },
  // The page's widget is in its "Ask it yourself" section, 1.4 screens below the fold of Lighthouse's phone, where an inline
  // widget draws its conversation only once the visitor scrolls near. What one in the first screen costs, drawing it at once:
  // a reference, without goals of its own.
  { id: 'inline-top', label: 'thinnest-chat, inline, in the first screen (reference)', embed: thinnest('inline'), widget: 'thinnest', top: true, reference: true },
  {
    id: 'deepchat',
    label: 'Deep Chat 2.4.2, inline',
    embed: `<script type="module" src="/node_modules/deep-chat/dist/deepChat.bundle.js"></script>
    <deep-chat connect='{"url":"${PROXY_URL}"}' introMessage='${JSON.stringify({ text: WELCOME.replaceAll('**', '') }).replaceAll("'", '&#39;')}' style="display:block;width:100%;height:560px"></deep-chat>`,
    widget: 'deepchat',
  },
];

/** Script URLs that are the widget's own, to tell its work from the page's. */
export const isWidgetScript = (url) => /\/dist\/thinnest-chat[^/]*\.js$|\/deepChat\.bundle\.js$/.test(url ?? '');

const TYPES = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', svg: 'image/svg+xml' };

function entry(body, type, cacheControl) {
  const raw = Buffer.from(body);
  const br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } });
  return { raw, br, type, cacheControl };
}

/**
 * Serves the variants at /<id>/ and the files they load: over HTTPS with HTTP/2, as a CDN and a site's own
 * host serve them, or with `http1` over plain HTTP/1.1. Lighthouse's simulation models each: over HTTP/1.1 a
 * second file from the same host gets a new connection of its own, and pays its set-up in the estimate of
 * the page's LCP (about 150–200 ms for any script tag); over HTTP/2 it shares the page's one connection.
 * Resolves to { url, protocol, chromeArgs, close }: chromeArgs has the browser trust this server's own
 * certificate, made at start (and that certificate only).
 */
export async function startLandingServer({ http1 = false } = {}) {
  for (const file of ['dist/thinnest-chat.min.js', 'node_modules/deep-chat/dist/deepChat.bundle.js']) {
    if (!existsSync(ROOT + file)) throw new Error(`${file} is missing: run npm run build (and npm install) first.`);
  }
  const landing = readFileSync(new URL('landing.html', import.meta.url), 'utf8');
  // Versioned files as unpkg or jsdelivr serve them; the page itself revalidated on every visit.
  const FILE_CACHE = 'public, max-age=31536000, immutable';
  const files = new Map();
  for (const variant of VARIANTS) {
    files.set(`/${variant.id}/`, entry(landing.replace(variant.top ? '<!-- widget-top -->' : '<!-- widget -->', variant.embed), TYPES.html, 'public, max-age=0, must-revalidate'));
  }
  const assets = [
    'bench/lighthouse/hero.svg',
    'bench/lighthouse/any-script.js',
    'node_modules/deep-chat/dist/deepChat.bundle.js',
    ...readdirSync(`${ROOT}dist`)
      .filter((name) => /^thinnest-chat\..*js$/.test(name))
      .map((name) => `dist/${name}`),
  ];
  for (const path of assets) files.set(`/${path}`, entry(readFileSync(ROOT + path), TYPES[path.split('.').pop()], FILE_CACHE));

  const answer = (req, res) => {
    const found = req.method === 'GET' || req.method === 'HEAD' ? files.get(new URL(req.url, 'http://x').pathname) : undefined;
    if (!found) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    const brotli = /\bbr\b/.test(req.headers['accept-encoding'] ?? '');
    const body = brotli ? found.br : found.raw;
    res.writeHead(200, {
      'Content-Type': found.type,
      'Content-Length': body.length,
      'Cache-Control': found.cacheControl,
      'Access-Control-Allow-Origin': '*',
      Vary: 'Accept-Encoding',
      ...(brotli ? { 'Content-Encoding': 'br' } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  const certificate = http1 ? undefined : await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }], // type 7: an IP address
  });
  const server = certificate ? createSecureServer({ key: certificate.private, cert: certificate.cert, allowHTTP1: true }, answer) : createServer(answer);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `${certificate ? 'https' : 'http'}://127.0.0.1:${server.address().port}`;
  // Chromium trusts a certificate named by the SHA-256 of its public key (and only with a profile of its own, as the benches' are).
  const spki = certificate && createHash('sha256').update(createPublicKey(certificate.public).export({ type: 'spki', format: 'der' })).digest('base64');
  return {
    url,
    protocol: certificate ? 'HTTP/2 over TLS' : 'HTTP/1.1',
    chromeArgs: spki ? [`--ignore-certificate-errors-spki-list=${spki}`] : [],
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

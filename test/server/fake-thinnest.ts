// A real HTTP fake of the thinnest.ai API (SPEC §1) on 127.0.0.1: checks the Bearer key and the agent
// id, remembers sessions, and misbehaves on request so the proxy's error mapping can be driven end to end.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { ProxyOptions } from '../../server/proxy.js';

export const FAKE_KEY = 'agno_test_0123456789abcdefSECRET';
export const FAKE_AGENT = 'agent-42';
export const FAKE_ACCOUNT_TOKEN = 'acct_token_SECRET_987654321';
export const CREATED_KEY = 'agno_created_once_SECRET_555';

/** Key names that make the fake's key endpoint answer with a key no real one looks like (a hostile or broken API). */
export const MALFORMED_KEYS: Record<string, string> = {
  'fake:key-with-lines': 'agno_new\nTHINNEST_API_BASE=http://attacker.example\nALLOWED_ORIGINS=*',
  'fake:key-with-space': 'agno_new ALLOWED_ORIGINS=*',
  'fake:key-with-escape': 'agno_new\u001b]0;attacker.example\u0007',
  'fake:key-with-hash': 'agno_new#cut-here',
  'fake:key-not-agno': 'sk-live-attacker.example',
};

/**
 * Messages that make the fake misbehave. Anything else is a normal turn, answered as
 * `echo:<message>|turn:<n>|first:<first message of the session>` so tests can see the memory.
 */
export const FAKE_COMMANDS = {
  unauthorized: 'fake:401',
  notFound: 'fake:404',
  serverError: 'fake:500',
  unavailable: 'fake:503',
  rateLimited: 'fake:429',
  hang: 'fake:hang',
  hangAfterHeaders: 'fake:hang-body',
  drop: 'fake:drop',
  garbage: 'fake:garbage',
  wrongShape: 'fake:shape',
  huge: 'fake:huge',
  leakInError: 'fake:leak',
  leakInSuccess: 'fake:leak200',
  redirect: 'fake:redirect',
  /** Headers promise a body; half of it arrives, then the connection is destroyed (a socket error mid-response). */
  cut: 'fake:cut',
  /** 200 with `Content-Encoding: gzip`: 16 KiB that inflate to 16 MiB, unasked (the proxy sends no Accept-Encoding of its own). */
  gzipBomb: 'fake:gzip-bomb',
  /** The same answer, its Content-Length promising all of it, but only the first half is sent; the rest never comes. */
  gzipBombStalled: 'fake:gzip-bomb-stalled',
  /** Statuses HTTP can carry but fetch cannot represent (`HTTP/1.1 600`): the answer is not one the API documents. */
  status600: 'fake:600',
  status999: 'fake:999',
  /** A prefix: `fake:metadata=null` answers 200 with that JSON (`null`, `"text"`, `[1]`…) as `metadata`. */
  metadataOf: 'fake:metadata=',
} as const;

export interface ReceivedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
}

export interface FakeThinnest {
  /** Base URL, e.g. http://127.0.0.1:54321 — pass as apiBase. */
  url: string;
  received: ReceivedRequest[];
  /** Sessions the fake has seen, with their messages in order. */
  sessions: Map<string, string[]>;
  close(): Promise<void>;
}

export interface FakeOptions {
  /** Keep requests and sessions for assertions. Off for the benchmark, so its memory stays flat. Default true. */
  record?: boolean;
}

export async function startFakeThinnest(options: FakeOptions = {}): Promise<FakeThinnest> {
  const record = options.record ?? true;
  const received: ReceivedRequest[] = [];
  const sessions = new Map<string, string[]>();
  let nextSession = 1;

  const server: Server = createServer(async (req, res) => {
    const body = await readAll(req);
    const path = (req.url ?? '/').split('?')[0]!;
    if (record) received.push({ method: req.method ?? '', path, authorization: req.headers.authorization, contentType: req.headers['content-type'], body });

    const keyMatch = /^\/agents\/([^/]+)\/api-keys$/.exec(path);
    if (req.method === 'POST' && keyMatch) return answerCreateKey(req, res, decodeURIComponent(keyMatch[1]!), body);

    const chatMatch = /^\/v1\/agents\/([^/]+)\/chat$/.exec(path);
    if (req.method !== 'POST' || !chatMatch) return send(res, 404, { detail: 'no such route' });
    if (req.headers.authorization !== `Bearer ${FAKE_KEY}`) return send(res, 401, { detail: `bad key ${req.headers.authorization}` });
    if (decodeURIComponent(chatMatch[1]!) !== FAKE_AGENT) return send(res, 404, { detail: 'Agent not found' });

    let parsed: { message?: unknown; session_id?: unknown };
    try {
      parsed = JSON.parse(body);
    } catch {
      return send(res, 400, { detail: 'invalid json' });
    }
    if (typeof parsed.message !== 'string') return send(res, 400, { detail: 'message required' });
    const message = parsed.message;

    switch (message) {
      case FAKE_COMMANDS.unauthorized:
        return send(res, 401, { detail: 'Invalid API key' });
      case FAKE_COMMANDS.notFound:
        return send(res, 404, { detail: 'Agent not found' });
      case FAKE_COMMANDS.serverError:
        return send(res, 500, { detail: 'Agent execution error: Traceback (most recent call last)…' });
      case FAKE_COMMANDS.unavailable:
        return send(res, 503, { detail: 'Service unavailable' });
      case FAKE_COMMANDS.rateLimited:
        return send(res, 429, { detail: 'slow down' }, { 'Retry-After': '7' });
      case FAKE_COMMANDS.hang:
        return; // never answers; the proxy's timeout must
      case FAKE_COMMANDS.hangAfterHeaders:
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('{"success": true, "resp');
        return; // headers sent, body never finishes
      case FAKE_COMMANDS.drop:
        req.socket.destroy();
        return;
      case FAKE_COMMANDS.cut: {
        const whole = JSON.stringify({ success: true, response: 'never whole', session_id: 's', metadata: {} });
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(whole.length) });
        res.write(whole.slice(0, whole.length / 2));
        setTimeout(() => req.socket.destroy(), 20);
        return;
      }
      case FAKE_COMMANDS.gzipBomb:
      case FAKE_COMMANDS.gzipBombStalled: {
        const bomb = gzipBomb();
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', 'Content-Length': String(bomb.byteLength) });
        if (message === FAKE_COMMANDS.gzipBomb) res.end(bomb);
        else res.write(bomb.subarray(0, bomb.byteLength / 2));
        return;
      }
      case FAKE_COMMANDS.status600:
      case FAKE_COMMANDS.status999:
        return send(res, Number(message.slice('fake:'.length)), { success: true, response: 'odd', session_id: 's', metadata: {} });
      case FAKE_COMMANDS.garbage:
        res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html><body>502 Bad Gateway</body></html>');
        return;
      case FAKE_COMMANDS.wrongShape:
        return send(res, 200, { ok: true, answer: 'hello', key: FAKE_KEY });
      case FAKE_COMMANDS.huge:
        return send(res, 200, { success: true, response: 'x'.repeat(2_000_000), session_id: 's', metadata: {} });
      case FAKE_COMMANDS.leakInError:
        return send(res, 500, { detail: `Error with key ${FAKE_KEY}` }, { 'X-Debug-Key': FAKE_KEY });
      case FAKE_COMMANDS.leakInSuccess:
        return send(res, 200, { success: true, response: 'ok', session_id: 'leaky', metadata: { model: 'm', latency_ms: 1 }, debug: { auth: `Bearer ${FAKE_KEY}` } }, { 'X-Debug-Key': FAKE_KEY });
      case FAKE_COMMANDS.redirect:
        res.writeHead(307, { Location: 'http://127.0.0.1:9/steal' }).end();
        return;
    }

    if (message.startsWith(FAKE_COMMANDS.metadataOf)) {
      return send(res, 200, { success: true, response: 'odd metadata', session_id: 'odd-metadata', metadata: JSON.parse(message.slice(FAKE_COMMANDS.metadataOf.length)) });
    }

    const sessionId = typeof parsed.session_id === 'string' ? parsed.session_id : `sess-${nextSession++}`;
    const turns = sessions.get(sessionId) ?? [];
    turns.push(message);
    if (record) sessions.set(sessionId, turns);
    send(res, 200, {
      success: true,
      response: `echo:${message}|turn:${turns.length}|first:${turns[0]}`,
      session_id: sessionId,
      metadata: { model: 'fake-model', latency_ms: 3 },
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    sessions,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function answerCreateKey(req: IncomingMessage, res: ServerResponse, agentId: string, body: string): void {
  if (req.headers.authorization !== `Bearer ${FAKE_ACCOUNT_TOKEN}`) return send(res, 401, { detail: 'bad token' });
  if (agentId !== FAKE_AGENT) return send(res, 404, { detail: 'Agent not found' });
  let name: unknown;
  try {
    name = JSON.parse(body).name;
  } catch {
    return send(res, 400, { detail: 'invalid json' });
  }
  if (typeof name !== 'string' || !name) return send(res, 400, { detail: 'name required' });
  send(res, 201, { id: 'key_1', name, key: Object.hasOwn(MALFORMED_KEYS, name) ? MALFORMED_KEYS[name] : CREATED_KEY, created_at: '2026-01-01T00:00:00Z' });
}

let bombBytes: Buffer | undefined;
/** Compressed once, on first use: 16 MiB of spaces (valid JSON whitespace) gzip to about 16 KiB. */
function gzipBomb(): Buffer {
  return (bombBytes ??= gzipSync(Buffer.alloc(16 * 1_048_576, ' '), { level: 9 }));
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
}

function readAll(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

/** Proxy options aimed at `fake`, with a per-minute limit no test reaches unless it sets its own. */
export function optionsFor(fake: FakeThinnest, overrides: Partial<ProxyOptions> = {}): ProxyOptions {
  return { apiKey: FAKE_KEY, agentId: FAKE_AGENT, apiBase: fake.url, rateLimitPerMinute: 10_000, ...overrides };
}

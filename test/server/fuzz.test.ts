// 10,000+ random requests (methods, paths, headers, bodies) against createProxy with a randomly
// misbehaving upstream, plus raw garbage over a real socket against the CLI server. Properties:
// no crash, only the statuses of SPEC §2, no unmapped 5xx, the documented shapes, and no key anywhere.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { main } from '../../server/cli.js';
import type { RunningServer } from '../../server/node-server.js';
import { createProxy, type RateLimiter } from '../../server/proxy.js';
import { ERROR_CODES, WIRE_STATUSES, assertNoKey, logCollector } from './helpers.js';

const KEY = 'agno_fuzz_KEY_c0ffee1234567890';
const SEED = Number(process.env.FUZZ_SEED ?? 20_260_101);
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);

/** mulberry32: a small seeded PRNG, so a failure can be replayed with FUZZ_SEED. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = prng(SEED);
const int = (max: number) => Math.floor(random() * max);
const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
const chance = (p: number) => random() < p;

const ORIGIN = 'http://127.0.0.1:8787';
const ALLOWED = 'https://shop.example';

function randomString(maxLength: number): string {
  const alphabets = ['abc xyz', '😀🎉👩‍👩‍👧', 'سلام', '\u0000\u0001\u001f\u007f', '\ud800\udfff\ud800', '"\\/{}[],:', '<script>alert(1)</script>', `${KEY}`.slice(0, 4)];
  const alphabet = [...pick(alphabets)];
  return Array.from({ length: int(maxLength + 1) }, () => pick(alphabet)).join('');
}

function randomJsonValue(depth = 0): unknown {
  switch (depth > 3 ? int(4) : int(7)) {
    case 0: return randomString(20);
    case 1: return random() * 1e6 - 5e5;
    case 2: return pick([true, false, null]);
    case 3: return pick([Number.MAX_SAFE_INTEGER, -0, 1e308]);
    case 4: return Array.from({ length: int(5) }, () => randomJsonValue(depth + 1));
    default: return Object.fromEntries(Array.from({ length: int(5) }, () => [pick(['message', 'session_id', '__proto__', 'constructor', randomString(8)]), randomJsonValue(depth + 1)]));
  }
}

const SESSION_IDS = () => pick<unknown>([undefined, null, crypto.randomUUID(), 'a'.repeat(128), 'a'.repeat(129), '', ' ', 'x y', '../etc', 'ok_id-1.2:3', 42, {}, [], randomString(10)]);
const MESSAGES = () => pick<unknown>([randomString(50), 'hello', '', '   ', 'x'.repeat(3999 + int(3)), '😀'.repeat(4000 + int(2) - 1), 'y'.repeat(16_400), 0, null, [], { text: 'hi' }, KEY.slice(0, 10)]);

function randomBody(): BodyInit | undefined {
  switch (int(10)) {
    case 0: return undefined;
    case 1: return new Uint8Array(Array.from({ length: int(300) }, () => int(256)));
    case 2: return JSON.stringify(randomJsonValue());
    case 3: return JSON.stringify({ message: 'hello' }).slice(0, int(18));
    case 4: return JSON.stringify({ message: MESSAGES(), session_id: SESSION_IDS(), extra: randomJsonValue() });
    case 5: {
      const total = pick([100, 16_000, 16_385, 40_000]);
      let sent = 0;
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= total) return controller.close();
          const size = Math.min(1 + int(5000), total - sent);
          controller.enqueue(new Uint8Array(size).fill(0x61));
          sent += size;
        },
      });
    }
    default: {
      const body: Record<string, unknown> = { message: chance(0.8) ? `msg ${randomString(30)} ${int(1000)}` : MESSAGES() };
      const sessionId = SESSION_IDS();
      if (sessionId !== undefined) body.session_id = sessionId;
      return JSON.stringify(body);
    }
  }
}

function randomRequest(): Request {
  const method = pick(['POST', 'POST', 'POST', 'POST', 'POST', 'POST', 'GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'PROPFIND', 'FOO']);
  const path = pick(['/api/chat', '/api/chat', '/api/chat', '/healthz', '/api/chat/healthz', '/', '/%00', '/api/chat?x=<script>', `/${encodeURIComponent(randomString(10).replace(/[\ud800-\udfff]/g, ''))}`]);
  const headers = new Headers();
  const contentType = pick([undefined, 'application/json', 'application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'text/plain', 'application/json-patch+json', 'multipart/form-data; boundary=x', '']);
  if (contentType !== undefined) headers.set('Content-Type', contentType);
  const origin = pick([undefined, undefined, ORIGIN, ALLOWED, 'https://evil.example', 'null', 'http://127.0.0.1:8788', randomString(10).replace(/[^\x20-\x7e]/g, '')]);
  if (origin !== undefined) headers.set('Origin', origin);
  if (chance(0.2)) headers.set('X-Forwarded-For', `${int(256)}.${int(256)}.0.1, ${randomString(5).replace(/[^\x20-\x7e]/g, '')}`);
  if (chance(0.1)) headers.set('Access-Control-Request-Method', pick(['POST', 'GET', 'DELETE']));
  if (chance(0.1)) headers.set('Access-Control-Request-Headers', pick(['content-type', 'x-csrf-token, content-type', '*']));
  if (chance(0.1)) headers.set('Content-Length', String(pick([0, 5, 16_385, 99_999_999, -1])));
  if (chance(0.1)) headers.set(`X-${int(100)}`, randomString(20).replace(/[^\x20-\x7e]/g, ''));
  const canHaveBody = method !== 'GET' && method !== 'HEAD';
  const body = canHaveBody ? randomBody() : undefined;
  return new Request(`${ORIGIN}${path}`, { method, headers, body, duplex: 'half' } as RequestInit);
}

/** The upstream misbehaves at random; it also checks that only message and session_id arrive. */
function randomUpstream(record: { called: number; forwardedWrongFields: string[]; lastWas?: string }) {
  return async (request: Request): Promise<Response> => {
    record.called++;
    const body = (await request.json()) as Record<string, unknown>;
    const keys = Object.keys(body).filter((key) => key !== 'message' && key !== 'session_id');
    if (keys.length || typeof body.message !== 'string') record.forwardedWrongFields.push(JSON.stringify(body).slice(0, 80));
    const behaviour = pick(['ok', 'ok', 'ok', 'ok', 'ok', '401', '404', '500', '503', '429', 'garbage', 'shape', 'throw', 'hang', 'leak']);
    record.lastWas = behaviour;
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) =>
      new Response(JSON.stringify(value), { status, headers: { 'Content-Type': 'application/json', ...headers } });
    switch (behaviour) {
      case 'ok': return json(200, { success: true, response: `echo ${body.message}`, session_id: body.session_id ?? 'new', metadata: { model: 'm', latency_ms: 1 } });
      case '401': return json(401, { detail: `bad key ${KEY}` });
      case '404': return json(404, { detail: 'no agent' });
      case '500': return json(500, { detail: `boom ${KEY}` }, { 'X-Key': KEY });
      case '503': return json(503, {});
      case '429': return json(429, {}, { 'Retry-After': pick(['5', 'soon', '-3', '99999999', 'Wed, 21 Oct 2015 07:28:00 GMT']) });
      case 'garbage': return new Response(new Uint8Array([0xff, 0x00, 0x7b]), { status: 200 });
      case 'shape': return json(200, pick([{ success: true }, { success: 'true', response: 'x', session_id: 's' }, [], null, { success: true, response: 1, session_id: 's' }]));
      case 'throw': throw new Error(`socket hang up, Authorization: Bearer ${KEY}`);
      case 'hang': return new Promise<Response>(() => {});
      default: return json(200, { success: true, response: 'fine', session_id: 's', metadata: { model: KEY }, key: KEY });
    }
  };
}

describe('fuzzing the proxy', () => {
  it(`survives ${RUNS} random requests (seed ${SEED}) with only documented answers and no key`, async () => {
    const record = { called: 0, forwardedWrongFields: [] as string[] } as { called: number; forwardedWrongFields: string[]; lastWas?: string };
    const { log, entries, text } = logCollector();
    const flakyLimiter: RateLimiter = { consume: async () => (chance(0.03) ? { allowed: false, retryAfterSeconds: 1 + int(60) } : { allowed: true }) };
    const proxy = createProxy({ apiKey: KEY, agentId: 'fuzz-agent', upstream: randomUpstream(record), upstreamTimeoutMs: 15, allowedOrigins: ALLOWED, rateLimiter: flakyLimiter, log });
    const seen = new Map<number, number>();

    for (let run = 0; run < RUNS; run++) {
      const request = randomRequest();
      const calledBefore = record.called;
      const response = await proxy(request, { ip: `10.0.${int(4)}.${int(256)}` });
      const body = await response.text();
      const context = `run ${run} (seed ${SEED}): ${request.method} ${request.url} → ${response.status} ${body.slice(0, 200)}`;
      seen.set(response.status, (seen.get(response.status) ?? 0) + 1);

      assert.ok(WIRE_STATUSES.has(response.status), `undocumented status, ${context}`);
      assertNoKey(context, body, KEY);
      assertNoKey(context, JSON.stringify([...response.headers]), KEY);
      if (response.status >= 500) {
        assert.ok(record.called > calledBefore, `a 5xx without an upstream failure, ${context}`);
      }
      if (request.method === 'HEAD' || response.status === 204) continue;
      const json = JSON.parse(body);
      if (response.status === 200) {
        if (json.status === 'ok') continue; // healthz
        assert.equal(json.success, true, context);
        assert.deepEqual(Object.keys(json).sort(), ['metadata', 'response', 'session_id', 'success'], context);
        assert.equal(typeof json.response, 'string');
        assert.equal(typeof json.session_id, 'string');
      } else {
        assert.equal(json.success, false, context);
        assert.ok(ERROR_CODES.has(json.error?.code), `unknown code, ${context}`);
        assert.ok(typeof json.error.message === 'string' && json.error.message.length > 0, context);
        if (response.status === 403) assert.equal(response.headers.get('access-control-allow-origin'), null, context);
        if (response.status === 429) assert.match(response.headers.get('retry-after') ?? '', /^[1-9]\d*$/, context);
      }
    }

    assert.deepEqual(record.forwardedWrongFields, [], 'only message and session_id are forwarded');
    assertNoKey('log', text(), KEY);
    assert.equal(entries.length, RUNS, 'one log entry per request');
    for (const status of [200, 400, 401, 403, 404, 405, 413, 429, 500, 502, 504]) {
      assert.ok((seen.get(status) ?? 0) > 0, `the fuzz never produced ${status}: ${JSON.stringify([...seen])}`);
    }
  });
});

describe('fuzzing the CLI server over raw sockets', () => {
  let server: RunningServer;
  before(async () => {
    const result = await main([], { THINNEST_API_KEY: KEY, THINNEST_AGENT_ID: 'fuzz-agent', THINNEST_API_BASE: 'http://127.0.0.1:9', PORT: '0', UPSTREAM_TIMEOUT_MS: '200' }, { cwd: fileURLToPath(new URL('.', import.meta.url)), out: () => {}, err: () => {} });
    assert.equal(result.exitCode, undefined);
    server = (result as { server: RunningServer }).server;
  });
  after(() => server.close());

  function rawExchange(bytes: Uint8Array | string): Promise<string> {
    const { port } = new URL(server.url);
    return new Promise((resolve) => {
      const socket = connect(Number(port), '127.0.0.1');
      let received = '';
      socket.setTimeout(2000, () => socket.destroy());
      socket.on('data', (chunk) => (received += chunk.toString('latin1')));
      socket.on('error', () => {});
      socket.on('close', () => resolve(received));
      socket.end(bytes);
    });
  }

  it('stays up and keeps the key to itself through 500 malformed HTTP exchanges', async () => {
    const requests = Array.from({ length: 500 }, (_, i): Uint8Array | string => {
      switch (i % 5) {
        case 0: return new Uint8Array(Array.from({ length: 1 + int(200) }, () => int(256)));
        case 1: return `POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${int(50)}\r\n\r\n${randomString(60)}`;
        case 2: return `POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${(int(0x5000)).toString(16)}\r\n${'a'.repeat(int(3000))}\r\n`;
        case 3: return `${pick(['GET', 'POST', 'OPTIONS', 'BREW'])} ${pick(['/healthz', '/api/chat', '/../../etc/passwd', '*'])} HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: ${pick(['https://evil.example', 'null'])}\r\nConnection: close\r\n\r\n`;
        default: return `POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: 20\r\n\r\n{"message":"hi"}    `;
      }
    });
    for (let start = 0; start < requests.length; start += 25) {
      const answers = await Promise.all(requests.slice(start, start + 25).map(rawExchange));
      for (const text of answers) assertNoKey('raw answer', text, KEY);
    }
    const health = await fetch(`${server.url}/healthz`);
    assert.equal(health.status, 200);
  });
});

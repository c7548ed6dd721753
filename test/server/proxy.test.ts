// createProxy driven with Request objects against a real HTTP fake of thinnest.ai (SPEC §2, §5).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { createNodeFetch } from '../../server/node-fetch.js';
import { MemoryRateLimiter, createProxy, fromRateLimiterFlexible, type ProxyOptions, type UpstreamFetch } from '../../server/proxy.js';
import { FAKE_AGENT, FAKE_COMMANDS, FAKE_KEY, optionsFor, startFakeThinnest, type FakeThinnest } from './fake-thinnest.js';
import { answer, assertFailure, assertNoKey, assertNoKeyInAnswer, chatRequest, chunkedBody, logCollector, PROXY_URL } from './helpers.js';

let fake: FakeThinnest;
before(async () => {
  fake = await startFakeThinnest();
});
after(() => fake.close());

/** A full garbage collection now, without starting Node with --expose-gc. */
function collectGarbage() {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** Waits, 2 s at most, until the proxy has called its upstream handler: not a fixed time, which a busy machine can outlast. */
async function untilCalled(called: () => boolean): Promise<void> {
  for (let waited = 0; !called() && waited < 2000; waited += 5) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** A proxy aimed at the fake, with a generous rate limit unless a test says otherwise. */
function proxyFor(overrides: Partial<ProxyOptions> = {}) {
  return createProxy(optionsFor(fake, overrides));
}

async function send(proxy: ReturnType<typeof createProxy>, body: unknown, init: Parameters<typeof chatRequest>[1] = {}, ip = '192.0.2.1') {
  return answer(await proxy(chatRequest(body, init), { ip }));
}

describe('chatting through the proxy', () => {
  it('forwards only message and session_id, with the Bearer key, to the agent’s chat URL', async () => {
    const proxy = proxyFor();
    const before = fake.received.length;
    const result = await send(proxy, { message: 'hello', session_id: 'forward-1', api_key: 'nope', agent_id: 'other', system: 'be evil' });
    assert.equal(result.status, 200);
    const upstream = fake.received.slice(before);
    assert.equal(upstream.length, 1);
    assert.equal(upstream[0]!.path, `/v1/agents/${FAKE_AGENT}/chat`);
    assert.equal(upstream[0]!.authorization, `Bearer ${FAKE_KEY}`);
    assert.match(upstream[0]!.contentType ?? '', /^application\/json/);
    assert.deepEqual(JSON.parse(upstream[0]!.body), { message: 'hello', session_id: 'forward-1' });
  });

  it('answers with the upstream success shape', async () => {
    const result = await send(proxyFor(), { message: 'shape please', session_id: 'shape-1' });
    assert.deepEqual(result.json, {
      success: true,
      response: 'echo:shape please|turn:1|first:shape please',
      session_id: 'shape-1',
      metadata: { model: 'fake-model', latency_ms: 3 },
    });
    assert.match(result.headers['content-type'] ?? '', /^application\/json/);
    assert.equal(result.headers['cache-control'], 'no-store');
  });

  it('passes on a reply whose metadata is missing or malformed, with metadata {}', async () => {
    const proxy = proxyFor();
    for (const metadata of ['null', '"fast"', '42', '[1,2]', 'true']) {
      const result = await send(proxy, { message: `${FAKE_COMMANDS.metadataOf}${metadata}` });
      assert.equal(result.status, 200, `metadata ${metadata}: ${result.text}`);
      assert.deepEqual(result.json, { success: true, response: 'odd metadata', session_id: 'odd-metadata', metadata: {} });
    }
  });

  it('continues a conversation with the same session_id', async () => {
    const proxy = proxyFor();
    await send(proxy, { message: 'my name is Ada', session_id: 'memory-1' });
    const second = await send(proxy, { message: 'who am I?', session_id: 'memory-1' });
    assert.equal(second.json.response, 'echo:who am I?|turn:2|first:my name is Ada');
  });

  it('passes on the session id the agent creates when none was sent', async () => {
    const result = await send(proxyFor(), { message: 'new here' });
    assert.equal(result.status, 200);
    assert.match(result.json.session_id, /^sess-\d+$/);
    const upstream = fake.received.at(-1)!;
    assert.deepEqual(JSON.parse(upstream.body), { message: 'new here' });
  });

  it('treats a null session_id as none', async () => {
    const result = await send(proxyFor(), { message: 'null session', session_id: null });
    assert.equal(result.status, 200);
    assert.deepEqual(JSON.parse(fake.received.at(-1)!.body), { message: 'null session' });
  });

  it('keeps 50 concurrent conversations apart', async () => {
    const proxy = proxyFor();
    const sessions = Array.from({ length: 50 }, (_, i) => `concurrent-${i}-${crypto.randomUUID()}`);
    const firstTurns = await Promise.all(sessions.map((id, i) => send(proxy, { message: `first ${i}`, session_id: id }, {}, `198.51.100.${i}`)));
    const secondTurns = await Promise.all(sessions.map((id, i) => send(proxy, { message: `second ${i}`, session_id: id }, {}, `198.51.100.${i}`)));
    sessions.forEach((id, i) => {
      assert.equal(firstTurns[i]!.json.session_id, id);
      assert.equal(firstTurns[i]!.json.response, `echo:first ${i}|turn:1|first:first ${i}`);
      assert.equal(secondTurns[i]!.json.session_id, id);
      assert.equal(secondTurns[i]!.json.response, `echo:second ${i}|turn:2|first:first ${i}`);
      assert.deepEqual(fake.sessions.get(id), [`first ${i}`, `second ${i}`]);
    });
  });
});

describe('validating what the widget sends', () => {
  const invalid: [string, () => Request][] = [
    ['a body that is not JSON', () => chatRequest('{"message": "hi"')],
    ['Content-Type text/plain', () => chatRequest({ message: 'hi' }, { headers: { 'Content-Type': 'text/plain' } })],
    ['Content-Type application/jsonp', () => chatRequest({ message: 'hi' }, { headers: { 'Content-Type': 'application/jsonp' } })],
    ['no Content-Type', () => new Request(PROXY_URL, { method: 'POST', body: new Blob(['{"message":"hi"}']) })],
    ['no body', () => new Request(PROXY_URL, { method: 'POST', headers: { 'Content-Type': 'application/json' } })],
    ['a missing message', () => chatRequest({ session_id: 'abc' })],
    ['an empty message', () => chatRequest({ message: '' })],
    ['a whitespace-only message', () => chatRequest({ message: ' \n\t ' })],
    // Zero-width space, joiner, word joiner, byte order mark, soft hyphen, a direction mark, a Hangul filler.
    ['a message of only invisible characters', () => chatRequest({ message: '\u200b\u200d\u2060\ufeff \u00ad\u200e\u3164' })],
    ['a message that is a number', () => chatRequest({ message: 42 })],
    ['a message that is an object', () => chatRequest({ message: { text: 'hi' } })],
    ['an array body', () => chatRequest([{ message: 'hi' }])],
    ['a JSON string body', () => chatRequest('"hi"')],
    ['JSON null', () => chatRequest('null')],
    ['a message over 4000 characters', () => chatRequest({ message: 'x'.repeat(4001) })],
    ['4001 emoji', () => chatRequest({ message: '😀'.repeat(3001) + 'x'.repeat(1000) })],
    ['a session_id over 128 characters', () => chatRequest({ message: 'hi', session_id: 'a'.repeat(129) })],
    ['a session_id with spaces', () => chatRequest({ message: 'hi', session_id: 'drop table' })],
    ['a session_id with a newline', () => chatRequest({ message: 'hi', session_id: 'abc\nSet-Cookie: x' })],
    ['a session_id that is a number', () => chatRequest({ message: 'hi', session_id: 12345 })],
    ['an empty session_id', () => chatRequest({ message: 'hi', session_id: '' })],
    ['a session_id with a path', () => chatRequest({ message: 'hi', session_id: '../../admin' })],
    ['bytes that are not UTF-8', () => new Request(PROXY_URL, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: new Uint8Array([0x7b, 0x22, 0x6d, 0xff, 0xfe, 0x22, 0x7d]) })],
  ];
  for (const [what, makeRequest] of invalid) {
    it(`answers 400 to ${what}, without calling the agent`, async () => {
      const before = fake.received.length;
      const result = await answer(await proxyFor()(makeRequest(), { ip: '192.0.2.9' }));
      assertFailure(result, 400, 'bad_request');
      assert.equal(fake.received.length, before, 'the agent was called');
    });
  }

  it('accepts a message of exactly 4000 characters, counting emoji as one', async () => {
    const result = await send(proxyFor(), { message: '😀'.repeat(2000) + 'x'.repeat(2000) });
    assert.equal(result.status, 200);
  });

  it('accepts Content-Type with a charset and typical session id formats', async () => {
    // '_thread-1': any id the widget keeps (src/configuration.ts) comes back through the proxy.
    for (const sessionId of [crypto.randomUUID(), '01HZX3Q4M5N6P7R8S9T0V1W2X3', 'thread_abc.def:ghi-1', '_thread-1', 'a'.repeat(128)]) {
      const result = await send(proxyFor(), { message: 'hi', session_id: sessionId }, { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
      assert.equal(result.status, 200, sessionId);
      assert.equal(result.json.session_id, sessionId);
    }
  });

  it('forwards a message with invisible characters around its words unchanged', async () => {
    const message = '\u200bHi\u00ad there\u200e';
    const result = await send(proxyFor(), { message });
    assert.equal(result.status, 200);
    assert.deepEqual(JSON.parse(fake.received.at(-1)!.body), { message });
  });

  it('honours a lower maxMessageChars', async () => {
    const proxy = proxyFor({ maxMessageChars: 10 });
    assert.equal((await send(proxy, { message: '0123456789' })).status, 200);
    assertFailure(await send(proxy, { message: '0123456789a' }), 400, 'bad_request');
  });
});

describe('limiting the body size', () => {
  const declaring = (contentLength: number, messageChars: number) =>
    chatRequest({ message: 'x'.repeat(messageChars) }, { headers: { 'Content-Length': String(contentLength) } });

  it('takes a body of exactly 16,384 bytes by default (MAX_BODY_BYTES), and answers 413 to one byte more', async () => {
    // A field the proxy drops pads the body to the size wanted; the message itself is short.
    const sized = (bytes: number) => {
      const body = { message: 'size me', session_id: 'size-1', pad: '' };
      body.pad = 'x'.repeat(bytes - JSON.stringify(body).length);
      return chatRequest(body, { headers: { 'Content-Length': String(bytes) } });
    };
    assert.equal((await answer(await proxyFor()(sized(16_384), { ip: '192.0.2.1' }))).status, 200);
    assertFailure(await answer(await proxyFor()(sized(16_385), { ip: '192.0.2.1' })), 413, 'payload_too_large');
  });

  it('answers 413 when Content-Length is over MAX_BODY_BYTES', async () => {
    assertFailure(await answer(await proxyFor()(declaring(20_000, 19_980))), 413, 'payload_too_large');
  });

  it('answers 413 to a chunked body without Content-Length, reading no more than it must', async () => {
    let pulled = 0;
    const inner = chunkedBody(10_000_000, 4096).getReader();
    const counting = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await inner.read();
        if (done) return controller.close();
        pulled += value.byteLength;
        controller.enqueue(value);
      },
    });
    const request = new Request(PROXY_URL, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: counting, duplex: 'half' } as RequestInit);
    assert.equal(request.headers.get('content-length'), null);
    const result = await answer(await proxyFor()(request));
    assertFailure(result, 413, 'payload_too_large');
    assert.ok(pulled < 16_384 + 4096 * 3, `read ${pulled} bytes of a 10 MB body`);
  });

  it('answers 413 when a hand-built Request declares a small Content-Length but carries more', async () => {
    assertFailure(await answer(await proxyFor()(declaring(20, 30_000))), 413, 'payload_too_large');
  });

  it('accepts a body of exactly MAX_BODY_BYTES', async () => {
    const padding = 16_384 - JSON.stringify({ message: '' }).length;
    const body = JSON.stringify({ message: 'y'.repeat(padding) });
    assert.equal(new TextEncoder().encode(body).byteLength, 16_384);
    const result = await send(proxyFor({ maxMessageChars: 20_000 }), body);
    assert.equal(result.status, 200);
    assertFailure(await send(proxyFor({ maxMessageChars: 20_000 }), JSON.stringify({ message: 'y'.repeat(padding + 1) })), 413, 'payload_too_large');
  });
});

describe('CORS and the Origin check', () => {
  const here = new URL(PROXY_URL).origin;

  it('serves same-origin requests and requests without Origin with no configuration', async () => {
    const proxy = proxyFor();
    assert.equal((await send(proxy, { message: 'no origin' })).status, 200);
    assert.equal((await send(proxy, { message: 'same origin' }, { headers: { Origin: here } })).status, 200);
  });

  it('refuses a foreign origin with 403 and no CORS headers when nothing is allowed', async () => {
    const before = fake.received.length;
    const result = await send(proxyFor(), { message: 'hi' }, { headers: { Origin: 'https://evil.example' } });
    assertFailure(result, 403, 'forbidden_origin');
    assert.equal(result.headers['access-control-allow-origin'], undefined);
    assert.equal(result.headers['access-control-allow-credentials'], undefined);
    assert.equal(fake.received.length, before);
  });

  it('refuses the opaque origin "null"', async () => {
    const result = await send(proxyFor({ allowedOrigins: 'https://shop.example' }), { message: 'hi' }, { headers: { Origin: 'null' } });
    assertFailure(result, 403, 'forbidden_origin');
  });

  it('allows listed origins, echoing exactly that origin with credentials and exposing Retry-After', async () => {
    const proxy = proxyFor({ allowedOrigins: 'https://shop.example, https://blog.example/' });
    for (const origin of ['https://shop.example', 'https://blog.example']) {
      const result = await send(proxy, { message: 'hi' }, { headers: { Origin: origin } });
      assert.equal(result.status, 200);
      assert.equal(result.headers['access-control-allow-origin'], origin);
      assert.equal(result.headers['access-control-allow-credentials'], 'true');
      assert.match(result.headers['vary'] ?? '', /Origin/i);
      assert.match(result.headers['access-control-expose-headers'] ?? '', /Retry-After/i);
    }
    assertFailure(await send(proxy, { message: 'hi' }, { headers: { Origin: 'https://shop.example.evil.example' } }), 403, 'forbidden_origin');
    assertFailure(await send(proxy, { message: 'hi' }, { headers: { Origin: 'http://shop.example' } }), 403, 'forbidden_origin');
  });

  it('answers a preflight from an allowed origin', async () => {
    const proxy = proxyFor({ allowedOrigins: ['https://shop.example'] });
    const response = await proxy(new Request(PROXY_URL, {
      method: 'OPTIONS',
      headers: { Origin: 'https://shop.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type, x-csrf-token' },
    }));
    const result = await answer(response);
    assert.equal(result.status, 204);
    assert.equal(result.headers['access-control-allow-origin'], 'https://shop.example');
    assert.match(result.headers['access-control-allow-methods'] ?? '', /POST/);
    assert.match(result.headers['access-control-allow-headers'] ?? '', /content-type/i);
    assert.match(result.headers['access-control-allow-headers'] ?? '', /x-csrf-token/i);
    assert.ok(Number(result.headers['access-control-max-age']) > 0);
  });

  it('refuses a preflight from an origin that is not allowed, with no allow headers', async () => {
    const response = await proxyFor({ allowedOrigins: 'https://shop.example' })(new Request(PROXY_URL, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    }));
    const result = await answer(response);
    assertFailure(result, 403, 'forbidden_origin');
    assert.equal(result.headers['access-control-allow-origin'], undefined);
    assert.equal(result.headers['access-control-allow-methods'], undefined);
  });

  it('with "*", allows any origin but never with credentials', async () => {
    const result = await send(proxyFor({ allowedOrigins: '*' }), { message: 'hi' }, { headers: { Origin: 'https://anywhere.example' } });
    assert.equal(result.status, 200);
    assert.equal(result.headers['access-control-allow-origin'], '*');
    assert.equal(result.headers['access-control-allow-credentials'], undefined);
  });

  it('puts CORS headers on errors too, so the widget can read a 429 from another origin', async () => {
    const proxy = proxyFor({ allowedOrigins: 'https://shop.example', rateLimitPerMinute: 1 });
    await send(proxy, { message: 'one' }, { headers: { Origin: 'https://shop.example' } }, '203.0.113.50');
    const limited = await send(proxy, { message: 'two' }, { headers: { Origin: 'https://shop.example' } }, '203.0.113.50');
    assertFailure(limited, 429, 'rate_limited');
    assert.equal(limited.headers['access-control-allow-origin'], 'https://shop.example');
    assert.match(limited.headers['access-control-expose-headers'] ?? '', /Retry-After/i);
  });

  it('behind a trusted reverse proxy, recognises its own public origin from X-Forwarded-Proto/Host', async () => {
    const headers = { Origin: 'https://chat.example', 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'chat.example' };
    assert.equal((await send(proxyFor({ trustProxy: true }), { message: 'hi' }, { headers })).status, 200);
    assertFailure(await send(proxyFor(), { message: 'hi' }, { headers }), 403, 'forbidden_origin');
  });

  it('rejects an allowlist entry that is not an origin when the proxy is created', () => {
    assert.throws(() => proxyFor({ allowedOrigins: 'shop.example' }), /allowedOrigins/);
  });

  it('rejects allowlist entries that could never match an Origin: a wildcard inside a host, a path, a query or credentials', () => {
    for (const entry of ['https://*.example.com', 'https://shop.*', 'https://shop.example/path', 'https://shop.example/?a=1', 'https://user:pw@shop.example']) {
      assert.throws(() => proxyFor({ allowedOrigins: `https://blog.example, ${entry}` }), (error: Error) => error.message.includes('allowedOrigins') && error.message.includes(entry.replace('user:pw@', '')), entry);
      assert.throws(() => proxyFor({ allowedOrigins: [entry] }), /allowedOrigins/, entry);
    }
    for (const entry of ['*', 'https://shop.example/', 'HTTPS://Shop.Example:8443', 'http://localhost:5173']) {
      assert.doesNotThrow(() => proxyFor({ allowedOrigins: entry }), entry);
    }
  });
});

describe('rate limiting per client', () => {
  it('answers 429 with Retry-After once a client passes the limit, and only that client', async () => {
    const proxy = proxyFor({ rateLimitPerMinute: 3 });
    for (let i = 0; i < 3; i++) assert.equal((await send(proxy, { message: `m${i}` }, {}, '203.0.113.1')).status, 200);
    const limited = await send(proxy, { message: 'one too many' }, {}, '203.0.113.1');
    assertFailure(limited, 429, 'rate_limited');
    const retryAfter = Number(limited.headers['retry-after']);
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${limited.headers['retry-after']}`);
    assert.equal((await send(proxy, { message: 'other client' }, {}, '203.0.113.2')).status, 200);
  });

  it('ignores X-Forwarded-For unless told to trust it', async () => {
    const proxy = proxyFor({ rateLimitPerMinute: 1 });
    assert.equal((await send(proxy, { message: 'a' }, { headers: { 'X-Forwarded-For': '10.0.0.1' } }, '203.0.113.3')).status, 200);
    const spoofed = await send(proxy, { message: 'b' }, { headers: { 'X-Forwarded-For': '10.0.0.2' } }, '203.0.113.3');
    assertFailure(spoofed, 429, 'rate_limited');
  });

  it('with trustProxy, limits by the address the trusted proxy saw (the rightmost hop)', async () => {
    const proxy = proxyFor({ rateLimitPerMinute: 1, trustProxy: true });
    const via = (chain: string) => send(proxy, { message: 'x' }, { headers: { 'X-Forwarded-For': chain } }, '127.0.0.1');
    assert.equal((await via('6.6.6.6, 198.51.100.7')).status, 200);
    assertFailure(await via('7.7.7.7, 198.51.100.7'), 429, 'rate_limited'); // forged left part does not help
    assert.equal((await via('198.51.100.8')).status, 200);
  });

  it('uses a platform client-IP header when configured', async () => {
    const proxy = proxyFor({ rateLimitPerMinute: 1, clientIpHeader: 'CF-Connecting-IP' });
    assert.equal((await send(proxy, { message: 'x' }, { headers: { 'CF-Connecting-IP': '192.0.2.77' } })).status, 200);
    assertFailure(await send(proxy, { message: 'x' }, { headers: { 'CF-Connecting-IP': '192.0.2.77' } }), 429, 'rate_limited');
    assert.equal((await send(proxy, { message: 'x' }, { headers: { 'CF-Connecting-IP': '192.0.2.78' } })).status, 200);
  });

  it('allows 30 messages a minute per client by default (RATE_LIMIT_PER_MINUTE), the 31st gets 429', async () => {
    const proxy = proxyFor({ rateLimitPerMinute: undefined });
    for (let i = 0; i < 30; i++) assert.equal((await send(proxy, { message: `m${i}` }, {}, '203.0.113.30')).status, 200, `message ${i + 1}`);
    assertFailure(await send(proxy, { message: 'the 31st' }, {}, '203.0.113.30'), 429, 'rate_limited');
  });

  it('tells the site owner once when requests come with no client address, which then share one limit', async () => {
    const warnings: string[] = [];
    const proxy = proxyFor({ rateLimitPerMinute: 1, warn: (line) => warnings.push(line) });
    assert.equal((await answer(await proxy(chatRequest({ message: 'a' })))).status, 200);
    assertFailure(await answer(await proxy(chatRequest({ message: 'b' }))), 429, 'rate_limited');
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0]!, /no client address.*handler\(request, \{ ip \}\).*clientIpHeader/);
    // With an address, nothing more is said.
    assert.equal((await send(proxy, { message: 'c' }, {}, '203.0.113.9')).status, 200);
    assert.equal(warnings.length, 1);
  });

  it('keeps the in-memory limiter bounded however many clients there are', async () => {
    let now = 0;
    const limiter = new MemoryRateLimiter({ limit: 2, maxKeys: 500, now: () => now });
    const proxy = proxyFor({ rateLimiter: limiter, trustProxy: true });
    for (let i = 0; i < 2000; i++) {
      await proxy(new Request(PROXY_URL, { method: 'POST', headers: { 'X-Forwarded-For': `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}` } }));
      assert.ok(limiter.size <= 500);
    }
    for (let i = 0; i < 20_000; i++) await limiter.consume(`client-${i}`);
    assert.equal(limiter.size, 500);
    now += 61_000;
    await limiter.consume('late');
    assert.equal(limiter.size, 1, 'expired windows are swept');
  });

  it('starts a fresh window after a minute', async () => {
    let now = 1_000_000;
    const limiter = new MemoryRateLimiter({ limit: 1, now: () => now });
    assert.deepEqual(await limiter.consume('a'), { allowed: true });
    assert.deepEqual(await limiter.consume('a'), { allowed: false, retryAfterSeconds: 60 });
    now += 30_500;
    assert.deepEqual(await limiter.consume('a'), { allowed: false, retryAfterSeconds: 30 });
    now += 30_000;
    assert.deepEqual(await limiter.consume('a'), { allowed: true });
  });

  it('accepts any RateLimiter, e.g. rate-limiter-flexible through fromRateLimiterFlexible', async () => {
    const proxy = proxyFor({ rateLimiter: fromRateLimiterFlexible(new RateLimiterMemory({ points: 2, duration: 60 })) });
    assert.equal((await send(proxy, { message: 'a' }, {}, '192.0.2.200')).status, 200);
    assert.equal((await send(proxy, { message: 'b' }, {}, '192.0.2.200')).status, 200);
    const limited = await send(proxy, { message: 'c' }, {}, '192.0.2.200');
    assertFailure(limited, 429, 'rate_limited');
    assert.ok(Number(limited.headers['retry-after']) >= 59);

    const custom = proxyFor({ rateLimiter: { consume: async () => ({ allowed: false, retryAfterSeconds: 42 }) } });
    assert.equal((await send(custom, { message: 'x' })).headers['retry-after'], '42');
  });

  it('lets a shared store outage through rather than taking the chat down', async () => {
    const broken = fromRateLimiterFlexible({ consume: () => Promise.reject(new Error('redis down')) });
    assert.equal((await send(proxyFor({ rateLimiter: broken }), { message: 'x' })).status, 200);
  });

  it('turns the built-in limit off with rateLimitPerMinute 0', async () => {
    const proxy = proxyFor({ rateLimitPerMinute: 0 });
    for (let i = 0; i < 40; i++) assert.equal((await send(proxy, { message: 'x' })).status, 200);
  });
});

describe('mapping upstream failures (SPEC §2)', () => {
  const cases: [string, string, number, string][] = [
    ['401 from the agent', FAKE_COMMANDS.unauthorized, 401, 'unauthorized'],
    ['404 from the agent', FAKE_COMMANDS.notFound, 404, 'not_found'],
    ['500 from the agent', FAKE_COMMANDS.serverError, 500, 'upstream_error'],
    ['503 from the agent', FAKE_COMMANDS.unavailable, 502, 'bad_gateway'],
    ['a dropped connection', FAKE_COMMANDS.drop, 502, 'bad_gateway'],
    ['an HTML page instead of JSON', FAKE_COMMANDS.garbage, 502, 'bad_gateway'],
    ['JSON of the wrong shape', FAKE_COMMANDS.wrongShape, 502, 'bad_gateway'],
    ['an answer larger than 1 MiB', FAKE_COMMANDS.huge, 502, 'bad_gateway'],
    ['a 16 KiB gzip answer that inflates to 16 MiB', FAKE_COMMANDS.gzipBomb, 502, 'bad_gateway'],
    ['a redirect', FAKE_COMMANDS.redirect, 502, 'bad_gateway'],
    ['status 600', FAKE_COMMANDS.status600, 502, 'bad_gateway'],
    ['status 999', FAKE_COMMANDS.status999, 502, 'bad_gateway'],
    ['an agent that never answers', FAKE_COMMANDS.hang, 504, 'gateway_timeout'],
    ['an agent that stops halfway through its answer', FAKE_COMMANDS.hangAfterHeaders, 504, 'gateway_timeout'],
  ];
  // Both upstream clients: the global fetch (every runtime) and the node:http one the CLI uses.
  const clients: [string, (() => UpstreamFetch) | undefined][] = [['fetch', undefined], ['the CLI’s node:http fetch', () => createNodeFetch()]];
  for (const [client, makeFetch] of clients) {
    for (const [what, command, status, code] of cases) {
      it(`answers ${status} ${code} to ${what}, in its own words (${client})`, async () => {
        const { log, entries } = logCollector();
        const result = await send(proxyFor({ upstreamTimeoutMs: 300, log, fetch: makeFetch?.() }), { message: command });
        assertFailure(result, status, code);
        assert.doesNotMatch(result.text, /Traceback|Agent execution|Invalid API key|Bad Gateway|unavailable|fake/i);
        assertNoKeyInAnswer(result);
        assert.equal(entries.length, 1);
        assert.equal(entries[0]!.code, code);
      });
    }

    it(`interrupt() answers a message waiting for the agent, and any after it, 503 shutting_down with Retry-After (${client})`, async () => {
      const { log, entries } = logCollector();
      const proxy = proxyFor({ log, fetch: makeFetch?.() });
      const before = fake.received.length;
      const waiting = send(proxy, { message: FAKE_COMMANDS.hang });
      await untilCalled(() => fake.received.length > before);
      proxy.interrupt();
      const answered = await waiting;
      assertFailure(answered, 503, 'shutting_down');
      assert.equal(answered.headers['retry-after'], '5');
      const later = await send(proxy, { message: 'hello' });
      assertFailure(later, 503, 'shutting_down');
      assert.equal(fake.received.length, before + 1, 'the message after it was not forwarded');
      assert.deepEqual(entries.map((entry) => [entry.status, entry.code, entry.detail]), [
        [503, 'shutting_down', 'the proxy shut down before the agent answered'],
        [503, 'shutting_down', 'the proxy shut down before the agent answered'],
      ]);
    });

    it(`answers 502 when the API cannot be reached at all (${client})`, async () => {
      const closed = await startFakeThinnest();
      const url = closed.url;
      await closed.close();
      assertFailure(await send(proxyFor({ apiBase: url, fetch: makeFetch?.() }), { message: 'hi' }), 502, 'bad_gateway');
    });

    it(`carries a conversation (${client})`, async () => {
      const proxy = proxyFor({ fetch: makeFetch?.() });
      const id = `client-${crypto.randomUUID()}`;
      await send(proxy, { message: 'one', session_id: id });
      const second = await send(proxy, { message: 'two', session_id: id });
      assert.equal(second.json.response, 'echo:two|turn:2|first:one');
      assert.equal(fake.received.at(-1)!.authorization, `Bearer ${FAKE_KEY}`);
    });
  }

  it('stops reading a gzip answer as soon as it inflates past 1 MiB, rather than inflating all of it first (fetch)', async () => {
    // Content-Length counts the compressed bytes, so only counting what fetch inflates bounds memory. The second half
    // never comes: a proxy that took the whole answer before measuring it would still be waiting at the timeout (504).
    const { log, entries } = logCollector();
    const startedAt = Date.now();
    const result = await send(proxyFor({ upstreamTimeoutMs: 3000, log }), { message: FAKE_COMMANDS.gzipBombStalled });
    assertFailure(result, 502, 'bad_gateway');
    assert.match(entries[0]!.detail ?? '', /larger than 1 MiB/);
    assert.ok(Date.now() - startedAt < 2500, 'answered without waiting for the rest');
  });

  it('answers 401 when its key is wrong and 404 when its agent is wrong', async () => {
    assertFailure(await send(proxyFor({ apiKey: 'agno_wrong' }), { message: 'hi' }), 401, 'unauthorized');
    assertFailure(await send(proxyFor({ agentId: 'agent-missing' }), { message: 'hi' }), 404, 'not_found');
  });

  it('passes an upstream 429 on with its Retry-After', async () => {
    const result = await send(proxyFor(), { message: FAKE_COMMANDS.rateLimited });
    assertFailure(result, 429, 'rate_limited');
    assert.equal(result.headers['retry-after'], '7');
  });

  it('never follows a redirect, in a way every runtime accepts (Cloudflare Workers reject redirect: "error")', async () => {
    let redirectMode: RequestRedirect | undefined;
    const spy = async (url: string, init: RequestInit) => {
      redirectMode = init.redirect;
      return fetch(url, init);
    };
    assertFailure(await send(proxyFor({ fetch: spy }), { message: FAKE_COMMANDS.redirect }), 502, 'bad_gateway');
    assert.equal(redirectMode, 'manual');
    assert.ok(!fake.received.some((request) => request.path === '/steal'));
  });

  it('answers 504 on time even when the fetch ignores its abort signal', async () => {
    const startedAt = Date.now();
    const result = await send(proxyFor({ upstreamTimeoutMs: 200, fetch: () => new Promise<Response>(() => {}) }), { message: 'hi' });
    assertFailure(result, 504, 'gateway_timeout');
    assert.ok(Date.now() - startedAt < 2000);
  });

  it('stops waiting for the agent when the visitor goes away', async () => {
    const visitor = new AbortController();
    let upstreamSignal: AbortSignal | undefined;
    const proxy = proxyFor({
      upstream: (request) => {
        upstreamSignal = request.signal;
        return new Promise<Response>(() => {});
      },
    });
    const request = new Request(PROXY_URL, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"message":"hi"}', signal: visitor.signal });
    const pending = proxy(request);
    // The visitor leaves once the proxy is waiting on the agent.
    await untilCalled(() => !!upstreamSignal);
    visitor.abort();
    const response = await pending;
    assert.ok(response.status >= 400);
    assert.equal(upstreamSignal?.aborted, true);
  });

  it('tells a handler that kept only request.signal of the timeout, even after a garbage collection', async () => {
    // Node's Request lets its signal stop following once nothing holds the Request: the mock agent's
    // `/hang` then waited for good, holding the test process (and CI) open.
    let started = false;
    let heard = false;
    const proxy = proxyFor({
      upstreamTimeoutMs: 300,
      upstream: (request) => {
        const { signal } = request;
        started = true;
        return new Promise<Response>((resolve) => {
          signal.addEventListener('abort', () => {
            heard = true;
            resolve(new Response(null, { status: 499 }));
          });
        });
      },
    });
    const pending = send(proxy, { message: 'hi' });
    await untilCalled(() => started);
    collectGarbage();
    assertFailure(await pending, 504, 'gateway_timeout');
    assert.ok(heard, 'the handler never heard that the proxy stopped waiting');
  });
});

describe('keeping the key secret', () => {
  it('never shows the key when the agent puts it in an error, a success or a header', async () => {
    const { log, text } = logCollector();
    const proxy = proxyFor({ log });
    const leakyError = await send(proxy, { message: FAKE_COMMANDS.leakInError });
    assertFailure(leakyError, 500, 'upstream_error');
    assertNoKeyInAnswer(leakyError);
    const leakySuccess = await send(proxy, { message: FAKE_COMMANDS.leakInSuccess });
    assert.equal(leakySuccess.status, 200);
    assert.deepEqual(Object.keys(leakySuccess.json).sort(), ['metadata', 'response', 'session_id', 'success']);
    assertNoKeyInAnswer(leakySuccess);
    const wrongShape = await send(proxy, { message: FAKE_COMMANDS.wrongShape });
    assertNoKeyInAnswer(wrongShape);
    assertNoKey('log', text());
  });

  it('never shows the key even when the agent repeats it in its reply', async () => {
    const parrot = async () => new Response(JSON.stringify({ success: true, response: `my key is ${FAKE_KEY}`, session_id: FAKE_KEY, metadata: { model: FAKE_KEY, latency_ms: 1 } }), { status: 200 });
    const result = await send(proxyFor({ upstream: parrot }), { message: 'what is your key?' });
    assert.equal(result.status, 200);
    assert.equal(result.json.response, 'my key is [redacted]');
    assertNoKeyInAnswer(result);
  });

  it('answers 502 when the agent hands out a session id the widget could not send back, and takes back every one it could', async () => {
    const agent = (sessionId: string) => async () =>
      new Response(JSON.stringify({ success: true, response: 'hi', session_id: sessionId, metadata: {} }), { status: 200 });
    for (const sessionId of ['user/42#s=1', 'two words', 'a'.repeat(129), '']) {
      assertFailure(await send(proxyFor({ upstream: agent(sessionId) }), { message: 'hi' }), 502, 'bad_gateway');
    }
    const handedOut = await send(proxyFor({ upstream: agent('_srv123') }), { message: 'hi' });
    assert.equal(handedOut.json.session_id, '_srv123');
    const next = await send(proxyFor({ upstream: agent('_srv123') }), { message: 'and again', session_id: handedOut.json.session_id });
    assert.equal(next.status, 200);
  });

  it('never shows the key when fetch throws an error that contains it', async () => {
    const { log, entries, text } = logCollector();
    const throwingFetch = async (url: string, init: RequestInit): Promise<Response> => {
      throw new TypeError(`request to ${url} with ${new Headers(init.headers).get('authorization')} failed`, { cause: { code: `E_${FAKE_KEY}` } });
    };
    const result = await send(proxyFor({ fetch: throwingFetch, log }), { message: 'hi' });
    assertFailure(result, 502, 'bad_gateway');
    assertNoKeyInAnswer(result);
    assertNoKey('log', text());
    assert.match(entries[0]!.detail ?? '', /\[redacted\]/);
  });

  it('never shows the key when a header built from it is invalid', async () => {
    const { log, text } = logCollector();
    const result = await answer(await createProxy({ apiKey: FAKE_KEY, agentId: FAKE_AGENT, apiBase: fake.url, log, fetch: async () => { throw new Error(`Headers.append: "Bearer ${FAKE_KEY}\r" is an invalid header value.`); } })(chatRequest({ message: 'hi' })));
    assertNoKeyInAnswer(result);
    assertNoKey('log', text());
  });

  it('refuses an unusable key at creation, without printing it', () => {
    for (const apiKey of ['', 'has space', 'line\nbreak']) {
      assert.throws(() => createProxy({ apiKey, agentId: FAKE_AGENT }), (error: Error) => !error.message.includes(apiKey || '\u0000'));
    }
  });

  it('logs one summary per request: method, path, status, latency, and never the body', async () => {
    const { log, entries, text } = logCollector();
    const proxy = proxyFor({ log });
    await send(proxy, { message: 'a very private message', session_id: 'log-1' });
    await send(proxy, { message: 'x'.repeat(5000) });
    await send(proxy, { message: FAKE_COMMANDS.serverError });
    assert.equal(entries.length, 3);
    assert.deepEqual(Object.keys(entries[0]!).sort(), ['client', 'latencyMs', 'method', 'path', 'route', 'status', 'upstreamMs']);
    assert.match(entries[0]!.client!, /^[0-9a-f]{16}$/, 'the client key only as a hash');
    assert.equal(entries[0]!.method, 'POST');
    assert.equal(entries[0]!.path, '/api/chat');
    assert.equal(entries[0]!.status, 200);
    assert.ok(entries[0]!.latencyMs >= 0);
    assert.equal(entries[1]!.status, 400);
    assert.equal(entries[2]!.detail, 'upstream answered 500');
    assert.doesNotMatch(text(), /private|log-1|xxxxx/);
    assertNoKey('log', text());
  });

  it('keeps answering when the log sink throws', async () => {
    const result = await send(proxyFor({ log: () => { throw new Error('disk full'); } }), { message: 'hi' });
    assert.equal(result.status, 200);
  });
});

describe('other methods and health', () => {
  it('answers GET …/healthz with 200 JSON', async () => {
    const proxy = proxyFor();
    for (const url of ['http://127.0.0.1:8787/healthz', 'http://127.0.0.1:8787/api/chat/healthz']) {
      const result = await answer(await proxy(new Request(url)));
      assert.equal(result.status, 200);
      assert.deepEqual(result.json, { status: 'ok' });
      assertNoKeyInAnswer(result);
    }
  });

  it('answers other methods with 405 and an Allow header', async () => {
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      const result = await answer(await proxyFor()(new Request(PROXY_URL, { method })));
      assertFailure(result, 405, 'method_not_allowed');
      assert.equal(result.headers['allow'], 'POST, OPTIONS');
    }
  });

  it('answers a plain OPTIONS without Origin with 204 and the same Allow as its 405s', async () => {
    for (const proxy of [proxyFor(), proxyFor({ chatPath: '/api/chat' })]) {
      const result = await answer(await proxy(new Request(PROXY_URL, { method: 'OPTIONS' })));
      assert.equal(result.status, 204);
      assert.equal(result.headers['allow'], 'POST, OPTIONS');
      assert.equal((await proxy(new Request(PROXY_URL))).headers.get('allow'), 'POST, OPTIONS');
    }
  });

  it('works on whatever path it is mounted at', async () => {
    const result = await send(proxyFor(), { message: 'elsewhere' }, { url: 'http://127.0.0.1:8787/some/where/chat' });
    assert.equal(result.status, 200);
  });

  it('rejects unusable options when created, not per request', () => {
    assert.throws(() => createProxy({ apiKey: FAKE_KEY, agentId: '' }), /agentId/);
    assert.throws(() => createProxy({ apiKey: FAKE_KEY, agentId: FAKE_AGENT, apiBase: 'ftp://x' }), /apiBase/);
    assert.throws(() => createProxy({ apiKey: FAKE_KEY, agentId: FAKE_AGENT, maxBodyBytes: -1 }), /maxBodyBytes/);
    assert.throws(() => createProxy({ apiKey: FAKE_KEY, agentId: FAKE_AGENT, rateLimitPerMinute: 1.5 }), /rateLimitPerMinute/);
  });
});

describe('the CLI’s node:http fetch and kept-alive sockets', () => {
  /**
   * A raw upstream that answers each connection's first request and, on `closeOn`-th request of a
   * connection, closes the socket without a word: what an upstream does when it drops an idle
   * kept-alive socket just as a request goes out on it.
   */
  async function closingUpstream(closeOn: number, afterMs = 0): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
    const { createServer } = await import('node:net');
    let requests = 0;
    const sockets = new Set<import('node:net').Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      let onThisSocket = 0;
      let buffered = '';
      socket.on('data', (chunk) => {
        buffered += chunk.toString('latin1');
        for (;;) {
          const end = buffered.indexOf('\r\n\r\n');
          if (end < 0) return;
          const length = Number(/content-length: *(\d+)/i.exec(buffered.slice(0, end))?.[1] ?? 0);
          if (buffered.length < end + 4 + length) return;
          buffered = buffered.slice(end + 4 + length);
          requests++;
          if (++onThisSocket === closeOn) return void setTimeout(() => socket.resetAndDestroy(), afterMs);
          const body = JSON.stringify({ success: true, response: `answer ${requests}`, session_id: 's1', metadata: {} });
          socket.write(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: keep-alive\r\n\r\n${body}`);
        }
      });
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const close = () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy(); // the fetch keeps its sockets alive
      });
    return { url: `http://127.0.0.1:${port}/chat`, requests: () => requests, close };
  }
  const post = (fetch: UpstreamFetch, url: string) =>
    fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"message":"hi"}' });

  it('sends a request once more on a fresh socket when a kept-alive one was closed under it', async () => {
    const upstream = await closingUpstream(2);
    try {
      const fetch = createNodeFetch();
      assert.equal((await (await post(fetch, upstream.url)).json()).response, 'answer 1');
      const second = await post(fetch, upstream.url); // goes out on the kept-alive socket, which is closed under it
      assert.equal((await second.json()).response, 'answer 3');
      assert.equal(upstream.requests(), 3);
    } finally {
      await upstream.close();
    }
  });

  it('does not repeat a request the agent read and held before the connection was reset: it may have acted on it', async () => {
    const upstream = await closingUpstream(2, 400);
    try {
      const fetch = createNodeFetch();
      await (await post(fetch, upstream.url)).json();
      await assert.rejects(post(fetch, upstream.url));
      assert.equal(upstream.requests(), 2);
    } finally {
      await upstream.close();
    }
  });

  it('does not repeat a request whose own fresh socket was closed', async () => {
    const upstream = await closingUpstream(1);
    try {
      await assert.rejects(post(createNodeFetch(), upstream.url));
      assert.equal(upstream.requests(), 1);
    } finally {
      await upstream.close();
    }
  });
});

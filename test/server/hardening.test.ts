// The proxy under attack and breakage, over real sockets where it matters: slow-trickle
// request bodies are cut off by a timeout (408), slow headers and huge headers are refused by the
// Node server (431 or a closed connection) while it stays up, the rate limiter's memory stays
// bounded under 100,000 distinct client IPs, and a crash in one request (an upstream that throws,
// a socket error mid-response, a client that vanishes) never takes the server down.
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startNodeServer, type ConnectionLimits, type RunningServer } from '../../server/node-server.js';
import { MemoryRateLimiter, createProxy, type ProxyOptions } from '../../server/proxy.js';
import { readBodyWithin } from '../../server/read-body.js';
import { FAKE_COMMANDS, FAKE_KEY, optionsFor, startFakeThinnest, type FakeThinnest } from './fake-thinnest.js';
import { PROXY_URL, answer, assertFailure, assertNoKey, logCollector } from './helpers.js';

let fake: FakeThinnest;
before(async () => {
  fake = await startFakeThinnest();
});
after(() => fake.close());

/** Uncaught exceptions and rejections anywhere in the process while a test runs: there must be none. */
let uncaught: unknown[] = [];
const onUncaught = (error: unknown) => uncaught.push(error);
beforeEach(() => {
  uncaught = [];
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
});
afterEach(() => {
  process.off('uncaughtException', onUncaught);
  process.off('unhandledRejection', onUncaught);
  assert.deepEqual(uncaught.map(String), [], 'uncaught errors in the process');
});

function proxyOptions(overrides: Partial<ProxyOptions> = {}): ProxyOptions {
  return optionsFor(fake, overrides);
}

/** The proxy served by the CLI's Node server on a free loopback port. */
async function serve(overrides: Partial<ProxyOptions> = {}, limits: Partial<ConnectionLimits> = {}): Promise<RunningServer & { port: number }> {
  const { log } = logCollector();
  const server = await startNodeServer(createProxy(proxyOptions({ log, ...overrides })), { host: '127.0.0.1', port: 0 }, log, limits);
  return Object.assign(server, { port: Number(new URL(server.url).port) });
}

async function healthy(server: RunningServer): Promise<void> {
  const response = await fetch(`${server.url}/healthz`);
  assert.equal(response.status, 200, 'the server still answers /healthz');
  await response.body?.cancel();
}

async function chatWorks(server: RunningServer): Promise<void> {
  const response = await fetch(`${server.url}/api/chat`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ message: 'still there?' }) });
  assert.equal(response.status, 200, 'the server still chats');
  assert.equal((await response.json()).success, true);
}

interface Exchange {
  /** Everything the server sent before the connection closed. */
  received: string;
  /** Milliseconds from the first byte sent to the close. */
  closedAfterMs: number;
}

/** Opens a raw connection, lets `talk` write to it, and resolves when the server closes it (or after `limitMs`). */
function rawExchange(port: number, talk: (socket: Socket) => void, limitMs = 8000): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const startedAt = Date.now();
    let received = '';
    const giveUp = setTimeout(() => socket.destroy(), limitMs);
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(giveUp);
      resolve({ received, closedAfterMs: Date.now() - startedAt });
    });
    socket.on('connect', () => talk(socket));
  });
}

/** Writes `body` one byte at a time, every `everyMs`, until the socket closes. */
function trickle(socket: Socket, body: string, everyMs: number): void {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || i >= body.length) return clearInterval(timer);
    socket.write(body[i++]);
  }, everyMs);
  socket.on('close', () => clearInterval(timer));
}

describe('behind a load balancer', () => {
  it('keeps an idle keep-alive connection open past 60 s balancers\' idle time (65 s), not Node\'s 5 s, and answers on it', async () => {
    const server = await serve({}, { headersTimeoutMs: 1000 }); // a short headers timeout must not cut idle connections either
    const socket = connect(server.port, '127.0.0.1');
    socket.on('error', () => {});
    let received = '';
    let closed = false;
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('close', () => (closed = true));
    const ask = async () => {
      received = '';
      socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      for (let waited = 0; !/\r\n\r\n\{.*\}$/s.test(received) && waited < 3000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
      return received;
    };
    try {
      await new Promise((resolve) => socket.once('connect', resolve));
      const first = await ask();
      assert.match(first, /^HTTP\/1\.1 200 /);
      assert.match(first, /\r\nkeep-alive: timeout=65\r\n/i, 'the server says how long it keeps the connection');
      await new Promise((resolve) => setTimeout(resolve, 5500));
      assert.equal(closed, false, 'the idle connection is still open after 5.5 s');
      assert.match(await ask(), /^HTTP\/1\.1 200 /, 'and a request on it is answered');
    } finally {
      socket.destroy();
      await server.close();
    }
  });
});

describe('slow clients are cut off', () => {
  let server: RunningServer & { port: number };
  before(async () => {
    server = await serve({ bodyTimeoutMs: 600 }, { headersTimeoutMs: 1000, requestTimeoutMs: 3000 });
  });
  after(() => server.close());

  const body = JSON.stringify({ message: 'a message that arrives one byte at a time' });

  it('a body trickling in with Content-Length gets 408 after bodyTimeoutMs, and the server stays up', async () => {
    const { received, closedAfterMs } = await rawExchange(server.port, (socket) => {
      socket.write(`POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
      trickle(socket, body, 150);
    });
    assert.match(received, /^HTTP\/1\.1 408 /, `answered 408, got: ${received.slice(0, 80)}`);
    assert.match(received, /"code":"request_timeout"/);
    assert.ok(closedAfterMs < 5000, `the connection was closed after ${closedAfterMs} ms`);
    await healthy(server);
  });

  it('a slow body is answered and closed by the proxy itself, long before Node\'s own requestTimeout', async () => {
    const lenient = await serve({ bodyTimeoutMs: 600 }, { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000 });
    try {
      const { received, closedAfterMs } = await rawExchange(lenient.port, (socket) => {
        socket.write(`POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
        trickle(socket, body, 150);
      });
      assert.match(received, /^HTTP\/1\.1 408 /);
      assert.match(received, /\r\nconnection: close\r\n/i);
      assert.ok(closedAfterMs < 3000, `the connection was closed after ${closedAfterMs} ms`);
      await healthy(lenient);
    } finally {
      await lenient.close();
    }
  });

  it('a chunked body trickling in gets 408 too', async () => {
    const { received } = await rawExchange(server.port, (socket) => {
      socket.write('POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
      const chunks = body.split('').map((char) => `1\r\n${char}\r\n`).join('');
      trickle(socket, chunks, 30);
    });
    assert.match(received, /^HTTP\/1\.1 408 /, `answered 408, got: ${received.slice(0, 80)}`);
    assert.match(received, /"code":"request_timeout"/, 'answered by the proxy, not by Node\'s own requestTimeout');
    await healthy(server);
  });

  it('headers trickling in (slowloris) are cut off by headersTimeout', async () => {
    const { received, closedAfterMs } = await rawExchange(server.port, (socket) => {
      trickle(socket, `POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ${'z'.repeat(200)}\r\n\r\n`, 50);
    });
    assert.ok(closedAfterMs < 5000, `the connection was closed after ${closedAfterMs} ms`);
    assert.ok(received === '' || /^HTTP\/1\.1 408 /.test(received), `nothing or 408: ${received.slice(0, 80)}`);
    await healthy(server);
  });

  it('a body that arrives in time is still answered (the timeout is not a cap on slow agents)', async () => {
    const slow = await serve({ bodyTimeoutMs: 600 }, { headersTimeoutMs: 1000, requestTimeoutMs: 3000 });
    try {
      const { received } = await rawExchange(slow.port, (socket) => {
        socket.write(`POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
        setTimeout(() => socket.write(body), 200);
      });
      assert.match(received, /^HTTP\/1\.1 200 /);
    } finally {
      await slow.close();
    }
  });

  it('readBodyWithin gives up on a stream that never ends, on any runtime', async () => {
    const never = new ReadableStream<Uint8Array>({ start(controller) { controller.enqueue(new TextEncoder().encode('{"mess')); } });
    const request = new Request(PROXY_URL, { method: 'POST', body: never, duplex: 'half' } as RequestInit);
    const startedAt = Date.now();
    assert.deepEqual(await readBodyWithin(request, 1024, 100), { ok: false, reason: 'timeout' });
    assert.ok(Date.now() - startedAt < 1000);
    // Through the handler: 408 with the documented error shape.
    const proxy = createProxy(proxyOptions({ bodyTimeoutMs: 100 }));
    const stuck = new ReadableStream<Uint8Array>({ start(controller) { controller.enqueue(new TextEncoder().encode('{"mess')); } });
    const result = await answer(await proxy(new Request(PROXY_URL, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: stuck, duplex: 'half' } as RequestInit)));
    assertFailure(result, 408, 'request_timeout');
  });
});

describe('huge headers are refused', () => {
  let server: RunningServer & { port: number };
  before(async () => {
    server = await serve();
  });
  after(() => server.close());

  for (const [what, header] of [
    ['one 100 KB header', `X-Huge: ${'h'.repeat(100 * 1024)}\r\n`],
    ['2,000 small headers', Array.from({ length: 2000 }, (_, i) => `X-H${i}: ${'v'.repeat(40)}\r\n`).join('')],
  ] as const) {
    it(`${what}: 431 or a closed connection, and the server stays up`, async () => {
      const { received } = await rawExchange(server.port, (socket) => {
        socket.write(`POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${header}Content-Length: 2\r\n\r\n{}`);
      });
      assert.ok(received === '' || /^HTTP\/1\.1 431 /.test(received), `431 or nothing, got: ${received.slice(0, 80)}`);
      if (received) assert.match(received, /\r\n\r\n\{"success":false,"error":\{"code":"headers_too_large",/);
      await healthy(server);
      await chatWorks(server);
    });
  }

  for (const [what, request] of [
    ['a request line that is not HTTP', 'GARBAGE\r\n\r\n'],
    ['a header line without a colon', 'POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nnot a header\r\n\r\n'],
    ['a body longer than its Content-Length', `POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}${'x'.repeat(2000)}\r\n\r\n`],
  ] as const) {
    it(`${what}: 400 in the proxy's JSON shape, the connection closed, and the server stays up`, async () => {
      const { received } = await rawExchange(server.port, (socket) => socket.write(request));
      const last = received.slice(received.lastIndexOf('HTTP/1.1 '));
      assert.match(last, /^HTTP\/1\.1 400 Bad Request\r\n/, received.slice(0, 200));
      assert.match(last, /\r\ncontent-type: application\/json\r\n/i);
      assert.match(last, /\r\nconnection: close\r\n/i);
      assert.match(last, /\r\n\r\n\{"success":false,"error":\{"code":"bad_request","message":"[^"]+"\}\}$/);
      await healthy(server);
      await chatWorks(server);
    });
  }

  it('headers just under the limit are still served', async () => {
    const response = await fetch(`${server.url}/api/chat`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Padding': 'p'.repeat(8 * 1024) },
      body: JSON.stringify({ message: 'hi' }),
    });
    assert.equal(response.status, 200);
    await response.body?.cancel();
  });
});

describe('the rate limiter under 100,000 distinct client IPs', () => {
  it('tracks at most 10,000 clients, keeps limiting the current ones, and its memory stays bounded', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const limiter = new MemoryRateLimiter({ limit: 30 });
    // The built-in limiter, keyed by a platform client-IP header, through the whole handler.
    const proxy = createProxy(proxyOptions({ rateLimiter: limiter, clientIpHeader: 'x-real-ip' }));
    const request = (ip: string) => new Request(PROXY_URL, { method: 'POST', headers: { 'x-real-ip': ip, 'Content-Type': 'text/plain' }, body: 'x' });

    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    let largest = 0;
    for (let i = 0; i < 100_000; i++) {
      const ip = i % 2 ? `198.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` : `2001:db8:${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}::1`; // IPv6 by /64
      const response = await proxy(request(ip));
      assert.equal(response.status, 400); // counted by the limiter, then refused as not JSON: no upstream call
      if (i % 1000 === 0) largest = Math.max(largest, limiter.size);
    }
    gc();
    const grownMiB = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
    assert.ok(limiter.size <= 10_000 && largest <= 10_000, `tracked ${limiter.size} (at most ${largest})`);
    assert.ok(grownMiB < 16, `heap grew ${grownMiB.toFixed(1)} MiB for 100,000 clients`);

    // The newest clients are still limited: the 31st request in the window gets 429.
    const ip = '203.0.113.250';
    for (let i = 0; i < 30; i++) assert.equal((await proxy(request(ip))).status, 400);
    const limited = await answer(await proxy(request(ip)));
    assertFailure(limited, 429, 'rate_limited');
    assert.match(limited.headers['retry-after'] ?? '', /^\d+$/);
  });

  it('a client IP header longer than any address is cut to a bounded key', async () => {
    const limiter = new MemoryRateLimiter({ limit: 1, maxKeys: 10 });
    const proxy = createProxy(proxyOptions({ rateLimiter: limiter, clientIpHeader: 'x-real-ip' }));
    const long = 'a'.repeat(10_000);
    await proxy(new Request(PROXY_URL, { method: 'POST', headers: { 'x-real-ip': `${long}1` }, body: 'x' }));
    const second = await proxy(new Request(PROXY_URL, { method: 'POST', headers: { 'x-real-ip': `${long}2` }, body: 'x' }));
    // Same first 64 characters, same key: the two are limited together rather than stored in full.
    assert.equal(second.status, 429);
  });
});

describe('a crash in one request never takes the server down', () => {
  const broken: Array<[string, Partial<ProxyOptions>]> = [
    ['an upstream handler that throws', { upstream: () => { throw new Error(`boom ${FAKE_KEY}`); } }],
    ['an upstream handler that rejects', { upstream: async () => { throw new TypeError('rejected'); } }],
    ['an upstream handler that returns no Response', { upstream: async () => undefined as unknown as Response }],
    ['a fetch that returns a body that errors', { fetch: async () => new Response(new ReadableStream({ pull(c) { c.error(new Error('stream broke')); } }), { status: 200 }) }],
    ['a rate limiter that throws', { rateLimiter: { consume: () => { throw new Error('store down'); } } }],
    ['a log sink that throws', { log: () => { throw new Error('disk full'); } }],
  ];

  for (const [what, overrides] of broken) {
    it(`${what}: a documented error for that request, then the next one works`, async () => {
      const lines = logCollector();
      const server = await serve({ log: lines.log, ...overrides });
      try {
        const response = await fetch(`${server.url}/api/chat`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ message: 'hello' }) });
        const text = await response.text();
        assert.ok([500, 502].includes(response.status) || (what.includes('log') && response.status === 200), `status ${response.status}: ${text}`);
        if (response.status !== 200) assert.equal(JSON.parse(text).success, false);
        assertNoKey('response', text);
        assertNoKey('log', lines.text());
        await healthy(server);
      } finally {
        await server.close();
      }
      // A healthy proxy on the same process still serves: nothing global was broken.
      const healthyServer = await serve();
      try {
        await chatWorks(healthyServer);
      } finally {
        await healthyServer.close();
      }
    });
  }

  it('an upstream socket error mid-response (headers sent, body cut): 502, and the server keeps serving', async () => {
    const server = await serve();
    try {
      const response = await fetch(`${server.url}/api/chat`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ message: FAKE_COMMANDS.cut }) });
      assert.equal(response.status, 502);
      assert.equal((await response.json()).error.code, 'bad_gateway');
      await chatWorks(server);
    } finally {
      await server.close();
    }
  });

  it('clients that vanish mid-request and mid-response (50 at once): the server keeps serving', async () => {
    const server = await serve({ upstreamTimeoutMs: 2000 });
    try {
      const vanish = (message: string, afterMs: number) =>
        rawExchange(server.port, (socket) => {
          const body = JSON.stringify({ message });
          socket.write(`POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
          setTimeout(() => socket.resetAndDestroy(), afterMs);
        });
      await Promise.all([
        ...Array.from({ length: 25 }, (_, i) => vanish(FAKE_COMMANDS.hang, 20 + i)),
        ...Array.from({ length: 25 }, (_, i) => vanish(`ordinary ${i}`, i % 5)),
      ]);
      await healthy(server);
      await chatWorks(server);
    } finally {
      await server.close();
    }
  });
});

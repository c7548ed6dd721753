// What an operator reads off the CLI: GET /metrics (METRICS=1) and one JSON line per request (LOG_FORMAT=json).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../server/cli.js';
import type { RunningServer } from '../../server/node-server.js';
import { FAKE_AGENT, FAKE_COMMANDS, FAKE_KEY, startFakeThinnest, type FakeThinnest } from './fake-thinnest.js';
import { assertNoKey, captureIo } from './helpers.js';

let fake: FakeThinnest;
let dir: string;
before(async () => {
  fake = await startFakeThinnest();
  dir = mkdtempSync(join(tmpdir(), 'thinnest-ops-'));
});
after(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

async function serve(env: Record<string, string>, io = captureIo(dir)): Promise<RunningServer> {
  const result = await main([], { THINNEST_API_KEY: FAKE_KEY, THINNEST_AGENT_ID: FAKE_AGENT, THINNEST_API_BASE: fake.url, PORT: '0', TRUST_PROXY: '1', ...env }, io);
  assert.equal(result.exitCode, undefined, 'the CLI exited instead of serving');
  return (result as { server: RunningServer }).server;
}

/** Writes `text` on a raw connection and resolves with what came back once the server closes it. */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => resolve(received));
  });
}

async function chat(server: RunningServer, client: string, message = 'hello') {
  const response = await fetch(`${server.url}/api/chat`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': client },
    body: JSON.stringify({ message }),
  });
  await response.body?.cancel();
  return response.status;
}

/** The value of one sample line of the exposition text, e.g. `thinnest_chat_proxy_rate_limited_total`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics (METRICS=1)', () => {
  it('counts what was sent: requests by route and status, upstream latency, rate-limited and spend-capped', async () => {
    const server = await serve({ METRICS: '1', METRICS_TOKEN: 'scrape-token', RATE_LIMIT_PER_MINUTE: '2', DAILY_MESSAGE_LIMIT: '3' });
    try {
      const statuses = [
        await chat(server, '203.0.113.1'),
        await chat(server, '203.0.113.1'),
        await chat(server, '203.0.113.1'), // over the per-client limit
        await chat(server, '203.0.113.2'),
        await chat(server, '203.0.113.3'), // over the day's three
      ];
      assert.deepEqual(statuses, [200, 200, 429, 200, 429]);
      await fetch(`${server.url}/healthz`);

      const response = await fetch(`${server.url}/metrics`, { headers: { Authorization: 'Bearer scrape-token' } });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      const text = await response.text();
      assert.equal(sample(text, 'thinnest_chat_proxy_requests_total{route="chat",status="200"}'), 3);
      assert.equal(sample(text, 'thinnest_chat_proxy_requests_total{route="chat",status="429"}'), 2);
      assert.equal(sample(text, 'thinnest_chat_proxy_requests_total{route="healthz",status="200"}'), 1);
      assert.equal(sample(text, 'thinnest_chat_proxy_rate_limited_total'), 1);
      assert.equal(sample(text, 'thinnest_chat_proxy_daily_limit_total'), 1);
      assert.equal(sample(text, 'thinnest_chat_proxy_upstream_seconds_count'), 3);
      assert.equal(sample(text, 'thinnest_chat_proxy_redis_up'), undefined, 'no Redis state without REDIS_URL');
      assertNoKey('metrics', text);
    } finally {
      await server.close();
    }
  });

  it('labels refusals on the chat path (403 origin, 405, preflight) route="chat", and counts only its own limit as rate_limited', async () => {
    const server = await serve({ METRICS: '1', ALLOWED_ORIGINS: 'https://shop.example' });
    try {
      const post = (headers: Record<string, string>, message = 'hello') =>
        fetch(`${server.url}/api/chat`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify({ message }) });
      assert.equal((await post({ Origin: 'https://evil.example' })).status, 403);
      assert.equal((await fetch(`${server.url}/api/chat`)).status, 405);
      const preflight = await fetch(`${server.url}/api/chat`, { method: 'OPTIONS', headers: { Origin: 'https://shop.example', 'Access-Control-Request-Method': 'POST' } });
      assert.equal(preflight.status, 204);
      assert.equal((await post({}, FAKE_COMMANDS.rateLimited)).status, 429); // thinnest.ai's own 429, passed on
      assert.equal((await fetch(`${server.url}/nowhere`)).status, 404);

      const text = await (await fetch(`${server.url}/metrics`)).text();
      assert.equal(sample(text, 'thinnest_chat_proxy_requests_total{route="chat",status="403"}'), 1);
      assert.equal(sample(text, 'thinnest_chat_proxy_requests_total{route="chat",status="405"}'), 1);
      assert.equal(sample(text, 'thinnest_chat_proxy_requests_total{route="chat",status="204"}'), 1);
      assert.equal(sample(text, 'thinnest_chat_proxy_requests_total{route="chat",status="429"}'), 1);
      assert.equal(sample(text, 'thinnest_chat_proxy_requests_total{route="none",status="404"}'), 1, 'none: only what no route serves');
      assert.equal(sample(text, 'thinnest_chat_proxy_rate_limited_total'), 0, 'not refused by the per-client limit');
    } finally {
      await server.close();
    }
  });

  it('logs and counts what the CLI\'s server answers itself as route="none": a Host that is not loopback (403), what is not HTTP (400), headers over 16 KiB (431)', async () => {
    const io = captureIo(dir);
    const result = await main([], { THINNEST_API_KEY: FAKE_KEY, THINNEST_AGENT_ID: FAKE_AGENT, THINNEST_API_BASE: fake.url, PORT: '0', METRICS: '1' }, io);
    const { server } = result as { server: RunningServer };
    try {
      const port = Number(new URL(server.url).port);
      assert.match(await rawRequest(port, 'GET /api/chat HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n'), /^HTTP\/1\.1 403 /);
      assert.match(await rawRequest(port, 'HELLO THERE\r\n\r\n'), /^HTTP\/1\.1 400 /);
      assert.match(await rawRequest(port, `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(17_000)}\r\n\r\n`), /^HTTP\/1\.1 431 /);

      const text = await (await fetch(`${server.url}/metrics`)).text();
      for (const status of [403, 400, 431]) assert.equal(sample(text, `thinnest_chat_proxy_requests_total{route="none",status="${status}"}`), 1, `${status}`);
      const log = io.lines.slice(1).join('\n');
      assert.match(log, / GET \/api\/chat 403 \d+ms forbidden_origin \(Host evil\.example is not a loopback name/);
      assert.match(log, / - - 400 \d+ms bad_request \(HPE_/);
      assert.match(log, / - - 431 \d+ms headers_too_large \(HPE_HEADER_OVERFLOW\)/);
    } finally {
      await server.close();
    }
  });

  it('logs and counts a visitor who stops waiting as 499 client_closed, not as a 502 from the agent', async () => {
    const io = captureIo(dir);
    const server = await serve({ METRICS: '1' }, io);
    try {
      const visitor = new AbortController();
      const pending = fetch(`${server.url}/api/chat`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ message: FAKE_COMMANDS.hang }),
        signal: visitor.signal,
      }).catch(() => 'stopped');
      for (let waited = 0; fake.received.at(-1)?.body !== JSON.stringify({ message: FAKE_COMMANDS.hang }) && waited < 3000; waited += 10) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      visitor.abort(); // the widget's stop button, or the visitor leaving the page
      assert.equal(await pending, 'stopped');
      for (let waited = 0; !io.lines.some((line) => line.includes('POST /api/chat')) && waited < 3000; waited += 10) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.match(io.lines.find((line) => line.includes('POST /api/chat')) ?? '', /POST \/api\/chat 499 \d+ms client_closed \(the visitor stopped waiting/);
      const text = await (await fetch(`${server.url}/metrics`)).text();
      assert.equal(sample(text, 'thinnest_chat_proxy_requests_total{route="chat",status="499"}'), 1);
      assert.equal(sample(text, 'thinnest_chat_proxy_requests_total{route="chat",status="502"}'), undefined);
    } finally {
      await server.close();
    }
  });

  it('at the shutdown deadline answers a message still waiting for the agent 503 shutting_down with Retry-After, and logs it', async () => {
    const io = captureIo(dir);
    const server = await serve({}, io);
    const before = fake.received.length;
    const waiting = fetch(`${server.url}/api/chat`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ message: FAKE_COMMANDS.hang }) });
    for (let waited = 0; fake.received.length === before && waited < 3000; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const startedAt = Date.now();
    const closed = server.close(300); // the CLI's stop gives it SHUTDOWN_GRACE_MS
    const response = await waiting;
    assert.ok(Date.now() - startedAt >= 290, 'answered at the deadline, not before');
    assert.equal(response.status, 503);
    assert.equal(response.headers.get('retry-after'), '5');
    assert.equal(response.headers.get('connection'), 'close');
    assert.deepEqual(await response.json(), { success: false, error: { code: 'shutting_down', message: 'The chat is restarting. Please try again in a moment.' } });
    await closed;
    assert.match(io.lines.find((line) => line.includes('POST /api/chat')) ?? '', /POST \/api\/chat 503 \d+ms shutting_down \(the proxy shut down before the agent answered\)/);
  });

  it('asks for the METRICS_TOKEN bearer and is never served to another origin', async () => {
    const server = await serve({ METRICS: '1', METRICS_TOKEN: 'scrape-token', ALLOWED_ORIGINS: 'https://shop.example' });
    try {
      assert.equal((await fetch(`${server.url}/metrics`)).status, 401);
      assert.equal((await fetch(`${server.url}/metrics`, { headers: { Authorization: 'Bearer wrong-token!' } })).status, 401);
      // Not even an origin the chat allows: metrics are for the scraper, not for pages.
      const crossOrigin = await fetch(`${server.url}/metrics`, { headers: { Authorization: 'Bearer scrape-token', Origin: 'https://shop.example' } });
      assert.equal(crossOrigin.status, 403);
      assert.equal(crossOrigin.headers.get('access-control-allow-origin'), null);
      const preflight = await fetch(`${server.url}/metrics`, { method: 'OPTIONS', headers: { Origin: 'https://shop.example', 'Access-Control-Request-Method': 'GET' } });
      assert.equal(preflight.headers.get('access-control-allow-origin'), null);
      assert.notEqual(preflight.status, 204);
    } finally {
      await server.close();
    }
  });

  it('does not exist without METRICS=1', async () => {
    const server = await serve({ METRICS_TOKEN: 'scrape-token' });
    try {
      const response = await fetch(`${server.url}/metrics`, { headers: { Authorization: 'Bearer scrape-token' } });
      assert.equal(response.status, 404);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'not_found');
    } finally {
      await server.close();
    }
  });
});

describe('the per-client rate limit', () => {
  it('counts an IPv6 client by its /64, however the address is written, and an IPv4-mapped one by its IPv4 address', async () => {
    const server = await serve({ RATE_LIMIT_PER_MINUTE: '2' });
    try {
      const statuses = async (clients: string[]) => {
        const result: number[] = [];
        for (const client of clients) result.push(await chat(server, client));
        return result;
      };
      // One /64, three addresses (a host rotating its privacy addresses), the last written out in full.
      assert.deepEqual(await statuses(['2001:db8:1:2::a', '2001:DB8:1:2:ffff::b', '2001:0db8:0001:0002:0000:0000:0000:000c']), [200, 200, 429]);
      assert.equal(await chat(server, '2001:db8:1:3::a'), 200, 'the next /64 is another client');
      assert.equal(await chat(server, '[2001:db8:1:4::a]:443'), 200);
      assert.equal(await chat(server, '2001:db8:1:4:0:0:0:1'), 200);
      assert.equal(await chat(server, '2001:db8:1:4::2'), 429, 'bracketed with a port, the same /64');
      // IPv4-mapped addresses are the IPv4 client they map, one address each.
      assert.deepEqual(await statuses(['::ffff:198.51.100.7', '198.51.100.7', '::ffff:c633:6407']), [200, 200, 429]);
      assert.equal(await chat(server, '::ffff:198.51.100.8'), 200);
    } finally {
      await server.close();
    }
  });
});

describe('LOG_FORMAT=json', () => {
  it('writes one JSON line per request with time, method, path, status, ms, upstream ms, code and a client hash, never the key or the message', async () => {
    const io = captureIo(dir);
    const secretMessage = 'my card number is 4111 1111 1111 1111';
    const server = await serve({ LOG_FORMAT: 'json', RATE_LIMIT_PER_MINUTE: '2' }, io);
    try {
      assert.equal(await chat(server, '203.0.113.9', secretMessage), 200);
      assert.equal(await chat(server, '203.0.113.9', FAKE_COMMANDS.leakInError), 500); // the agent's error names the key
      assert.equal(await chat(server, '203.0.113.9', secretMessage), 429);
      assert.equal((await fetch(`${server.url}/${FAKE_KEY}`)).status, 404);

      const lines = io.lines.slice(1).map((line) => JSON.parse(line) as Record<string, unknown>);
      assert.equal(lines.length, 4);
      const [ok, failed, limited, unknown] = lines;
      assert.match(String(ok!.time), /^\d{4}-\d\d-\d\dT[\d:.]+Z$/);
      assert.deepEqual([ok!.method, ok!.path, ok!.status, ok!.code], ['POST', '/api/chat', 200, undefined]);
      assert.equal(typeof ok!.ms, 'number');
      assert.equal(typeof ok!.upstreamMs, 'number');
      assert.match(String(ok!.client), /^[0-9a-f]{16}$/);
      assert.equal(failed!.code, 'upstream_error');
      assert.equal(limited!.code, 'rate_limited');
      assert.equal(limited!.upstreamMs, undefined, 'not forwarded');
      assert.equal(limited!.client, ok!.client, 'the same client, the same hash');
      assert.equal(unknown!.status, 404);

      const everything = [...io.lines, ...io.errors].join('\n');
      assert.ok(!everything.includes(secretMessage) && !everything.includes('4111'), 'the visitor’s message is in the log');
      assert.ok(!everything.includes('203.0.113.9'), 'the client address is in the log');
      assertNoKey('log', everything);
    } finally {
      await server.close();
    }
  });

  it('writes its startup and shutdown lines as JSON too, so stdout is JSON lines only', async () => {
    const io = captureIo(dir);
    const result = await main([], { THINNEST_API_KEY: FAKE_KEY, THINNEST_AGENT_ID: FAKE_AGENT, THINNEST_API_BASE: fake.url, PORT: '0', LOG_FORMAT: 'json' }, io);
    const { server, stop } = result as { server: RunningServer; stop(signal: string): Promise<void> };
    assert.equal(await chat(server, '203.0.113.10'), 200);
    await stop('SIGTERM');
    const lines = io.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.equal(lines.length, 4);
    assert.deepEqual([lines[0]!.level, lines[0]!.url], ['info', `${server.url}/api/chat`]);
    assert.match(String(lines[0]!.message), /^thinnest-chat-proxy listening on http:\/\/127\.0\.0\.1:\d+\/api\/chat → /);
    assert.match(String(lines[0]!.time), /^\d{4}-\d\d-\d\dT[\d:.]+Z$/);
    assert.equal(lines[1]!.status, 200);
    assert.match(String(lines[2]!.message), /shutting down on SIGTERM/);
    assert.equal(lines[3]!.message, 'thinnest-chat-proxy stopped');
  });

  it('says why it cannot start as one JSON line on stderr: a bad setting, an unusable PORT, Redis unreachable, the port in use', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const takenPort = (taken.address() as AddressInfo).port;
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const failures: [Record<string, string>, RegExp][] = [
      [{ MAX_BODY_BYTES: 'lots' }, /MAX_BODY_BYTES must be/],
      [{ PORT: '70000' }, /PORT must be/],
      [{ REDIS_URL: `redis://:hunter2@127.0.0.1:${closedPort}` }, /could not start: cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+ \(REDIS_URL\)/],
      [{ PORT: String(takenPort) }, /could not start: .*EADDRINUSE/],
    ];
    try {
      for (const [env, why] of failures) {
        const io = captureIo(dir);
        const result = await main([], { THINNEST_API_KEY: FAKE_KEY, THINNEST_AGENT_ID: FAKE_AGENT, THINNEST_API_BASE: fake.url, PORT: '0', LOG_FORMAT: 'json', ...env }, io);
        assert.equal(result.exitCode, 1, JSON.stringify(env));
        assert.deepEqual(io.lines, []);
        assert.equal(io.errors.length, 1, io.errors.join('\n'));
        const line = JSON.parse(io.errors[0]!) as Record<string, unknown>;
        assert.deepEqual(Object.keys(line), ['time', 'level', 'message']);
        assert.equal(line.level, 'error');
        assert.match(String(line.message), why);
        assert.doesNotMatch(io.errors[0]!, /hunter2/);
        assertNoKey('stderr', io.errors[0]!);
      }
    } finally {
      taken.close();
    }
  });

  it('refuses an unknown LOG_FORMAT', async () => {
    const io = captureIo(dir);
    assert.equal((await main([], { THINNEST_API_KEY: FAKE_KEY, THINNEST_AGENT_ID: FAKE_AGENT, PORT: '0', LOG_FORMAT: 'xml' }, io)).exitCode, 1);
    assert.match(io.errors.join('\n'), /LOG_FORMAT must be text or json/);
  });
});

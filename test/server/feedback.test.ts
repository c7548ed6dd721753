// Feedback on replies (POST …/feedback): checked like chat, answered at once, then delivered signed to a real
// webhook receiver on loopback, or logged as one JSON line without one.
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../server/cli.js';
import { proxyOptionsFromEnv } from '../../server/env-options.js';
import type { RunningServer } from '../../server/node-server.js';
import { createProxy, type ProxyOptions } from '../../server/proxy.js';
import { FAKE_AGENT, FAKE_KEY, optionsFor, startFakeThinnest, type FakeThinnest } from './fake-thinnest.js';
import { answer, assertFailure, captureIo, chatRequest, logCollector } from './helpers.js';

const FEEDBACK_URL = 'http://127.0.0.1:8787/api/feedback';
const SECRET = 'whsec_test_SECRET_0123456789';
const GOOD = { session_id: 'session-1', message_id: '8d7f3c2a-1b4e-4f6a-9c0d-2e5b7a9f1c3d', rating: 'up', reply: 'Our **Team** plan is $49.' };

/** A webhook receiver: records each POST; `mode` says how it answers. */
interface Receiver {
  url: string;
  received: { headers: IncomingHttpHeaders; body: string }[];
  mode: 'ok' | 'fail' | 'hang';
  /** Resolves once `count` deliveries have arrived. */
  arrivals(count: number): Promise<void>;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const waiting: { count: number; resolve: () => void }[] = [];
  const receiver: Receiver = {
    url: '',
    received: [],
    mode: 'ok',
    arrivals: (count) => (receiver.received.length >= count ? Promise.resolve() : new Promise((resolve) => waiting.push({ count, resolve }))),
    close: () => new Promise((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      receiver.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      for (const wait of waiting.filter((w) => receiver.received.length >= w.count)) wait.resolve();
      if (receiver.mode === 'ok') res.writeHead(204).end();
      else if (receiver.mode === 'fail') res.writeHead(500, { 'Content-Type': 'text/plain' }).end('receiver broke');
      // 'hang': never answers
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}

/** What a receiver does, in the 6 lines docs/proxy.md shows: HMAC of the raw body, compared in constant time. */
function verify(body: string, header: string | undefined, secret: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
  const given = Buffer.from(header ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The visitor's address, as a server passes it: the warnings these tests count are the webhook's alone. */
const CLIENT = { ip: '192.0.2.1' };

function feedbackRequest(body: unknown, headers: Record<string, string> = {}, method = 'POST', url = FEEDBACK_URL): Request {
  return new Request(url, {
    method,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...headers },
    body: method === 'GET' || method === 'HEAD' ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
}

let fake: FakeThinnest;
let receiver: Receiver;
before(async () => {
  fake = await startFakeThinnest();
  receiver = await startReceiver();
});
after(async () => {
  await receiver.close();
  await fake.close();
});

function proxyFor(overrides: Partial<ProxyOptions> = {}) {
  return createProxy(optionsFor(fake, { chatPath: '/api/chat', feedbackLog: () => {}, ...overrides }));
}

function withWebhook(overrides: Partial<ProxyOptions> = {}) {
  return proxyFor({ feedbackWebhookUrl: `${receiver.url}/hooks/SECRETPATH`, feedbackWebhookSecret: SECRET, ...overrides });
}

describe('POST /api/feedback to a webhook', () => {
  it('answers 202 {"success": true} and delivers the feedback signed, which the receiver can verify', async () => {
    receiver.mode = 'ok';
    const proxy = withWebhook();
    const before = receiver.received.length;
    const startedAt = Date.now();
    const result = await answer(await proxy(feedbackRequest({ ...GOOD, extra: 'dropped', api_key: 'nope' }), { ip: '192.0.2.1' }));
    assert.equal(result.status, 202, result.text);
    assert.deepEqual(result.json, { success: true });
    assert.equal(result.headers['cache-control'], 'no-store');

    await receiver.arrivals(before + 1);
    const delivery = receiver.received[before]!;
    assert.match(delivery.headers['content-type'] ?? '', /^application\/json/);
    assert.ok(verify(delivery.body, delivery.headers['x-thinnest-signature'] as string, SECRET), `signature ${delivery.headers['x-thinnest-signature']}`);
    assert.ok(!verify(delivery.body, delivery.headers['x-thinnest-signature'] as string, 'another secret'));
    const sent = JSON.parse(delivery.body);
    assert.deepEqual(Object.keys(sent), ['session_id', 'message_id', 'rating', 'reply', 'received_at']);
    assert.deepEqual({ ...sent, received_at: undefined }, { ...GOOD, received_at: undefined });
    const receivedAt = Date.parse(sent.received_at);
    assert.ok(receivedAt >= startedAt - 1000 && receivedAt <= Date.now(), sent.received_at);
    assert.ok(!delivery.body.includes(SECRET) && !JSON.stringify(delivery.headers).includes(SECRET));
    await proxy.close();
  });

  it('sends a cleared rating as null, and no reply when the widget sent none', async () => {
    receiver.mode = 'ok';
    const proxy = withWebhook();
    const before = receiver.received.length;
    const { reply: _, ...withoutReply } = GOOD;
    assert.equal((await proxy(feedbackRequest({ ...withoutReply, rating: null }))).status, 202);
    await receiver.arrivals(before + 1);
    const sent = JSON.parse(receiver.received[before]!.body);
    assert.equal(sent.rating, null);
    assert.ok(!('reply' in sent));
    await proxy.close();
  });

  it('sends credentials in the URL as Basic authentication, and never to the log', async () => {
    receiver.mode = 'ok';
    const warnings: string[] = [];
    const proxy = withWebhook({ feedbackWebhookUrl: `${receiver.url.replace('//', '//hook%20user:p%40ss@')}/in`, warn: (line) => warnings.push(line) });
    const before = receiver.received.length;
    assert.equal((await proxy(feedbackRequest(GOOD), CLIENT)).status, 202);
    await receiver.arrivals(before + 1);
    assert.equal(receiver.received[before]!.headers.authorization, `Basic ${Buffer.from('hook user:p@ss').toString('base64')}`);
    await proxy.close();
    assert.deepEqual(warnings, []);
  });

  it('waits for a delivery on its way when closed, and hands it to the platform’s waitUntil', async () => {
    receiver.mode = 'ok';
    const proxy = withWebhook();
    const kept: Promise<unknown>[] = [];
    const before = receiver.received.length;
    assert.equal((await proxy(feedbackRequest(GOOD), undefined, { waitUntil: (promise) => kept.push(promise) })).status, 202);
    assert.equal(kept.length, 1);
    await proxy.close();
    assert.equal(receiver.received.length, before + 1, 'close() returned before the delivery');
    await kept[0];
  });
});

describe('a webhook that fails never holds up the visitor', () => {
  for (const [what, mode] of [['answers 500', 'fail'], ['never answers', 'hang']] as const) {
    it(`answers 202 at once when the webhook ${what}, and says so in one line without the URL's secrets`, async () => {
      receiver.mode = mode;
      const warnings: string[] = [];
      let failures = 0;
      const metrics = { observe: () => {}, render: async () => ({ contentType: 'text/plain', body: '' }), feedbackWebhookFailed: () => void failures++ };
      const proxy = withWebhook({
        feedbackWebhookUrl: `${receiver.url.replace('//', '//user:pa55word@')}/hooks/SECRETPATH`,
        feedbackWebhookTimeoutMs: 300,
        warn: (line) => warnings.push(line),
        metrics,
      });
      const startedAt = Date.now();
      const result = await answer(await proxy(feedbackRequest(GOOD), CLIENT));
      assert.equal(result.status, 202);
      assert.ok(Date.now() - startedAt < 250, `the visitor waited ${Date.now() - startedAt} ms`);
      await proxy.close();
      assert.equal(warnings.length, 1, warnings.join('\n'));
      assert.match(warnings[0]!, mode === 'fail' ? /feedback webhook http:\/\/127\.0\.0\.1:\d+ answered 500/ : /did not answer within 300 ms/);
      assert.match(warnings[0]!, new RegExp(`message ${GOOD.message_id} \\(up\\)`));
      for (const secret of ['SECRETPATH', 'pa55word', 'user:', SECRET]) assert.ok(!warnings[0]!.includes(secret), `the line shows ${secret}`);
      assert.equal(failures, 1);
    });
  }

  it('answers 202 when the webhook cannot be reached at all, with one line and no crash', async () => {
    const closed = await startReceiver();
    await closed.close(); // its port now refuses connections
    const warnings: string[] = [];
    const proxy = withWebhook({ feedbackWebhookUrl: `${closed.url}/SECRETPATH`, warn: (line) => warnings.push(line) });
    assert.equal((await proxy(feedbackRequest(GOOD), CLIENT)).status, 202);
    await proxy.close();
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /could not be reached/);
    assert.ok(!warnings[0]!.includes('SECRETPATH') && !warnings[0]!.includes(SECRET));
  });
});

describe('feedback without a webhook', () => {
  it('is one JSON line per feedback, and nothing is sent anywhere', async () => {
    const lines: string[] = [];
    const before = receiver.received.length;
    const proxy = proxyFor({ feedbackLog: (line) => lines.push(line) });
    assert.equal((await proxy(feedbackRequest(GOOD))).status, 202);
    assert.equal((await proxy(feedbackRequest({ ...GOOD, rating: 'down', reply: undefined }))).status, 202);
    await proxy.close();
    assert.equal(lines.length, 2);
    const [first, second] = lines.map((line) => JSON.parse(line));
    assert.deepEqual(Object.keys(first), ['time', 'event', 'session_id', 'message_id', 'rating', 'reply']);
    assert.equal(first.event, 'feedback');
    assert.equal(first.rating, 'up');
    assert.equal(first.reply, GOOD.reply);
    assert.ok(!Number.isNaN(Date.parse(first.time)));
    assert.deepEqual({ ...second, time: undefined }, { time: undefined, event: 'feedback', session_id: GOOD.session_id, message_id: GOOD.message_id, rating: 'down' });
    assert.equal(receiver.received.length, before);
  });

  it('logs each request once, as route feedback, with the rating for metrics', async () => {
    const logged = logCollector();
    const proxy = proxyFor({ log: logged.log });
    await proxy(feedbackRequest({ ...GOOD, rating: null }));
    assert.equal(logged.entries.length, 1);
    assert.equal(logged.entries[0]!.route, 'feedback');
    assert.equal(logged.entries[0]!.status, 202);
    assert.equal(logged.entries[0]!.feedback, 'cleared');
    assert.ok(!logged.text().includes(GOOD.reply), 'the request log shows the reply');
  });
});

describe('checking feedback like chat', () => {
  const invalid: [string, unknown][] = [
    ['no session_id', { ...GOOD, session_id: undefined }],
    ['a session_id with spaces', { ...GOOD, session_id: 'drop table' }],
    ['a session_id over 128 characters', { ...GOOD, session_id: 'a'.repeat(129) }],
    ['no message_id', { ...GOOD, message_id: undefined }],
    ['an empty message_id', { ...GOOD, message_id: '' }],
    ['a message_id with a newline', { ...GOOD, message_id: 'abc\nSet-Cookie: x' }],
    ['a message_id that is a number', { ...GOOD, message_id: 7 }],
    ['no rating', { ...GOOD, rating: undefined }],
    ['a rating of "meh"', { ...GOOD, rating: 'meh' }],
    ['a rating of 1', { ...GOOD, rating: 1 }],
    ['a reply that is an object', { ...GOOD, reply: { text: 'hi' } }],
    ['a reply over 8000 characters', { ...GOOD, reply: 'x'.repeat(8001) }],
    ['an array', [GOOD]],
    ['a body that is not JSON', '{"session_id": "s"'],
  ];
  for (const [what, body] of invalid) {
    it(`answers 400 bad_request to ${what}, delivering nothing`, async () => {
      const lines: string[] = [];
      const proxy = proxyFor({ feedbackLog: (line) => lines.push(line) });
      const result = await answer(await proxy(feedbackRequest(body)));
      assertFailure(result, 400, 'bad_request');
      assert.deepEqual(lines, []);
    });
  }

  it('names the field at fault', async () => {
    const result = await answer(await proxyFor()(feedbackRequest({ ...GOOD, rating: 'meh' })));
    assert.equal(result.json.error.message, '"rating" must be "up", "down" or null.');
  });

  it('accepts a reply of exactly 8000 characters, counting emoji as one', async () => {
    assert.equal((await proxyFor({ maxBodyBytes: 65_536 })(feedbackRequest({ ...GOOD, reply: '😀'.repeat(8000) }))).status, 202);
  });

  it('answers 400 to a body that is not application/json, and 413 past MAX_BODY_BYTES', async () => {
    assertFailure(await answer(await proxyFor()(feedbackRequest(GOOD, { 'Content-Type': 'text/plain' }))), 400, 'bad_request');
    assertFailure(await answer(await proxyFor({ maxBodyBytes: 100 })(feedbackRequest(GOOD))), 413, 'payload_too_large');
  });

  it('answers 405 to other methods, and a plain OPTIONS with 204', async () => {
    const proxy = proxyFor();
    const result = await answer(await proxy(feedbackRequest(undefined, {}, 'GET')));
    assertFailure(result, 405, 'method_not_allowed');
    assert.equal(result.headers.allow, 'POST, OPTIONS');
    assert.equal((await proxy(new Request(FEEDBACK_URL, { method: 'OPTIONS' }))).status, 204);
  });

  it('refuses a foreign origin with 403 as chat does, and serves an allowed one with CORS', async () => {
    const proxy = proxyFor({ allowedOrigins: 'https://shop.example' });
    const refused = await answer(await proxy(feedbackRequest(GOOD, { Origin: 'https://evil.example' })));
    assertFailure(refused, 403, 'forbidden_origin');
    assert.equal(refused.headers['access-control-allow-origin'], undefined);
    const allowed = await answer(await proxy(feedbackRequest(GOOD, { Origin: 'https://shop.example' })));
    assert.equal(allowed.status, 202);
    assert.equal(allowed.headers['access-control-allow-origin'], 'https://shop.example');
    const preflight = await proxy(new Request(FEEDBACK_URL, { method: 'OPTIONS', headers: { Origin: 'https://shop.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' } }));
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://shop.example');
  });

  it('counts against the same per-client rate limit as chat, answering 429 with Retry-After', async () => {
    const proxy = proxyFor({ rateLimitPerMinute: 2 });
    assert.equal((await proxy(chatRequest({ message: 'hi' }), { ip: '192.0.2.50' })).status, 200);
    assert.equal((await proxy(feedbackRequest(GOOD), { ip: '192.0.2.50' })).status, 202);
    const limited = await answer(await proxy(feedbackRequest(GOOD), { ip: '192.0.2.50' }));
    assertFailure(limited, 429, 'rate_limited');
    assert.match(limited.headers['retry-after'] ?? '', /^\d+$/);
    assertFailure(await answer(await proxy(chatRequest({ message: 'hi' }), { ip: '192.0.2.50' })), 429, 'rate_limited');
    assert.equal((await proxy(feedbackRequest(GOOD), { ip: '192.0.2.51' })).status, 202, 'another client was limited');
  });

  it('never counts toward DAILY_MESSAGE_LIMIT', async () => {
    const proxy = proxyFor({ dailyMessageLimit: 1 });
    for (let i = 0; i < 3; i++) assert.equal((await proxy(feedbackRequest(GOOD))).status, 202);
    assert.equal((await proxy(chatRequest({ message: 'the one message of the day' }))).status, 200);
    assertFailure(await answer(await proxy(chatRequest({ message: 'one more' }))), 429, 'daily_limit');
    assert.equal((await proxy(feedbackRequest(GOOD))).status, 202, 'feedback is refused once the day’s messages are spent');
  });
});

describe('where feedback is answered', () => {
  it('beside chatPath by default, or at feedbackPath', async () => {
    const beside = proxyFor({ chatPath: '/widget/v1/chat' });
    assert.equal((await beside(feedbackRequest(GOOD, {}, 'POST', 'http://127.0.0.1/widget/v1/feedback'))).status, 202);
    assert.equal((await beside(feedbackRequest(GOOD, {}, 'POST', 'http://127.0.0.1/api/feedback'))).status, 404);
    const named = proxyFor({ feedbackPath: '/ratings' });
    assert.equal((await named(feedbackRequest(GOOD, {}, 'POST', 'http://127.0.0.1/ratings'))).status, 202);
  });

  it('without chatPath, at any path whose last segment is feedback; chat everywhere else', async () => {
    const anywhere = proxyFor({ chatPath: undefined });
    assert.equal((await anywhere(feedbackRequest(GOOD, {}, 'POST', 'http://127.0.0.1/feedback'))).status, 202);
    assert.equal((await anywhere(feedbackRequest(GOOD, {}, 'POST', 'http://127.0.0.1/a/b/feedback'))).status, 202);
    const chat = await answer(await anywhere(chatRequest({ message: 'still chat' }, { url: 'http://127.0.0.1/feedbacks' })));
    assert.equal(chat.status, 200);
  });
});

describe('configuring the webhook', () => {
  it('refuses a webhook URL without a secret (and a secret without a URL), quoting neither', () => {
    assert.throws(() => proxyFor({ feedbackWebhookUrl: 'https://user:pw@hooks.example/SECRETPATH' }), (error: Error) => /feedbackWebhookSecret/.test(error.message) && !/SECRETPATH|pw/.test(error.message));
    assert.throws(() => proxyFor({ feedbackWebhookSecret: SECRET }), (error: Error) => /feedbackWebhookUrl/.test(error.message) && !error.message.includes(SECRET));
    assert.throws(() => proxyFor({ feedbackWebhookUrl: 'ftp://hooks.example/', feedbackWebhookSecret: SECRET }), /http\(s\) URL/);
  });

  it('reads FEEDBACK_WEBHOOK_URL, _SECRET and _TIMEOUT_MS, refusing the URL alone', () => {
    const both = proxyOptionsFromEnv({ FEEDBACK_WEBHOOK_URL: 'https://hooks.example/x', FEEDBACK_WEBHOOK_SECRET: SECRET, FEEDBACK_WEBHOOK_TIMEOUT_MS: '2000' });
    assert.ok(both.ok);
    assert.equal(both.options.feedbackWebhookUrl, 'https://hooks.example/x');
    assert.equal(both.options.feedbackWebhookSecret, SECRET);
    assert.equal(both.options.feedbackWebhookTimeoutMs, 2000);
    const alone = proxyOptionsFromEnv({ FEEDBACK_WEBHOOK_URL: 'https://hooks.example/SECRETPATH' });
    assert.ok(!alone.ok);
    assert.match(alone.problems.join(' '), /FEEDBACK_WEBHOOK_URL is set without FEEDBACK_WEBHOOK_SECRET/);
    assert.ok(!alone.problems.join(' ').includes('SECRETPATH'));
    assert.ok(!proxyOptionsFromEnv({ FEEDBACK_WEBHOOK_SECRET: SECRET }).ok);
    assert.ok(!proxyOptionsFromEnv({ FEEDBACK_WEBHOOK_URL: 'hooks.example', FEEDBACK_WEBHOOK_SECRET: SECRET }).ok);
  });
});

describe('feedback through the CLI', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'thinnest-feedback-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function serve(argv: string[], env: Record<string, string>, io = captureIo(dir)): Promise<RunningServer> {
    const result = await main(argv, { THINNEST_API_KEY: FAKE_KEY, THINNEST_AGENT_ID: FAKE_AGENT, THINNEST_API_BASE: fake.url, PORT: '0', ...env }, io);
    assert.equal(result.exitCode, undefined, `the CLI exited: ${io.all()}`);
    return (result as { server: RunningServer }).server;
  }

  const post = (server: RunningServer, body: unknown) =>
    fetch(`${server.url}/api/feedback`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  it('refuses to start with FEEDBACK_WEBHOOK_URL and no secret, saying which variable is missing', async () => {
    const io = captureIo(dir);
    const result = await main([], { THINNEST_API_KEY: FAKE_KEY, THINNEST_AGENT_ID: FAKE_AGENT, PORT: '0', FEEDBACK_WEBHOOK_URL: 'https://hooks.example/SECRETPATH' }, io);
    assert.equal(result.exitCode, 1);
    assert.match(io.all(), /FEEDBACK_WEBHOOK_SECRET/);
    assert.ok(!io.all().includes('SECRETPATH'));
  });

  it('serves POST /api/feedback, printing one JSON feedback line beside the request line (LOG_FORMAT=json)', async () => {
    const io = captureIo(dir);
    const server = await serve([], { LOG_FORMAT: 'json' }, io);
    try {
      const response = await post(server, GOOD);
      assert.equal(response.status, 202);
      assert.deepEqual(await response.json(), { success: true });
      const lines = io.lines.slice(1).map((line) => JSON.parse(line));
      assert.equal(lines.filter((line) => line.event === 'feedback').length, 1);
      assert.equal(lines.filter((line) => line.path === '/api/feedback' && line.status === 202).length, 1);
    } finally {
      await server.close();
    }
  });

  it('delivers to the webhook from the CLI, and counts feedback and webhook failures on /metrics', async () => {
    receiver.mode = 'ok';
    const io = captureIo(dir);
    const server = await serve([], { FEEDBACK_WEBHOOK_URL: `${receiver.url}/cli`, FEEDBACK_WEBHOOK_SECRET: SECRET, FEEDBACK_WEBHOOK_TIMEOUT_MS: '300', METRICS: '1' }, io);
    try {
      const before = receiver.received.length;
      assert.equal((await post(server, GOOD)).status, 202);
      await receiver.arrivals(before + 1);
      assert.ok(verify(receiver.received[before]!.body, receiver.received[before]!.headers['x-thinnest-signature'] as string, SECRET));
      receiver.mode = 'fail';
      assert.equal((await post(server, { ...GOOD, rating: 'down' })).status, 202);
      await receiver.arrivals(before + 2);
      let metrics = '';
      for (let tries = 0; tries < 50 && !/feedback_webhook_failures_total 1/.test(metrics); tries++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        metrics = await (await fetch(`${server.url}/metrics`)).text();
      }
      assert.match(metrics, /thinnest_chat_proxy_feedback_total\{rating="up"\} 1/);
      assert.match(metrics, /thinnest_chat_proxy_feedback_total\{rating="down"\} 1/);
      assert.match(metrics, /thinnest_chat_proxy_feedback_webhook_failures_total 1/);
      assert.match(metrics, /thinnest_chat_proxy_requests_total\{route="feedback",status="202"\} 2/);
      assert.ok(io.errors.some((line) => /answered 500/.test(line)), io.all());
      assert.ok(!io.all().includes(SECRET));
    } finally {
      receiver.mode = 'ok';
      await server.close();
    }
  });

  it('--mock answers feedback too, logging it', async () => {
    const io = captureIo(dir);
    const server = await serve(['--mock'], {}, io);
    try {
      assert.equal((await post(server, GOOD)).status, 202);
      assert.ok(io.lines.some((line) => line.startsWith('{') && JSON.parse(line).event === 'feedback'), io.all());
    } finally {
      await server.close();
    }
  });
});

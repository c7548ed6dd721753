// The demo agent behind `--mock` and `npm start`, driven through the real proxy.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../server/cli.js';
import { MOCK_API_KEY, MOCK_ERROR_COMMANDS, createMockAgent, type MockAgentOptions } from '../../server/mock-agent.js';
import type { RunningServer } from '../../server/node-server.js';
import { createProxy, type ProxyOptions } from '../../server/proxy.js';
import { answer, assertFailure, captureIo, chatRequest } from './helpers.js';

function mockProxy(agent: MockAgentOptions = { delayMs: 0 }, options: Partial<ProxyOptions> = {}) {
  return createProxy({ apiKey: MOCK_API_KEY, agentId: 'mock', upstream: createMockAgent(agent), rateLimitPerMinute: 0, ...options });
}

async function say(proxy: ReturnType<typeof mockProxy>, message: string, sessionId?: string) {
  return answer(await proxy(chatRequest(sessionId ? { message, session_id: sessionId } : { message })));
}

describe('the mock agent', () => {
  it('answers in the upstream success shape with a new session id and mock metadata', async () => {
    const result = await say(mockProxy(), 'hello');
    assert.equal(result.status, 200);
    assert.equal(result.json.success, true);
    assert.match(result.json.session_id, /^[0-9a-f-]{36}$/);
    assert.equal(result.json.metadata.model, 'mock');
    assert.equal(typeof result.json.metadata.latency_ms, 'number');
    assert.match(result.json.response, /hello/);
  });

  it('replies in markdown with lists, code, tables and links', async () => {
    const proxy = mockProxy();
    assert.match((await say(proxy, 'show me a list')).json.response, /^1\. .*$/m);
    assert.match((await say(proxy, 'show me a list')).json.response, /^- /m);
    assert.match((await say(proxy, 'some code please')).json.response, /```html\n[\s\S]+\n```/);
    assert.match((await say(proxy, 'a table')).json.response, /^\|.*\|\n\|[-:| ]+\|$/m);
    assert.match((await say(proxy, 'any links?')).json.response, /\[[^\]]+\]\(https:\/\/[^)]+\)/);
  });

  it('remembers each session separately ("you said earlier …")', async () => {
    const proxy = mockProxy();
    const first = await say(proxy, 'my favourite colour is teal', 'mock-a');
    assert.doesNotMatch(first.json.response, /said earlier/i);
    await say(proxy, 'I like jazz', 'mock-b');
    const second = await say(proxy, 'what did I say?', 'mock-a');
    assert.match(second.json.response, /You said earlier: “my favourite colour is teal”/);
    assert.equal(second.json.session_id, 'mock-a');
    const other = await say(proxy, 'and me?', 'mock-b');
    assert.match(other.json.response, /I like jazz/);
    assert.doesNotMatch(other.json.response, /teal/);
  });

  it('forgets the oldest session beyond its bound', async () => {
    const proxy = mockProxy({ delayMs: 0, maxSessions: 2 });
    await say(proxy, 'one', 's1');
    await say(proxy, 'two', 's2');
    await say(proxy, 'three', 's3');
    assert.doesNotMatch((await say(proxy, 'again', 's1')).json.response, /said earlier/);
    assert.match((await say(proxy, 'again', 's3')).json.response, /said earlier/);
  });

  it('waits its configured delay before answering', async () => {
    const startedAt = Date.now();
    const result = await say(mockProxy({ delayMs: 150 }), 'slowly');
    assert.ok(Date.now() - startedAt >= 145);
    assert.ok(result.json.metadata.latency_ms >= 145);
  });

  it('takes the seconds asked for with "/slow N", instead of its delay, then answers', async () => {
    const startedAt = Date.now();
    const result = await say(mockProxy({ delayMs: 0 }), '/slow 0.3');
    assert.ok(Date.now() - startedAt >= 295);
    assert.equal(result.status, 200);
    assert.ok(result.json.metadata.latency_ms >= 295);
    const quick = Date.now();
    await say(mockProxy({ delayMs: 0 }), '/slow soon');
    assert.ok(Date.now() - quick < 250, 'not a number of seconds: the usual delay');
  });

  const failures: [keyof typeof MOCK_ERROR_COMMANDS, number, string][] = [
    ['/error 401', 401, 'unauthorized'],
    ['/error 404', 404, 'not_found'],
    ['/error 429', 429, 'rate_limited'],
    ['/error 500', 500, 'upstream_error'],
    ['/error garbage', 502, 'bad_gateway'],
    ['/error timeout', 504, 'gateway_timeout'],
  ];
  for (const [command, status, code] of failures) {
    it(`makes the proxy answer ${status} when asked with "${command}"`, async () => {
      const result = await say(mockProxy(), command);
      assertFailure(result, status, code);
      if (status === 429) assert.equal(result.headers['retry-after'], '5');
    });
  }

  it('hangs on "/hang" until the proxy gives up with 504', async () => {
    const result = await say(mockProxy({ delayMs: 0 }, { upstreamTimeoutMs: 100 }), '/hang');
    assertFailure(result, 504, 'gateway_timeout');
  });

  it('lists every command on /help', async () => {
    const result = await say(mockProxy(), '/help');
    for (const command of Object.keys(MOCK_ERROR_COMMANDS)) assert.ok(result.json.response.includes(`\`${command}\``), command);
  });

  it('with PAGE_CONTEXT=1, still obeys its commands and echoes only the visitor\'s words (thinnest-chat-proxy --mock over HTTP)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'thinnest-mock-'));
    const started = await main(['--mock'], { PORT: '0', MOCK_DELAY_MS: '0', PAGE_CONTEXT: '1', UPSTREAM_TIMEOUT_MS: '300' }, captureIo(dir));
    const { server } = started as { server: RunningServer };
    const page = { path: '/pricing', title: 'Code and tables | Acme' };
    const chat = async (message: string, sessionId?: string) => {
      const response = await fetch(`${server.url}/api/chat`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ message, page, ...(sessionId ? { session_id: sessionId } : {}) }),
      });
      return answer(response);
    };
    try {
      assertFailure(await chat('/error 500'), 500, 'upstream_error');
      assertFailure(await chat('/error 429'), 429, 'rate_limited');
      assertFailure(await chat('/hang'), 504, 'gateway_timeout');
      assert.match((await chat('/help')).json.response, /`\/error 500`/);
      const startedAt = Date.now();
      assert.equal((await chat('/slow 0.2')).status, 200);
      assert.ok(Date.now() - startedAt >= 195, '/slow took its time');

      const hello = await chat('hello there', 'page-1');
      assert.match(hello.json.response, /^You said: \*\*hello there\*\*/);
      assert.doesNotMatch(hello.json.response, /Visitor is on|^\||```/m, 'the page line is not the visitor\'s words, and its title asks for no table or code');
      assert.match(hello.json.response, /\/pricing/, 'the page is mentioned apart');
      const again = await chat('and again', 'page-1');
      assert.match(again.json.response, /You said earlier: “hello there”/);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers 401 without a Bearer key, like the real API', async () => {
    const agent = createMockAgent({ delayMs: 0 });
    const response = await agent(new Request('http://127.0.0.1/v1/agents/x/chat', { method: 'POST', body: '{"message":"hi"}' }));
    assert.equal(response.status, 401);
  });
});

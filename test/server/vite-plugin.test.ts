// `npm start`: the Vite dev server with the proxy mounted in the same process, mock or real.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger, createServer, type Logger, type ViteDevServer } from 'vite';
import { thinnestProxyPlugin } from '../../server/vite-plugin.js';
import { FAKE_AGENT, FAKE_KEY, startFakeThinnest, type FakeThinnest } from './fake-thinnest.js';
import { answer as answerOf, assertFailure, assertNoKey } from './helpers.js';

let fake: FakeThinnest;
let root: string;
before(async () => {
  delete process.env.THINNEST_API_KEY; // a developer's own key must not turn the mock test into a real one
  delete process.env.THINNEST_AGENT_ID;
  fake = await startFakeThinnest();
  root = mkdtempSync(join(tmpdir(), 'thinnest-vite-'));
});
after(async () => {
  await fake.close();
  rmSync(root, { recursive: true, force: true });
});

function capturingLogger(lines: string[]): Logger {
  const logger = createLogger('silent');
  return { ...logger, info: (message) => lines.push(message), warn: (message) => lines.push(message), error: (message) => lines.push(message) };
}

async function startVite(envDir: string, lines: string[]): Promise<{ server: ViteDevServer; url: string }> {
  const server = await createServer({
    configFile: false,
    root,
    envDir,
    appType: 'custom',
    customLogger: capturingLogger(lines),
    optimizeDeps: { noDiscovery: true, include: [] },
    plugins: [thinnestProxyPlugin()],
    server: { host: '127.0.0.1', port: 0, ws: false, watch: null },
  });
  await server.listen();
  const address = server.httpServer!.address();
  assert.ok(address && typeof address === 'object');
  return { server, url: `http://127.0.0.1:${address.port}` };
}

async function chat(url: string, body: unknown, path = '/api/chat') {
  const response = await fetch(`${url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: url }, body: JSON.stringify(body) });
  return { status: response.status, json: await response.json() };
}

describe('thinnestProxyPlugin', () => {
  it('mounts the mock agent at /api/chat and /healthz when no key is set, and says so', async () => {
    const lines: string[] = [];
    const { server, url } = await startVite(root, lines);
    try {
      assert.ok(lines.some((line) => /\[thinnest-chat\] proxy at \/api\/chat → mock agent/.test(line)), lines.join('\n'));
      const result = await chat(url, { message: '/help' });
      assert.equal(result.status, 200);
      assert.equal(result.json.metadata.model, 'mock');
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
    } finally {
      await server.close();
    }
  });

  it('allows 600 requests per client per minute unless RATE_LIMIT_PER_MINUTE says otherwise, and says so at startup', async () => {
    const lines: string[] = [];
    const { server, url } = await startVite(root, lines);
    try {
      assert.ok(lines.some((line) => /600 requests per client per minute \(npm start's default; RATE_LIMIT_PER_MINUTE sets it\)/.test(line)), lines.join('\n'));
      const feedback = { session_id: 'vite-limit', message_id: 'vite-limit-1', rating: 'up' };
      const statuses = await Promise.all(Array.from({ length: 40 }, () => chat(url, feedback, '/api/feedback').then((result) => result.status)));
      assert.deepEqual(new Set(statuses), new Set([202]), 'past the CLI\'s 30 a minute');
    } finally {
      await server.close();
    }
  });

  it('answers feedback at /api/feedback with the mock agent, logging it as one JSON line', async () => {
    const lines: string[] = [];
    const { server, url } = await startVite(root, lines);
    try {
      assert.ok(lines.some((line) => line.includes('feedback at /api/feedback')), lines.join('\n'));
      const feedback = { session_id: 'vite-session', message_id: 'vite-message-1', rating: 'down', reply: 'A mock reply.' };
      const result = await chat(url, feedback, '/api/feedback');
      assert.equal(result.status, 202);
      assert.deepEqual(result.json, { success: true });
      const logged = lines.filter((line) => line.startsWith('[thinnest-chat] {')).map((line) => JSON.parse(line.slice('[thinnest-chat] '.length)));
      assert.deepEqual(logged.map(({ time: _, ...rest }) => rest), [{ event: 'feedback', ...feedback }]);
      assertFailure(await answerOf(await fetch(`${url}/api/feedback`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })), 400, 'bad_request');
    } finally {
      await server.close();
    }
  });

  it('uses the real API when .env sets THINNEST_API_KEY and THINNEST_AGENT_ID, never logging the key', async () => {
    const envDir = mkdtempSync(join(tmpdir(), 'thinnest-vite-env-'));
    writeFileSync(join(envDir, '.env'), `THINNEST_API_KEY=${FAKE_KEY}\nTHINNEST_AGENT_ID=${FAKE_AGENT}\nTHINNEST_API_BASE=${fake.url}\n`);
    const lines: string[] = [];
    const { server, url } = await startVite(envDir, lines);
    try {
      assert.ok(lines.some((line) => line.includes(`agent ${FAKE_AGENT}`)), lines.join('\n'));
      const result = await chat(url, { message: 'through vite', session_id: 'vite-1' });
      assert.equal(result.status, 200);
      assert.equal(result.json.response, 'echo:through vite|turn:1|first:through vite');
      // The gallery's staged states go to the mock agent whatever the key: the real agent is not asked.
      const calls = fake.received.length;
      const staged = await chat(url, { message: '/error 500' }, '/api/mock-chat');
      assert.equal(staged.status, 500);
      assert.equal((await chat(url, { message: 'hello' }, '/api/mock-chat')).json.metadata.model, 'mock');
      assert.equal(fake.received.length, calls);
      assertNoKey('vite log', lines.join('\n'));
    } finally {
      await server.close();
      rmSync(envDir, { recursive: true, force: true });
    }
  });

  it('leaves every other path to Vite', async () => {
    const lines: string[] = [];
    const { server, url } = await startVite(root, lines);
    try {
      const response = await fetch(`${url}/api/other`, { method: 'POST' });
      assert.equal(response.status, 404);
      assert.doesNotMatch(response.headers.get('content-type') ?? '', /json/);
      assert.doesNotMatch(await response.text(), /"success"/);
    } finally {
      await server.close();
    }
  });
});

// The thinnest-chat-proxy CLI: in-process through main() and as a real child process, over real HTTP.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { main, type CliResult } from '../../server/cli.js';
import type { RunningServer } from '../../server/node-server.js';
import { CREATED_KEY, FAKE_ACCOUNT_TOKEN, FAKE_AGENT, FAKE_COMMANDS, FAKE_KEY, MALFORMED_KEYS, startFakeThinnest, type FakeThinnest } from './fake-thinnest.js';
import { assertNoKey, captureIo as captureCliIo } from './helpers.js';

let fake: FakeThinnest;
let emptyDir: string;
before(async () => {
  fake = await startFakeThinnest();
  emptyDir = mkdtempSync(join(tmpdir(), 'thinnest-cli-'));
});
after(async () => {
  await fake.close();
  rmSync(emptyDir, { recursive: true, force: true });
});

function captureIo(cwd = emptyDir) {
  return captureCliIo(cwd);
}

function serverOf(result: CliResult): RunningServer {
  assert.equal(result.exitCode, undefined, 'the CLI exited instead of serving');
  return (result as { server: RunningServer }).server;
}

const realEnv = () => ({ THINNEST_API_KEY: FAKE_KEY, THINNEST_AGENT_ID: FAKE_AGENT, THINNEST_API_BASE: fake.url, PORT: '0' });

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, headers: Object.fromEntries(response.headers), text, json: JSON.parse(text) };
}

describe('thinnest-chat-proxy (in process)', () => {
  it('refuses to start without key and agent, naming both variables and --mock', async () => {
    const io = captureIo();
    const result = await main([], { PORT: '0' }, io);
    assert.equal(result.exitCode, 1);
    const message = io.errors.join('\n');
    assert.match(message, /THINNEST_API_KEY/);
    assert.match(message, /THINNEST_AGENT_ID/);
    assert.match(message, /--mock/);
    assert.equal(io.errors.length, 1, 'one clear paragraph');
  });

  it('refuses with only one of the two set', async () => {
    assert.equal((await main([], { THINNEST_API_KEY: FAKE_KEY, PORT: '0' }, captureIo())).exitCode, 1);
    assert.equal((await main([], { THINNEST_AGENT_ID: FAKE_AGENT, PORT: '0' }, captureIo())).exitCode, 1);
  });

  it('refuses unusable settings with a message naming the variable', async () => {
    const io = captureIo();
    assert.equal((await main([], { ...realEnv(), MAX_BODY_BYTES: 'lots' }, io)).exitCode, 1);
    assert.match(io.all(), /MAX_BODY_BYTES/);
    assert.equal((await main([], { ...realEnv(), PORT: '99999' }, io)).exitCode, 1);
    // Only decimal digits are a number: Number() would read hex and exponents, and --port '' as port 0 (a random port).
    for (const port of ['0x4E22', '1e4', ' 80 80']) {
      const portIo = captureIo();
      assert.equal((await main([], { ...realEnv(), PORT: port }, portIo)).exitCode, 1, port);
      assert.match(portIo.all(), /PORT must be a whole number/);
    }
    const emptyFlag = captureIo();
    assert.equal((await main(['--port', ''], realEnv(), emptyFlag)).exitCode, 1);
    for (const [variable, value] of [['RATE_LIMIT_PER_MINUTE', '0x10'], ['MAX_BODY_BYTES', '1e4'], ['DAILY_MESSAGE_LIMIT', '1_000']]) {
      const numberIo = captureIo();
      assert.equal((await main([], { ...realEnv(), [variable]: value }, numberIo)).exitCode, 1, `${variable}=${value}`);
      assert.match(numberIo.all(), new RegExp(`${variable} must be a`));
    }
    for (const entry of ['https://*.example.com', 'https://shop.example/path']) {
      const originsIo = captureIo();
      assert.equal((await main([], { ...realEnv(), ALLOWED_ORIGINS: `https://blog.example,${entry}` }, originsIo)).exitCode, 1, entry);
      assert.equal(originsIo.errors.length, 1);
      assert.ok(originsIo.errors[0]!.includes(`ALLOWED_ORIGINS entry "${entry}"`), originsIo.errors[0]);
    }
    for (const delay of ['abc', '-5', '1.5', '0x10']) {
      const mockIo = captureIo();
      assert.equal((await main(['--mock'], { MOCK_DELAY_MS: delay }, mockIo)).exitCode, 1, delay);
      assert.match(mockIo.all(), /MOCK_DELAY_MS must be a non-negative whole number/);
    }
  });

  it('prints usage on --help and exits 0', async () => {
    const io = captureIo();
    assert.equal((await main(['--help'], {}, io)).exitCode, 0);
    assert.match(io.all(), /create-key --name NAME/);
    assert.match(io.all(), /ALLOWED_ORIGINS/);
    assert.equal((await main(['--bogus'], {}, captureIo())).exitCode, 2);
  });

  it('serves POST /api/chat and GET /healthz against the real API, logging one line per request without body or key', async () => {
    const io = captureIo();
    const server = serverOf(await main([], { ...realEnv(), ALLOWED_ORIGINS: 'https://shop.example' }, io));
    try {
      assert.match(io.lines[0]!, /^thinnest-chat-proxy listening on http:\/\/127\.0\.0\.1:\d+\/api\/chat/);
      const chat = await post(`${server.url}/api/chat`, { message: 'secret plans', session_id: 'cli-1' }, { Origin: 'https://shop.example' });
      assert.equal(chat.status, 200);
      assert.equal(chat.json.response, 'echo:secret plans|turn:1|first:secret plans');
      assert.equal(chat.headers['access-control-allow-origin'], 'https://shop.example');
      const health = await fetch(`${server.url}/healthz`);
      assert.equal(health.status, 200);
      assert.deepEqual(await health.json(), { status: 'ok' });
      assert.equal((await fetch(`${server.url}/elsewhere`)).status, 404);
      assert.equal((await fetch(`${server.url}/${FAKE_KEY}`)).status, 404); // the client's own text, but still never in a log line
      assert.equal((await fetch(`${server.url}/${'x'.repeat(185)}${FAKE_KEY}`)).status, 404); // nor a part of it, where the path is cut
      assert.equal((await fetch(`${server.url}/healthz`, { method: 'POST' })).status, 405);
      const failed = await post(`${server.url}/api/chat`, { message: 'fake:500' });
      assert.equal(failed.status, 500);

      const logLines = io.lines.slice(1);
      assert.equal(logLines.length, 7);
      assert.match(logLines[0]!, /^\d{4}-\d\d-\d\dT[\d:.]+Z POST \/api\/chat 200 \d+ms$/);
      assert.match(logLines[1]!, /^\S+ GET \/healthz 200 \d+ms$/);
      assert.match(logLines[2]!, /^\S+ GET \/elsewhere 404 \d+ms not_found$/);
      assert.match(logLines[3]!, /^\S+ GET \/\[redacted\] 404 \d+ms not_found$/);
      assert.match(logLines[4]!, /^\S+ GET \/x{185}\[redacted\] 404 \d+ms not_found$/);
      assert.match(logLines[6]!, /^\S+ POST \/api\/chat 500 \d+ms upstream_error \(upstream answered 500\)$/);
      assert.doesNotMatch(io.all(), /secret plans|cli-1/);
      assertNoKey('CLI output', io.all());
    } finally {
      await server.close();
    }
  });

  it('names THINNEST_API_BASE in its startup line without the user and password it may hold', async () => {
    const io = captureIo();
    const base = fake.url.replace('http://', 'http://gateway-user:s3cret-pw@');
    const server = serverOf(await main([], { ...realEnv(), THINNEST_API_BASE: `${base}/thinnest` }, io));
    try {
      assert.match(io.lines[0]!, new RegExp(`agent ${FAKE_AGENT} at ${fake.url.replace(/[.]/g, '\\.')}/thinnest;`));
      assert.doesNotMatch(io.all(), /gateway-user|s3cret-pw/);
    } finally {
      await server.close();
    }
    const unreachable = captureIo();
    const failingFetch: typeof fetch = async () => { throw new TypeError('connect ECONNREFUSED'); };
    const env = { THINNESTAI_TOKEN: FAKE_ACCOUNT_TOKEN, THINNEST_AGENT_ID: FAKE_AGENT, THINNEST_API_BASE: base };
    assert.equal((await main(['create-key', '--name', 'x'], env, { ...unreachable, fetch: failingFetch })).exitCode, 1);
    assert.match(unreachable.all(), new RegExp(`Could not reach ${fake.url.replace(/[.]/g, '\\.')}`));
    assert.doesNotMatch(unreachable.all(), /gateway-user|s3cret-pw/);
    const refused = captureIo(); // the global fetch refuses a URL with credentials, naming the URL in its error
    assert.equal((await main(['create-key', '--name', 'x'], env, refused)).exitCode, 1);
    assert.match(refused.all(), /Could not reach/);
    assert.doesNotMatch(refused.all(), /gateway-user|s3cret-pw/);
  });

  it('listens on 127.0.0.1 unless HOST says otherwise, and takes MAX_MESSAGE_CHARS from the environment', async () => {
    const server = serverOf(await main([], { ...realEnv(), MAX_MESSAGE_CHARS: '10' }, captureIo()));
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal((await post(`${server.url}/api/chat`, { message: 'x'.repeat(10), session_id: 'max-chars-1' })).status, 200);
      const over = await post(`${server.url}/api/chat`, { message: 'x'.repeat(11), session_id: 'max-chars-1' });
      assert.equal(over.status, 400);
      assert.equal(over.json.error.code, 'bad_request');
    } finally {
      await server.close();
    }
  });

  it('listens on port 8787 without PORT (SPEC §5), and on it for an empty PORT= line', async (t) => {
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer().once('error', () => resolve(false));
      probe.listen(8787, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (!free) return t.skip('port 8787 is taken on this machine');
    const { PORT: _, ...withoutPort } = realEnv();
    for (const env of [withoutPort, { ...withoutPort, PORT: '' }]) {
      const server = serverOf(await main([], env, captureIo()));
      try {
        assert.equal(server.url, 'http://127.0.0.1:8787');
        assert.equal((await post(`${server.url}/api/chat`, { message: 'hi', session_id: 'default-port-1' })).status, 200);
      } finally {
        await server.close();
      }
    }
  });

  it('answers 413 to a chunked body over MAX_BODY_BYTES sent over a real socket', async () => {
    const server = serverOf(await main([], realEnv(), captureIo()));
    try {
      const { status, chunked } = await new Promise<{ status: number; chunked: boolean }>((resolve, reject) => {
        let answered = false;
        const req = httpRequest(`${server.url}/api/chat`, { method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
          // Answered before the body was all sent: the server closes the connection, so writing stops here, and the
          // request is put away once the answer is read (a write racing the close would end in ECONNRESET after the test).
          answered = true;
          res.on('error', () => {});
          res.on('end', () => req.destroy());
          res.resume();
          resolve({ status: res.statusCode ?? 0, chunked: req.getHeader('transfer-encoding') === 'chunked' || !req.getHeader('content-length') });
        });
        req.on('error', (error) => (answered ? undefined : reject(error)));
        const chunk = 'x'.repeat(1024);
        let sent = 0;
        const pump = () => {
          if (answered) return;
          if (sent >= 64 || req.destroyed) return req.end();
          sent++;
          req.write(chunk, () => setImmediate(pump));
        };
        req.write('{"message":"');
        pump();
      });
      assert.ok(chunked, 'the request went out without Content-Length');
      assert.equal(status, 413);
    } finally {
      await server.close();
    }
  });

  it('keeps 50 concurrent sessions apart over HTTP', async () => {
    const server = serverOf(await main([], { ...realEnv(), RATE_LIMIT_PER_MINUTE: '1000' }, captureIo()));
    try {
      const ids = Array.from({ length: 50 }, (_, i) => `http-${i}-${crypto.randomUUID()}`);
      const results = await Promise.all(ids.map((id, i) => post(`${server.url}/api/chat`, { message: `msg ${i}`, session_id: id })));
      results.forEach((result, i) => {
        assert.equal(result.status, 200);
        assert.equal(result.json.session_id, ids[i]);
        assert.equal(result.json.response, `echo:msg ${i}|turn:1|first:msg ${i}`);
      });
    } finally {
      await server.close();
    }
  });

  it('rate limits by the socket address, answering 429 with Retry-After', async () => {
    const server = serverOf(await main([], { ...realEnv(), RATE_LIMIT_PER_MINUTE: '2' }, captureIo()));
    try {
      const statuses: number[] = [];
      let retryAfter: string | undefined;
      for (let i = 0; i < 3; i++) {
        const result = await post(`${server.url}/api/chat`, { message: 'x' }, { 'X-Forwarded-For': `10.0.0.${i}` });
        statuses.push(result.status);
        retryAfter = result.headers['retry-after'];
      }
      assert.deepEqual(statuses, [200, 200, 429]);
      assert.match(retryAfter ?? '', /^\d+$/);
    } finally {
      await server.close();
    }
  });

  it('answers 502 bad_gateway, not 500, to an upstream status outside 200–599 (HTTP/1.1 600)', async () => {
    const io = captureIo();
    const server = serverOf(await main([], realEnv(), io));
    try {
      for (const message of [FAKE_COMMANDS.status600, FAKE_COMMANDS.status999]) {
        const result = await post(`${server.url}/api/chat`, { message });
        assert.equal(result.status, 502, result.text);
        assert.equal(result.json.error.code, 'bad_gateway');
      }
      assert.match(io.lines.at(-1)!, /POST \/api\/chat 502 \d+ms bad_gateway \(.*999.*outside 200–599\)$/);
      assert.equal((await post(`${server.url}/api/chat`, { message: 'still there?' })).status, 200);
    } finally {
      await server.close();
    }
  });

  /** A chat POST (or a GET) over a real socket, with the Host header and request target a rebinding page (or curl) would send. */
  const sendAs = (server: RunningServer, host: string, target = '/api/chat', method = 'POST') =>
    new Promise<{ status: number; headers: Record<string, unknown>; json: any }>((resolve, reject) => {
      const body = method === 'POST' ? JSON.stringify({ message: 'spend their key' }) : '';
      const headers = { Host: host, Origin: `http://${host}`, ...(body ? { 'Content-Type': 'application/json', 'Content-Length': String(body.length) } : {}) };
      const req = httpRequest({ host: '127.0.0.1', port: new URL(server.url).port, method, path: target, headers }, (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, json: JSON.parse(text) }));
      });
      req.on('error', reject);
      req.end(body);
    });

  it('on loopback, refuses a request addressed to another name (DNS rebinding), however it names the host', async () => {
    const io = captureIo();
    const server = serverOf(await main([], realEnv(), io)); // no ALLOWED_ORIGINS: same-origin only
    const { port } = new URL(server.url);
    const send = (host: string, target?: string, method?: string) => sendAs(server, host, target, method);
    try {
      const asked = fake.received.length;
      for (const [host, target] of [
        ['evil.example', '/api/chat'],
        [`evil.example:${port}`, '/api/chat'],
        [`127.0.0.1:${port}`, `http://evil.example:${port}/api/chat`], // absolute-form: the target names the host
        [`evil.example:${port}`, `http://127.0.0.1:${port}/api/chat`],
        [`127.0.0.1.evil.example:${port}`, '/api/chat'],
        [`localhost.evil.example:${port}`, '/api/chat'],
      ]) {
        const refused = await send(host!, target);
        assert.equal(refused.status, 403, `${host} ${target}`);
        assert.deepEqual(refused.json, { success: false, error: { code: 'forbidden_origin', message: refused.json.error.message } });
        assert.match(refused.json.error.message, /loopback/);
        assert.equal(refused.headers['access-control-allow-origin'], undefined, 'no CORS headers: the page cannot read even the refusal');
      }
      assert.equal((await send(`evil.example:${port}`, '/healthz', 'GET')).status, 403);
      assert.equal(fake.received.length, asked, 'the agent was never called');
      assert.match(io.lines.at(-1)!, /GET \/healthz 403 \d+ms forbidden_origin \(Host evil\.example:\d+ is not a loopback name/);

      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'localhost', `[::1]:${port}`, `127.0.0.2:${port}`, `app.localhost:${port}`]) {
        const served = await send(host);
        assert.equal(served.status, 200, host);
        assert.equal(served.headers['access-control-allow-origin'], `http://${host}`);
      }
    } finally {
      await server.close();
    }
  });

  it('logs which name was refused: the Host header, or an absolute request target that names another host', async () => {
    const io = captureIo();
    const server = serverOf(await main([], realEnv(), io));
    const { port } = new URL(server.url);
    try {
      assert.equal((await sendAs(server, `127.0.0.1:${port}`, `http://evil.example:${port}/api/chat`)).status, 403);
      assert.match(io.lines.at(-1)!, /POST \/api\/chat 403 \d+ms forbidden_origin \(request target evil\.example:\d+ is not a loopback name/);
      assert.doesNotMatch(io.lines.at(-1)!, /Host 127\.0\.0\.1/);
      assert.equal((await sendAs(server, `evil.example:${port}`)).status, 403);
      assert.match(io.lines.at(-1)!, /\(Host evil\.example:\d+ is not a loopback name/);
      assert.equal((await sendAs(server, `evil.example:${port}`, `http://other.example:${port}/api/chat`)).status, 403);
      assert.match(io.lines.at(-1)!, /\(Host evil\.example:\d+ and request target other\.example:\d+ are not loopback names/);
    } finally {
      await server.close();
    }
  });

  it('with TRUST_PROXY, leaves Host to the reverse proxy in front, which may pass on the public name', async () => {
    const server = serverOf(await main([], { ...realEnv(), TRUST_PROXY: '1' }, captureIo()));
    try {
      assert.equal((await sendAs(server, 'chat.example.com')).status, 200);
    } finally {
      await server.close();
    }
  });

  it('--mock serves the demo agent with no key', async () => {
    const io = captureIo();
    const server = serverOf(await main(['--mock'], { PORT: '0', MOCK_DELAY_MS: '0' }, io));
    try {
      assert.match(io.lines[0]!, /mock agent/);
      const result = await post(`${server.url}/api/chat`, { message: 'a table please' });
      assert.equal(result.status, 200);
      assert.equal(result.json.metadata.model, 'mock');
      assert.match(result.json.response, /\|/);
      assert.equal((await post(`${server.url}/api/chat`, { message: '/error 500' })).status, 500);
    } finally {
      await server.close();
    }
  });

  it('reads .env from the working directory, with the environment taking precedence', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'thinnest-env-'));
    try {
      writeFileSync(join(dir, '.env'), `# settings\nTHINNEST_API_KEY=${FAKE_KEY}\nTHINNEST_AGENT_ID="${FAKE_AGENT}"\nTHINNEST_API_BASE=${fake.url}\n`);
      const server = serverOf(await main([], { PORT: '0' }, captureIo(dir)));
      try {
        assert.equal((await post(`${server.url}/api/chat`, { message: 'from dotenv' })).status, 200);
      } finally {
        await server.close();
      }
      const overridden = serverOf(await main([], { PORT: '0', THINNEST_AGENT_ID: 'agent-elsewhere' }, captureIo(dir)));
      try {
        assert.equal((await post(`${overridden.url}/api/chat`, { message: 'x' })).status, 404);
      } finally {
        await overridden.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('thinnest-chat-proxy create-key', () => {
  const keyEnv = () => ({ THINNESTAI_TOKEN: FAKE_ACCOUNT_TOKEN, THINNEST_AGENT_ID: FAKE_AGENT, THINNEST_API_BASE: fake.url });

  it('creates a key with the account token and prints it once with the warning', async () => {
    const io = captureIo();
    const before = fake.received.length;
    assert.equal((await main(['create-key', '--name', 'my-site'], keyEnv(), io)).exitCode, 0);
    const call = fake.received[before]!;
    assert.equal(call.path, `/agents/${FAKE_AGENT}/api-keys`);
    assert.equal(call.authorization, `Bearer ${FAKE_ACCOUNT_TOKEN}`);
    assert.deepEqual(JSON.parse(call.body), { name: 'my-site' });
    const output = io.all();
    assert.equal(output.split(CREATED_KEY).length - 1, 1, 'the key is printed exactly once');
    assert.match(output, /cannot be shown again/);
    assertNoKey('create-key output', output, FAKE_ACCOUNT_TOKEN);
  });

  it('appends THINNEST_API_KEY (and the agent) to .env with --append-env, readable only by the owner', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'thinnest-key-'));
    try {
      writeFileSync(join(dir, '.env'), 'PORT=9000');
      assert.equal((await main(['create-key', '--name', 'site', '--append-env'], keyEnv(), captureIo(dir))).exitCode, 0);
      const written = readFileSync(join(dir, '.env'), 'utf8');
      assert.equal(written, `PORT=9000\nTHINNEST_API_KEY=${CREATED_KEY}\nTHINNEST_AGENT_ID=${FAKE_AGENT}\n`);
      assert.equal(statSync(join(dir, '.env')).mode & 0o777, 0o600);

      const again = captureIo(dir);
      await main(['create-key', '--name', 'site', '--append-env'], keyEnv(), again);
      assert.equal(readFileSync(join(dir, '.env'), 'utf8'), written, 'an existing key is never shadowed');
      assert.match(again.all(), /already sets THINNEST_API_KEY/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('with --append-env, refuses before creating a key when .env already sets THINNEST_API_KEY: no orphan key upstream, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'thinnest-key-'));
    try {
      const dotEnv = 'THINNEST_API_KEY=agno_the_one_in_use\nPORT=9000\n';
      writeFileSync(join(dir, '.env'), dotEnv);
      const before = fake.received.length;
      const io = captureIo(dir);
      assert.equal((await main(['create-key', '--name', 'site', '--append-env'], keyEnv(), io)).exitCode, 1);
      assert.equal(fake.received.length, before, 'thinnest.ai was not asked for a key');
      assert.match(io.errors.join('\n'), /\.env already sets THINNEST_API_KEY.*no key was created/);
      assert.equal(io.lines.length, 0);
      assert.equal(readFileSync(join(dir, '.env'), 'utf8'), dotEnv);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a returned key that is not an agno_ key of printable characters: nothing printed or written, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'thinnest-key-'));
    try {
      writeFileSync(join(dir, '.env'), 'PORT=9000\n');
      for (const [name, key] of Object.entries(MALFORMED_KEYS)) {
        const io = captureIo(dir);
        assert.equal((await main(['create-key', '--name', name, '--append-env'], keyEnv(), io)).exitCode, 1, name);
        assert.equal(readFileSync(join(dir, '.env'), 'utf8'), 'PORT=9000\n', `${name}: .env unchanged`);
        assert.match(io.errors.join('\n'), /not an Agent API key/);
        assert.doesNotMatch(io.all(), /attacker|ALLOWED_ORIGINS|cut-here/, `${name}: the returned text is not echoed`);
        assert.ok(!io.all().includes(key));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails clearly, without echoing the token, when the token is wrong or something is missing', async () => {
    const io = captureIo();
    assert.equal((await main(['create-key', '--name', 'x'], { ...keyEnv(), THINNESTAI_TOKEN: 'acct_wrong_SECRET' }, io)).exitCode, 1);
    assert.match(io.all(), /THINNESTAI_TOKEN was rejected/);
    assertNoKey('output', io.all(), 'acct_wrong_SECRET');

    const missing = captureIo();
    assert.equal((await main(['create-key'], { THINNEST_AGENT_ID: FAKE_AGENT }, missing)).exitCode, 1);
    assert.match(missing.all(), /--name NAME/);
    assert.match(missing.all(), /THINNESTAI_TOKEN/);

    const unreachable = captureIo();
    const failingFetch: typeof fetch = async () => { throw new TypeError(`connect failed with Bearer ${FAKE_ACCOUNT_TOKEN}`); };
    assert.equal((await main(['create-key', '--name', 'x'], keyEnv(), { ...unreachable, fetch: failingFetch })).exitCode, 1);
    assertNoKey('output', unreachable.all(), FAKE_ACCOUNT_TOKEN);
  });
});

describe('thinnest-chat-proxy (as a process)', () => {
  const cli = fileURLToPath(new URL('../../server/cli.ts', import.meta.url));
  const tsx = import.meta.resolve('tsx');

  function run(args: string[], env: Record<string, string>) {
    const child = spawn(process.execPath, ['--import', tsx, cli, ...args], { cwd: emptyDir, env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, exited, output: () => ({ stdout, stderr }) };
  }

  it('exits 1 without key and agent, saying which variables to set', async () => {
    const { exited, output } = run([], {});
    assert.equal(await exited, 1);
    assert.match(output().stderr, /THINNEST_API_KEY.*THINNEST_AGENT_ID[\s\S]*--mock/);
  });

  it('starts with --mock, prints its URL, answers, and stops on SIGTERM', async () => {
    const { child, exited, output } = run(['--mock'], { PORT: '0', MOCK_DELAY_MS: '0' });
    try {
      const url = await listeningUrl(child, output);
      const result = await post(url, { message: 'hello from a process' });
      assert.equal(result.status, 200);
      assert.equal(result.json.metadata.model, 'mock');
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0);
    assert.match(output().stdout, /POST \/api\/chat 200 \d+ms/);
  });

  it('on SIGTERM lets a request in flight finish with its 200, refuses new connections, then exits 0', async () => {
    const { child, exited, output } = run(['--mock'], { PORT: '0', MOCK_DELAY_MS: '0' });
    try {
      const url = await listeningUrl(child, output);
      const slow = post(url, { message: '/slow 1' }); // the mock agent answers after a second
      await new Promise((resolve) => setTimeout(resolve, 300));
      child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 200));
      await assert.rejects(fetch(`${new URL(url).origin}/healthz`), 'a new connection is refused while shutting down');
      const answered = await slow;
      assert.equal(answered.status, 200);
      assert.match(answered.json.response, /You said/);
    } finally {
      if (child.signalCode === null && child.exitCode === null && !child.killed) child.kill('SIGTERM');
    }
    assert.equal(await exited, 0);
    const lines = output().stdout.trim().split('\n');
    assert.match(lines.find((line) => /shutting down/.test(line)) ?? '', /SIGTERM.*10 s/);
    assert.match(lines.at(-1)!, /stopped/);
  });
});

/** The chat URL a CLI child process prints once it listens. */
function listeningUrl(child: { stdout: NodeJS.ReadableStream }, output: () => { stdout: string; stderr: string }): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed: ${JSON.stringify(output())}`)), 15_000);
    const look = () => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+\/api\/chat)/.exec(output().stdout);
      if (!match) return;
      clearTimeout(timer);
      child.stdout.off('data', look);
      resolve(match[1]!);
    };
    child.stdout.on('data', look);
  });
}

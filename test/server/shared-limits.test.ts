// Several thinnest-chat-proxy processes on one real redis-server (REDIS_URL): one rate limit and one spend
// cap for all of them, and what happens while Redis is stopped or slow. Never a mock of Redis.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { main } from '../../server/cli.js';
import { FAKE_AGENT, FAKE_KEY, startFakeThinnest, type FakeThinnest } from './fake-thinnest.js';
import { assertNoKey, captureIo } from './helpers.js';
import { redisSkipReason, startRedis, type RunningRedis } from './redis-server.js';

const skip = redisSkipReason();
const cli = fileURLToPath(new URL('../../server/cli.ts', import.meta.url));
const tsx = import.meta.resolve('tsx');

let fake: FakeThinnest;
let redis: RunningRedis;
let dir: string;
const running: Instance[] = [];

before(async () => {
  if (skip) return;
  [fake, redis] = await Promise.all([startFakeThinnest(), startRedis()]);
  dir = mkdtempSync(join(tmpdir(), 'thinnest-shared-'));
});
after(async () => {
  if (skip) return;
  await Promise.all(running.map((instance) => instance.stop()));
  await Promise.all([fake.close(), redis.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

interface Instance {
  url: string;
  child: ChildProcess;
  output(): { stdout: string; stderr: string };
  stop(): Promise<void>;
}

/** One real CLI process; resolves when it prints the URL it listens on. */
async function startInstance(env: Record<string, string>): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', tsx, cli], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', THINNEST_API_KEY: FAKE_KEY, THINNEST_AGENT_ID: FAKE_AGENT, THINNEST_API_BASE: fake.url, PORT: '0', TRUST_PROXY: '1', REDIS_URL: redis.url, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed: ${stdout}${stderr}`)), 20_000);
    child.stdout!.on('data', () => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)\/api\/chat/.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      resolve(match[1]!);
    });
    child.once('exit', () => reject(new Error(`exited: ${stdout}${stderr}`)));
  });
  const instance: Instance = {
    url,
    child,
    output: () => ({ stdout, stderr }),
    stop: async () => {
      if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
      await exited;
    },
  };
  running.push(instance);
  return instance;
}

/** One real CLI process that is expected to exit; killed (code null) if it is still running after `ms`. */
async function runToExit(env: Record<string, string>, ms: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', tsx, cli], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', THINNEST_API_KEY: FAKE_KEY, THINNEST_AGENT_ID: FAKE_AGENT, THINNEST_API_BASE: fake.url, PORT: '0', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

async function startInstances(count: number, env: Record<string, string>): Promise<Instance[]> {
  return Promise.all(Array.from({ length: count }, () => startInstance(env)));
}

async function stopAll(instances: Instance[]): Promise<void> {
  await Promise.all(instances.map((instance) => instance.stop()));
}

/** A chat POST as a client at `client` (X-Forwarded-For, trusted with TRUST_PROXY=1). */
async function chat(instance: Instance, client: string, message = 'hello') {
  const startedAt = performance.now();
  const response = await fetch(`${instance.url}/api/chat`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': client },
    body: JSON.stringify({ message }),
  });
  const json = (await response.json()) as { error?: { code: string } };
  return { status: response.status, code: json.error?.code, retryAfter: response.headers.get('retry-after'), ms: performance.now() - startedAt };
}

async function health(instance: Instance): Promise<unknown> {
  return (await fetch(`${instance.url}/healthz`)).json();
}

function forwarded(): number {
  return fake.received.filter((request) => request.path.endsWith('/chat')).length;
}

async function until(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function secondsToUtcMidnight(): number {
  return (86_400_000 - (Date.now() % 86_400_000)) / 1000;
}

describe('limits shared on Redis (REDIS_URL)', { skip }, () => {
  it('holds one rate limit across three instances: 5 of 15 requests forwarded, the rest 429 with Retry-After', async () => {
    const instances = await startInstances(3, { RATE_LIMIT_PER_MINUTE: '5' });
    try {
      const before = forwarded();
      const results = [];
      for (let i = 0; i < 15; i++) results.push(await chat(instances[i % 3]!, '203.0.113.7'));
      assert.equal(results.filter((result) => result.status === 200).length, 5);
      const refused = results.filter((result) => result.status !== 200);
      assert.equal(refused.length, 10);
      for (const result of refused) {
        assert.equal(result.status, 429);
        assert.equal(result.code, 'rate_limited');
        assert.ok(Number(result.retryAfter) >= 1 && Number(result.retryAfter) <= 60, `Retry-After ${result.retryAfter}`);
      }
      assert.equal(forwarded() - before, 5, 'what the agent received');
      assert.deepEqual(await health(instances[0]!), { status: 'ok', redis: 'ok' });
    } finally {
      await stopAll(instances);
    }
  });

  it('caps the messages forwarded per UTC day across instances, counting neither refused nor invalid ones', async () => {
    await redis.command('FLUSHALL');
    const instances = await startInstances(3, { RATE_LIMIT_PER_MINUTE: '2', DAILY_MESSAGE_LIMIT: '4' });
    try {
      const before = forwarded();
      // Refused by the per-client limit, or invalid: never forwarded, so not counted.
      assert.equal((await chat(instances[0]!, '198.51.100.1')).status, 200);
      assert.equal((await chat(instances[1]!, '198.51.100.1')).status, 200);
      assert.equal((await chat(instances[2]!, '198.51.100.1')).status, 429);
      const invalid = await fetch(`${instances[0]!.url}/api/chat`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '198.51.100.2' }, body: '{"message": ""}' });
      assert.equal(invalid.status, 400);
      // Two more fit the day's four, on other instances and clients; then every instance says daily_limit.
      assert.equal((await chat(instances[1]!, '198.51.100.3')).status, 200);
      assert.equal((await chat(instances[2]!, '198.51.100.4')).status, 200);
      for (const [i, instance] of instances.entries()) {
        const capped = await chat(instance, `198.51.100.${10 + i}`);
        assert.equal(capped.status, 429);
        assert.equal(capped.code, 'daily_limit');
        assert.ok(Math.abs(Number(capped.retryAfter) - secondsToUtcMidnight()) <= 5, `Retry-After ${capped.retryAfter} is the time to midnight UTC`);
      }
      assert.equal(forwarded() - before, 4);
      const day = new Date().toISOString().slice(0, 10);
      assert.match(await redis.command('GET', `thinnest-chat:${FAKE_AGENT}:day:${day}`), /^\$1\r\n4\r\n$/, 'the refused ones were not added to the count');
    } finally {
      await stopAll(instances);
    }
  });

  it('keeps serving under each instance’s own limit while Redis is stopped, says degraded once, and shares again when it is back', async () => {
    await redis.command('FLUSHALL');
    const instances = await startInstances(2, { RATE_LIMIT_PER_MINUTE: '3', METRICS: '1' });
    try {
      await redis.stop();
      for (let i = 0; i < 3; i++) assert.equal((await chat(instances[0]!, '192.0.2.1')).status, 200, 'served without Redis');
      assert.equal((await chat(instances[0]!, '192.0.2.1')).status, 429, 'the instance still limits by itself');
      assert.equal((await chat(instances[1]!, '192.0.2.1')).status, 200, 'each instance counts on its own meanwhile');
      for (const instance of instances) {
        assert.deepEqual(await health(instance), { status: 'degraded', redis: 'lost' });
        const metrics = await (await fetch(`${instance.url}/metrics`)).text();
        assert.match(metrics, /^thinnest_chat_proxy_redis_up 0$/m);
        const warnings = instance.output().stderr.split('\n').filter((line) => /Redis .* lost/.test(line));
        assert.equal(warnings.length, 1, `one warning per outage: ${instance.output().stderr}`);
      }

      await redis.start();
      for (const instance of instances) await until('Redis is back', async () => JSON.stringify(await health(instance)) === '{"status":"ok","redis":"ok"}');
      const shared = [];
      for (let i = 0; i < 4; i++) shared.push((await chat(instances[i % 2]!, '192.0.2.99')).status);
      assert.deepEqual(shared, [200, 200, 200, 429], 'one count again across both');
      for (const instance of instances) assert.match(instance.output().stderr, /Redis .* is back/);
    } finally {
      await stopAll(instances);
    }
  });

  it('treats a Redis that answers but cannot write (READONLY after a failover) as lost: one warning naming why, degraded until it takes writes again', async () => {
    await redis.command('FLUSHALL');
    const [instance] = await startInstances(1, { RATE_LIMIT_PER_MINUTE: '3' });
    try {
      assert.match(await redis.command('REPLICAOF', '127.0.0.1', '1'), /^\+OK/); // a replica now: every write is refused
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await chat(instance!, '192.0.2.70')).status);
      assert.deepEqual(statuses, [200, 200, 200, 429], 'served, under the instance\'s own limit');
      // Several probes later (one each half second), still lost: it answers PING, but takes no writes.
      await new Promise((resolve) => setTimeout(resolve, 1600));
      assert.equal((await chat(instance!, '192.0.2.71')).status, 200);
      assert.deepEqual(await health(instance!), { status: 'degraded', redis: 'lost' });
      const lost = instance!.output().stderr.split('\n').filter((line) => /Redis .* lost/.test(line));
      assert.equal(lost.length, 1, `one warning per outage: ${instance!.output().stderr}`);
      assert.match(lost[0]!, /lost \(Redis refused a write: READONLY/);
      assert.doesNotMatch(instance!.output().stderr, /is back:/);

      assert.match(await redis.command('REPLICAOF', 'NO', 'ONE'), /^\+OK/);
      await until('Redis takes writes again', async () => JSON.stringify(await health(instance!)) === '{"status":"ok","redis":"ok"}');
      assert.equal(instance!.output().stderr.split('\n').filter((line) => /Redis .* is back:/.test(line)).length, 1);
    } finally {
      await redis.command('REPLICAOF', 'NO', 'ONE');
      await stopAll([instance!]);
    }
  });

  it('says degraded on /healthz of an idle instance while Redis hangs (SIGSTOP), within half a second, and ok again when it answers', async () => {
    const hung = await startRedis();
    const [instance] = await startInstances(1, { REDIS_URL: hung.url, METRICS: '1' });
    try {
      assert.deepEqual(await health(instance!), { status: 'ok', redis: 'ok' });
      hung.pause(); // no request comes in: only the health check can notice
      const startedAt = performance.now();
      // Many checks at once share one call to Redis, and each answers within its 200 ms.
      const answers = await Promise.all(Array.from({ length: 20 }, () => health(instance!)));
      const ms = performance.now() - startedAt;
      for (const answer of answers) assert.deepEqual(answer, { status: 'degraded', redis: 'lost' });
      assert.ok(ms < 200 + 300, `answered after ${Math.round(ms)} ms`);
      assert.match(await (await fetch(`${instance!.url}/metrics`)).text(), /^thinnest_chat_proxy_redis_up 0$/m);
      const lost = instance!.output().stderr.split('\n').filter((line) => /Redis .* lost/.test(line));
      assert.equal(lost.length, 1, instance!.output().stderr);
      assert.match(lost[0]!, /a call took over 200 ms/);

      hung.resume();
      await until('Redis answers again', async () => JSON.stringify(await health(instance!)) === '{"status":"ok","redis":"ok"}');
      assert.match(instance!.output().stderr, /Redis .* is back/);
    } finally {
      hung.resume();
      await stopAll([instance!]);
      await hung.stop();
    }
  });

  it('adds no more than 200 ms to a request while Redis is slow (DEBUG SLEEP), and never fails it', async () => {
    const [instance] = await startInstances(1, { RATE_LIMIT_PER_MINUTE: '100', DAILY_MESSAGE_LIMIT: '1000' });
    try {
      const baseline = [];
      for (let i = 0; i < 5; i++) baseline.push((await chat(instance!, '192.0.2.50')).ms);
      const usual = Math.max(...baseline);
      const sleeping = redis.command('DEBUG', 'SLEEP', '2');
      await new Promise((resolve) => setTimeout(resolve, 50));
      const slow = [];
      for (let i = 0; i < 4; i++) slow.push(await chat(instance!, '192.0.2.51'));
      await sleeping;
      // Only the first waits out a timeout: four that each waited would add 800 ms between them.
      const extra = slow.reduce((sum, result) => sum + result.ms, 0) - 4 * usual;
      assert.ok(extra < 200 + 250, `${Math.round(extra)} ms added over four requests: ${slow.map((result) => Math.round(result.ms))}`);
      for (const result of slow) {
        assert.equal(result.status, 200);
        // The first call to wait out 200 ms marks Redis lost; later ones do not wait for it at all.
        assert.ok(result.ms < usual + 200 + 100, `${Math.round(result.ms)} ms while Redis sleeps (usually ${Math.round(usual)} ms)`);
      }
      await until('Redis answers in time again', async () => JSON.stringify(await health(instance!)) === '{"status":"ok","redis":"ok"}');
    } finally {
      await stopAll([instance!]);
    }
  });

  it('refuses to start when Redis cannot be reached: one line naming Redis, exit code 1, no key', async () => {
    const io = captureIo(dir);
    const result = await main([], { THINNEST_API_KEY: FAKE_KEY, THINNEST_AGENT_ID: FAKE_AGENT, THINNEST_API_BASE: fake.url, PORT: '0', REDIS_URL: `redis://:hunter2@127.0.0.1:${redis.port + 1}` }, io);
    assert.equal(result.exitCode, 1);
    assert.equal(io.errors.length, 1, io.errors.join('\n'));
    assert.match(io.errors[0]!, /cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+ \(REDIS_URL\)/);
    assert.doesNotMatch(io.errors[0]!, /hunter2/);
    assertNoKey('CLI output', io.all());
  });

  it('refuses to start when Redis takes the connection but never answers (a hung Redis): one line naming REDIS_URL, exit code 1, within seconds', async () => {
    const hung = await startRedis();
    hung.pause();
    try {
      const startedAt = Date.now();
      const { code, stdout, stderr } = await runToExit({ REDIS_URL: `redis://:hunter2@127.0.0.1:${hung.port}` }, 15_000);
      assert.equal(code, 1, `exit code (stderr: ${stderr})`);
      assert.ok(Date.now() - startedAt < 10_000, `gave up after ${Date.now() - startedAt} ms`);
      assert.equal(stdout, '');
      const lines = stderr.trim().split('\n');
      assert.equal(lines.length, 1, stderr);
      assert.match(lines[0]!, /cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+ \(REDIS_URL\)/);
      assert.doesNotMatch(stderr, /hunter2/);
      assertNoKey('CLI output', stderr);
    } finally {
      hung.resume();
      await hung.stop();
    }
  });
});

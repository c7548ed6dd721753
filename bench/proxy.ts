// `npm run bench:proxy`: what the proxy adds, on loopback, side by side with calling the fake thinnest.ai
// API directly, in one run:
//   1. latency at a steady 500 requests/s for 20 s per target (interleaved in rounds, so background load
//      falls on both alike), from an open-loop generator that sends on schedule whatever the answers do;
//   2. the most requests/s each target sustains (autocannon, 20 connections, 5 s each);
//   3. the server process's memory (after GC) at start, between rounds and at end, and every error.
//   4. the same steady 500 requests/s spread over three proxy instances that share their rate limit and
//      spend cap on one real redis-server (REDIS_URL), as a site with several instances runs them.
// Writes bench/proxy-results.json. Budget: ≤ 2 ms added p50 at 500 req/s, zero errors, flat memory; goal
// for the three instances on Redis: ≤ 1 ms added p50.
//
// Why not autocannon's overallRate for (1): it sends each connection's quota for the second back to back,
// then idles, so "500 req/s" arrives as bursts at full concurrency and measures queueing, not the proxy.
// The fake and the proxy run in a child process (this file with --serve), the load in this one.
import autocannon from 'autocannon';
import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { arch, cpus, loadavg, platform, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { FAKE_KEY as BENCH_KEY } from '../test/server/fake-thinnest.js';

const RATE = Number(process.env.BENCH_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const ROUNDS = 4;
const WARMUP_SECONDS = 3;
const THROUGHPUT_SECONDS = 5;
const THROUGHPUT_CONNECTIONS = 20;
const BUDGET_ADDED_P50_MS = 2;
const GOAL_REDIS_ADDED_P50_MS = 1;
const INSTANCES = 3;
const BODY = JSON.stringify({ message: 'How do I embed the chat?', session_id: 'bench-session' });
const HEADERS = { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(BODY)), Authorization: `Bearer ${BENCH_KEY}` };
const RESULTS_FILE = new URL('./proxy-results.json', import.meta.url);

interface Memory {
  rssMiB: number;
  heapUsedMiB: number;
}

interface Urls {
  direct: string;
  proxy: string;
  /** Three instances on one Redis, or none when redis-server is missing. */
  shared: string[];
}

/** Child: the fake API and the proxy exactly as `thinnest-chat-proxy` builds it, answering memory questions over IPC. */
async function serve(): Promise<void> {
  const { startFakeThinnest, FAKE_AGENT } = await import('../test/server/fake-thinnest.js');
  const { handlerFromEnv } = await import('../server/handler-from-env.js');
  const { startNodeServer } = await import('../server/node-server.js');
  const fake = await startFakeThinnest({ record: false });
  let logged = 0;
  const log = () => void logged++; // the CLI prints a line per request; counting keeps the bench output readable
  const env = { THINNEST_API_KEY: BENCH_KEY, THINNEST_AGENT_ID: FAKE_AGENT, THINNEST_API_BASE: fake.url, RATE_LIMIT_PER_MINUTE: '1000000000' }; // limiter on, out of reach
  const built = handlerFromEnv(env, 'real', log);
  if (!built.ok) throw new Error(built.problem);
  const server = await startNodeServer(built.handler, { host: '127.0.0.1', port: 0 }, log);
  const { findRedisServer, startRedis } = await import('../test/server/redis-server.js');
  const redis = findRedisServer() ? await startRedis() : undefined;
  const sharedEnv = { ...env, REDIS_URL: redis?.url ?? '', DAILY_MESSAGE_LIMIT: '1000000000' }; // the spend cap on, out of reach too
  const shared = redis
    ? await Promise.all(
        Array.from({ length: INSTANCES }, async () => {
          const instance = handlerFromEnv(sharedEnv, 'real', log, { chatPath: '/api/chat', warn: (message) => console.warn(message) });
          if (!instance.ok) throw new Error(instance.problem);
          await instance.handler.ready();
          const listening = await startNodeServer(instance.handler, { host: '127.0.0.1', port: 0 }, log);
          return { url: `${listening.url}/api/chat`, close: () => listening.close().then(() => instance.handler.close()) };
        }),
      )
    : [];
  const urls: Urls = { direct: `${fake.url}/v1/agents/${FAKE_AGENT}/chat`, proxy: `${server.url}/api/chat`, shared: shared.map((instance) => instance.url) };
  process.on('message', (message: string) => {
    if (message === 'memory') {
      globalThis.gc?.(); // measure what is retained, not garbage not yet collected
      const { rss, heapUsed } = process.memoryUsage();
      process.send!({ memory: { rssMiB: mib(rss), heapUsedMiB: mib(heapUsed) }, logged });
    }
    if (message === 'stop') void Promise.all([server.close(), fake.close(), ...shared.map((instance) => instance.close())]).then(() => redis?.stop()).then(() => process.exit(0));
  });
  process.send!({ urls });
}

/** Parent: starts the child, loads each target, prints and saves the comparison. */
async function run(): Promise<void> {
  const loadBefore = loadavg()[0]!;
  if (loadBefore > cpus().length * 0.5) console.warn(`Note: the machine is busy (load ${loadBefore.toFixed(2)} on ${cpus().length} cores); latency figures will be inflated.`);
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { execArgv: ['--import', 'tsx', '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const { urls } = await nextMessage<{ urls: Urls }>(child, 'urls');
    console.log(`${SECONDS} s per target at a steady ${RATE} req/s in ${ROUNDS} interleaved rounds (after ${WARMUP_SECONDS} s warm-up), then ${THROUGHPUT_SECONDS} s of maximum throughput each…`);
    if (urls.shared.length === 0) console.warn('redis-server not found (apt-get install redis-server): the three instances on Redis are not measured.');
    await steadyLoad(urls.direct, WARMUP_SECONDS, new Samples());
    await steadyLoad(urls.proxy, WARMUP_SECONDS, new Samples());
    if (urls.shared.length) await steadyLoad(urls.shared, WARMUP_SECONDS, new Samples());

    const direct = new Samples();
    const proxied = new Samples();
    const shared = new Samples();
    const memorySamples: Memory[] = [await askMemory(child)];
    for (let pass = 0; pass < ROUNDS; pass++) {
      await steadyLoad(urls.direct, SECONDS / ROUNDS, direct);
      await steadyLoad(urls.proxy, SECONDS / ROUNDS, proxied);
      if (urls.shared.length) await steadyLoad(urls.shared, SECONDS / ROUNDS, shared);
      memorySamples.push(await askMemory(child));
    }
    const maxDirect = await maxThroughput(urls.direct);
    const maxProxied = await maxThroughput(urls.proxy);

    const [memoryStart, memoryEnd] = [memorySamples[0]!, memorySamples.at(-1)!];
    const directResult = { ...direct.summary(), maxRequestsPerSecond: maxDirect.requestsPerSecond };
    const proxyResult = { ...proxied.summary(), maxRequestsPerSecond: maxProxied.requestsPerSecond };
    const added = { p50: round(proxyResult.p50 - directResult.p50), p99: round(proxyResult.p99 - directResult.p99) };
    const sharedResult = urls.shared.length ? shared.summary() : undefined;
    const sharedAdded = sharedResult && { p50: round(sharedResult.p50 - directResult.p50), p99: round(sharedResult.p99 - directResult.p99) };
    const errors = direct.errors + direct.non2xx + proxied.errors + proxied.non2xx + shared.errors + shared.non2xx + maxDirect.errors + maxProxied.errors;
    const heapGrowthMiB = round(memoryEnd.heapUsedMiB - memoryStart.heapUsedMiB);
    const verdict = {
      addedP50WithinBudget: added.p50 <= BUDGET_ADDED_P50_MS,
      redisAddedP50WithinGoal: !sharedAdded || sharedAdded.p50 <= GOAL_REDIS_ADDED_P50_MS,
      zeroErrors: errors === 0,
      memoryFlat: heapGrowthMiB < 5,
    };
    const results = {
      date: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        os: `${platform()} ${release()} ${arch()}`,
        node: process.version,
        loadAverageBefore: round(loadBefore),
        loadAverageAfter: round(loadavg()[0]!),
      },
      settings: { rate: RATE, secondsPerTarget: SECONDS, rounds: ROUNDS, warmupSeconds: WARMUP_SECONDS, throughputSeconds: THROUGHPUT_SECONDS, throughputConnections: THROUGHPUT_CONNECTIONS },
      direct: directResult,
      proxy: proxyResult,
      addedLatencyMs: added,
      threeInstancesOnRedis: sharedResult ?? 'not measured: redis-server missing',
      threeInstancesOnRedisAddedLatencyMs: sharedAdded,
      errors,
      memory: { start: memoryStart, end: memoryEnd, heapGrowthMiB, samples: memorySamples },
      budget: { addedP50Ms: BUDGET_ADDED_P50_MS, redisAddedP50Ms: GOAL_REDIS_ADDED_P50_MS, ...verdict },
    };
    writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
    printTable(directResult, proxyResult, added, memoryStart, memoryEnd, sharedResult);
    console.log(`\nBudget: added p50 ${added.p50} ms ≤ ${BUDGET_ADDED_P50_MS} ms ${mark(verdict.addedP50WithinBudget)}, errors ${errors} ${mark(verdict.zeroErrors)}, heap growth ${heapGrowthMiB} MiB ${mark(verdict.memoryFlat)}`);
    if (sharedAdded) console.log(`Three instances on Redis: added p50 ${sharedAdded.p50} ms ≤ ${GOAL_REDIS_ADDED_P50_MS} ms ${mark(verdict.redisAddedP50WithinGoal)}, p99 ${sharedAdded.p99} ms (${round(sharedAdded.p50 - added.p50)} ms more p50 than one instance alone)`);
    console.log('Wrote bench/proxy-results.json');
    if (!Object.values(verdict).every(Boolean)) process.exitCode = 1;
  } finally {
    child.send('stop');
  }
}

interface LatencySummary {
  requestsPerSecond: number;
  total: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
}

/** Every response time, in fractional milliseconds. */
class Samples {
  readonly latencies: number[] = [];
  seconds = 0;
  errors = 0;
  non2xx = 0;

  summary(): LatencySummary {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const at = (fraction: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? NaN);
    return {
      requestsPerSecond: round(sorted.length / this.seconds),
      total: sorted.length,
      p50: at(0.5),
      p90: at(0.9),
      p99: at(0.99),
      max: round(sorted.at(-1) ?? NaN),
      errors: this.errors,
      non2xx: this.non2xx,
    };
  }
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/** Open loop: request i leaves at i/rate seconds, whether or not earlier ones have been answered; several URLs take turns. */
async function steadyLoad(target: string | string[], seconds: number, samples: Samples): Promise<void> {
  const urls = [target].flat();
  const total = Math.round(seconds * RATE);
  const startedAt = performance.now();
  const pending: Promise<void>[] = [];
  for (let sent = 0; sent < total; ) {
    const due = Math.min(total, Math.floor(((performance.now() - startedAt) / 1000) * RATE) + 1);
    while (sent < due) {
      pending.push(timedRequest(urls[sent % urls.length]!, samples));
      sent++;
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(pending);
  samples.seconds += seconds;
}

function timedRequest(url: string, samples: Samples): Promise<void> {
  return new Promise((resolve) => {
    const sentAt = performance.now();
    const outgoing = request(url, { method: 'POST', headers: HEADERS, agent, timeout: 10_000 }, (incoming) => {
      incoming.resume();
      incoming.on('end', () => {
        samples.latencies.push(performance.now() - sentAt);
        if ((incoming.statusCode ?? 0) < 200 || (incoming.statusCode ?? 0) > 299) samples.non2xx++;
        resolve();
      });
    });
    const fail = () => {
      samples.errors++;
      resolve();
    };
    outgoing.on('error', fail);
    outgoing.on('timeout', () => outgoing.destroy(new Error('timeout')));
    outgoing.end(BODY);
  });
}

async function maxThroughput(url: string): Promise<{ requestsPerSecond: number; errors: number }> {
  const result = await autocannon({ url, method: 'POST', headers: HEADERS, body: BODY, connections: THROUGHPUT_CONNECTIONS, duration: THROUGHPUT_SECONDS });
  return { requestsPerSecond: round(result.requests.average), errors: result.errors + result.timeouts + result.non2xx };
}

function printTable(
  direct: LatencySummary & { maxRequestsPerSecond: number },
  proxied: LatencySummary & { maxRequestsPerSecond: number },
  added: { p50: number; p99: number },
  start: Memory,
  end: Memory,
  shared?: LatencySummary,
): void {
  const onRedis = (value: (summary: LatencySummary) => number | string) => (shared ? String(value(shared)) : '');
  const rows = [
    ['', 'fake API directly', 'through the proxy', 'added', `${INSTANCES} instances on Redis`, 'added'],
    [`requests/s (steady)`, String(direct.requestsPerSecond), String(proxied.requestsPerSecond), '', onRedis((s) => s.requestsPerSecond), ''],
    ['latency p50 (ms)', String(direct.p50), String(proxied.p50), String(added.p50), onRedis((s) => s.p50), onRedis((s) => round(s.p50 - direct.p50))],
    ['latency p90 (ms)', String(direct.p90), String(proxied.p90), String(round(proxied.p90 - direct.p90)), onRedis((s) => s.p90), onRedis((s) => round(s.p90 - direct.p90))],
    ['latency p99 (ms)', String(direct.p99), String(proxied.p99), String(added.p99), onRedis((s) => s.p99), onRedis((s) => round(s.p99 - direct.p99))],
    ['errors + non-2xx', String(direct.errors + direct.non2xx), String(proxied.errors + proxied.non2xx), '', onRedis((s) => s.errors + s.non2xx), ''],
    ['max requests/s', String(direct.maxRequestsPerSecond), String(proxied.maxRequestsPerSecond), '', '', ''],
    ['server RSS (MiB)', '', `${start.rssMiB} → ${end.rssMiB}`, '', '', ''],
    ['server heap (MiB)', '', `${start.heapUsedMiB} → ${end.heapUsedMiB}`, '', '', ''],
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows) console.log(row.map((cell, column) => cell.padEnd(widths[column]!)).join('  '));
}

function askMemory(child: ChildProcess): Promise<Memory> {
  child.send('memory');
  return nextMessage<{ memory: Memory }>(child, 'memory').then((message) => message.memory);
}

function nextMessage<T>(child: ChildProcess, field: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: Record<string, unknown>) => {
      if (!(field in message)) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message as T);
    };
    const onExit = (code: number | null) => reject(new Error(`the server process exited (${code})`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

function mib(bytes: number): number {
  return Math.round((bytes / 1_048_576) * 10) / 10;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function mark(ok: boolean): string {
  return ok ? 'PASS' : 'FAIL';
}

// Last, so every declaration above is initialised before either role starts.
if (process.argv.includes('--serve')) await serve();
else await run();

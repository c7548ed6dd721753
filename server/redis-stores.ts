// Limits shared by every proxy instance (REDIS_URL): rate-limiter-flexible's Redis store over node-redis.
// Node, Bun and Deno only (a TCP socket); createProxy loads this module only when redisUrl is set.
// Each Redis call has REDIS_TIMEOUT_MS; a slower or failed one (an error reply too) is answered by the instance's own
// in-memory limiter (rate-limiter-flexible's insurance limiter), so a Redis outage never fails or holds a request.
import { createClient } from '@redis/client';
import { RLWrapperTimeouts, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { fromRateLimiterFlexible, type SharedStores } from './rate-limiter.js';

/** A Redis call slower than this counts as lost. */
export const REDIS_TIMEOUT_MS = 200;

/** Opening the TCP connection may take this long (then a retry). */
const CONNECT_TIMEOUT_MS = 2000;

/**
 * ready() fails unless Redis has answered by then: a Redis that takes the connection but never answers (a hung
 * process, a full backlog) passes the connect timeout, and would hold the CLI's start forever with no word.
 */
export const FIRST_ANSWER_TIMEOUT_MS = 5000;

type RedisState = Awaited<ReturnType<SharedStores['check']>>;

export interface RedisStoresOptions {
  url: string;
  /** Namespace of the keys, so several agents can share one Redis. */
  keyPrefix: string;
  /** Per-client limit per minute; 0: none. */
  rateLimitPerMinute: number;
  /** Messages forwarded per UTC day across all instances; none when undefined. */
  dailyMessageLimit?: number;
  /** Told once when Redis is lost and once when it is back; never given the URL's password. */
  warn: (message: string) => void;
}


/**
 * Adds one to the day's count only while it is below the limit, so refused messages are not counted: the
 * store's default script counts every attempt. Same arguments and reply as rate-limiter-flexible's own.
 */
const COUNT_ONLY_ALLOWED = `redis.call('set', KEYS[1], 0, 'EX', ARGV[2], 'NX')
local consumed = tonumber(redis.call('get', KEYS[1])) + tonumber(ARGV[1])
if consumed <= tonumber(ARGV[3]) then redis.call('incrby', KEYS[1], ARGV[1]) end
return {consumed, redis.call('pttl', KEYS[1])}`;

/** The spend cap's keys outlive their day by a minute; a new day is a new key. */
const DAY_SECONDS = 86_400 + 60;

/** The URL as it may be printed: scheme, host and port, never the user or password. */
export function describeRedisUrl(url: string): string {
  try {
    const { protocol, host } = new URL(url);
    return `${protocol}//${host}`;
  } catch {
    return 'REDIS_URL (not a URL)';
  }
}

export function connectRedisStores(options: RedisStoresOptions): SharedStores {
  const where = describeRedisUrl(options.url);
  let state: RedisState = 'ok';
  let everReady = false;
  let awaited = false;
  let probe: ReturnType<typeof setInterval> | undefined;
  // A write that expires, not a PING: a Redis that answers but refuses writes (READONLY after a failover, OOM) is not back.
  const probeKey = `${options.keyPrefix}:probe`;
  const takesWrites = () => withTimeout(client.sendCommand(['SET', probeKey, '1', 'PX', '2000']));
  // /healthz of an idle instance: no request has tried Redis lately, so ask it (with a call's 200 ms), one check at a time.
  let checking: Promise<RedisState> | undefined;
  const check = (): Promise<RedisState> => {
    if (state === 'lost') return Promise.resolve(state); // the probe looks for its return
    checking ??= takesWrites()
      .then(
        () => state,
        (error: unknown) => {
          lost(whyInsured(error instanceof TimedOut ? undefined : error));
          return state;
        },
      )
      .finally(() => (checking = undefined));
    return checking;
  };
  const lost = (why: string) => {
    if (state === 'lost') return;
    state = 'lost';
    // While lost, calls skip Redis (a request waits out at most one timeout); a probe every half second looks for its return.
    probe = setInterval(() => {
      if (client.isReady) void takesWrites().then(back, () => {});
    }, 500);
    probe.unref?.();
    // Whoever awaits ready() (the CLI at start) reports a first failure itself, in one line.
    if (!everReady && awaited) return;
    options.warn(`Redis at ${where} lost (${why}): limits count per instance until it is back.`);
  };
  const back = () => {
    if (state === 'ok') return;
    state = 'ok';
    clearInterval(probe);
    options.warn(`Redis at ${where} is back: limits are shared again.`);
  };

  const client = createClient({
    url: options.url,
    // Commands while disconnected fail at once (and the in-memory limiter answers) rather than queue.
    disableOfflineQueue: true,
    socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000) },
  });
  let firstAnswer: { resolve: () => void; reject: (error: Error) => void } | undefined;
  const firstAnswered = new Promise<void>((resolve, reject) => (firstAnswer = { resolve, reject }));
  firstAnswered.catch(() => {}); // nobody may be waiting
  client.on('ready', () => {
    everReady = true;
    firstAnswer?.resolve();
    if (state === 'lost') void takesWrites().then(back, () => {}); // reconnected is not yet writable
  });
  client.on('error', (error: Error) => {
    const why = errorText(error);
    if (!everReady) firstAnswer?.reject(new Error(`cannot reach Redis at ${where} (REDIS_URL): ${why}`));
    lost(why);
  });
  void client.connect().catch(() => {}); // errors arrive as 'error' events; it keeps retrying

  const limiter = (points: number, duration: number, prefix: string, script?: string) => {
    // The store is told which call it made, so an error reply (not a refusal, which is a RateLimiterRes) can be named.
    const shared = new (class extends RateLimiterRedis {
      override consume(key: string | number, pointsToConsume?: number, call: { [key: string]: unknown } = {}) {
        return super.consume(key, pointsToConsume, call).catch((rejection: unknown) => {
          if (!(rejection instanceof RateLimiterRes)) call.error = rejection;
          throw rejection;
        });
      }
    })({
      storeClient: client,
      useRedisPackage: true,
      rejectIfRedisNotReady: true,
      points,
      duration,
      keyPrefix: `${options.keyPrefix}:${prefix}`,
      ...(script ? { customIncrTtlLuaScript: script } : {}),
    });
    // The insurance counts the instance's own requests while Redis is out; it is told which call it answered.
    const insurance = new (class extends RateLimiterMemory {
      override consume(key: string | number, pointsToConsume?: number, call?: { [key: string]: unknown }) {
        if (call) call.insured = true;
        return super.consume(key, pointsToConsume);
      }
    })({ points, duration });
    const timed = new RLWrapperTimeouts({ limiter: shared, timeoutMs: REDIS_TIMEOUT_MS, insuranceLimiter: insurance });
    return fromRateLimiterFlexible({
      async consume(key) {
        if (state === 'lost') return insurance.consume(key);
        const call: { insured?: boolean; error?: unknown } = {};
        try {
          return await timed.consume(key, 1, call);
        } finally {
          if (call.insured) lost(whyInsured(call.error));
        }
      },
    });
  };

  const whyInsured = (error: unknown) =>
    !client.isReady
      ? 'not connected'
      : error instanceof Error
        ? `Redis refused a write: ${errorText(error)}`
        : `a call took over ${REDIS_TIMEOUT_MS} ms`;

  return {
    rateLimiter: options.rateLimitPerMinute > 0 ? limiter(options.rateLimitPerMinute, 60, 'rate') : undefined,
    spendCap: options.dailyMessageLimit ? limiter(options.dailyMessageLimit, DAY_SECONDS, 'day', COUNT_ONLY_ALLOWED) : undefined,
    check,
    ready() {
      awaited = true;
      const unanswered = `cannot reach Redis at ${where} (REDIS_URL): no answer within ${FIRST_ANSWER_TIMEOUT_MS / 1000} s`;
      return withTimeout(firstAnswered, FIRST_ANSWER_TIMEOUT_MS, unanswered);
    },
    async close() {
      clearInterval(probe);
      if (client.isOpen) client.destroy();
    },
  };
}

class TimedOut extends Error {}

function withTimeout<T>(call: Promise<T>, ms = REDIS_TIMEOUT_MS, why = 'timeout'): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new TimedOut(why)), ms)));
  return Promise.race([call, late]).finally(() => clearTimeout(timer));
}

function errorText(error: Error): string {
  const text = error.message || error.name || 'unknown error';
  return text.replace(/redis(s?):\/\/[^\s@]*@/gi, 'redis$1://').slice(0, 200);
}

// Per-client rate limiting behind an interface, so a deployment with many proxy instances can
// plug in a shared store (e.g. rate-limiter-flexible's RateLimiterRedis via fromRateLimiterFlexible).

/** The verdict for one request. */
export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Counts requests per client key. Implementations must not throw for ordinary keys. */
export interface RateLimiter {
  consume(key: string): Promise<RateLimitDecision>;
}

export interface MemoryRateLimiterOptions {
  /** Requests allowed per client per window. */
  limit: number;
  /** Window length in milliseconds. Default 60000. */
  windowMs?: number;
  /** Clients tracked at once; beyond it the oldest window is forgotten. Default 10000. */
  maxKeys?: number;
  /** Clock, for tests. */
  now?: () => number;
}

interface Window {
  resetAt: number;
  count: number;
}

/**
 * Fixed-window counter in a Map with a hard cap on keys and no timers (Workers forbid timers
 * outside a request). Keys are re-inserted when their window restarts, so Map order is oldest
 * window first and expired windows are swept from the front.
 */
export class MemoryRateLimiter implements RateLimiter {
  readonly #windows = new Map<string, Window>();
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #maxKeys: number;
  readonly #now: () => number;

  constructor(options: MemoryRateLimiterOptions) {
    this.#limit = options.limit;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#maxKeys = Math.max(1, options.maxKeys ?? 10_000);
    this.#now = options.now ?? Date.now;
  }

  /** How many clients are tracked right now (bounded by maxKeys). */
  get size(): number {
    return this.#windows.size;
  }

  async consume(key: string): Promise<RateLimitDecision> {
    const now = this.#now();
    let window = this.#windows.get(key);
    if (!window || window.resetAt <= now) {
      this.#windows.delete(key);
      this.#makeRoom(now);
      window = { resetAt: now + this.#windowMs, count: 0 };
      this.#windows.set(key, window);
    }
    window.count += 1;
    if (window.count <= this.#limit) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window.resetAt - now) / 1000)) };
  }

  #makeRoom(now: number): void {
    for (const [key, window] of this.#windows) {
      if (window.resetAt > now && this.#windows.size < this.#maxKeys) break;
      this.#windows.delete(key);
    }
  }
}

/** The part of rate-limiter-flexible's limiters that the proxy needs. */
export interface FlexibleLimiterLike {
  consume(key: string, points?: number): Promise<unknown>;
}

/**
 * Adapts any rate-limiter-flexible limiter (RateLimiterRedis, RateLimiterMemcache, …) to the
 * proxy's RateLimiter. A rejection carrying msBeforeNext means "limited"; any other failure
 * of the store lets the request through, so a store outage does not take the chat down.
 */
export function fromRateLimiterFlexible(limiter: FlexibleLimiterLike): RateLimiter {
  return {
    async consume(key) {
      try {
        await limiter.consume(key);
        return { allowed: true };
      } catch (rejection) {
        const msBeforeNext = (rejection as { msBeforeNext?: unknown } | null)?.msBeforeNext;
        if (typeof msBeforeNext !== 'number') return { allowed: true };
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(msBeforeNext / 1000)) };
      }
    },
  };
}

/** Limits kept in a store every instance shares (REDIS_URL), as createProxy uses them; see redis-stores.ts. */
export interface SharedStores {
  rateLimiter?: RateLimiter;
  /** Consumed with the UTC day (`2026-12-01`) as key. */
  spendCap?: RateLimiter;
  /**
   * `lost` while calls fail or take too long and each instance counts on its own. Asks the store itself when
   * it is not known lost, so an idle instance notices too; concurrent checks share one call.
   */
  check(): Promise<'ok' | 'lost'>;
  ready(): Promise<void>;
  close(): Promise<void>;
}

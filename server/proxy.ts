// The reference proxy (SPEC §5): a Web-standard Request → Response handler that adds the Agent API
// key and forwards chat messages to thinnest.ai. No Node built-ins, so it runs unchanged on Node,
// Cloudflare Workers, Deno, Bun and Vercel/Netlify edge functions.
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { failure, failureBody, statusOf, type ProxyFailure } from './errors.js';
import { deliverFeedback, feedbackRecord, parseFeedback, type Webhook } from './feedback.js';
import { pageContextLine, parsePageContext, MAX_PAGE_FIELD_CHARS } from './page-context.js';
import { MemoryRateLimiter, type RateLimiter, type SharedStores } from './rate-limiter.js';
import { originEntries, originEntryProblem } from './origins.js';
import { readBodyWithin } from './read-body.js';
import { callUpstream, describeError, type UpstreamFetch } from './upstream.js';
import { chatUrl, type ChatRequestBody, type ChatSuccess, type FeedbackAccepted, type FeedbackRecord } from './wire.js';
import { isRecord, isSessionId, redactor } from '../src/rules.js';
import { isBlank } from '../src/text.js';

export { MemoryRateLimiter, fromRateLimiterFlexible } from './rate-limiter.js';
export { addressedToLoopback } from './loopback.js';
export type { FlexibleLimiterLike, MemoryRateLimiterOptions, RateLimitDecision, RateLimiter, SharedStores } from './rate-limiter.js';
export type { ChatFailure, ChatRequestBody, ChatSuccess, FeedbackAccepted, FeedbackRating, FeedbackRecord, FeedbackRequestBody, ProxyErrorCode } from './wire.js';
export type { PageContext } from './page-context.js';
export type { UpstreamFetch } from './upstream.js';

/** Answers an upstream request in place of the network, e.g. the mock agent; receives the exact request. */
export type UpstreamHandler = (request: Request) => Promise<Response>;

export const DEFAULT_API_BASE = 'https://api.thinnest.ai';
/** Chat requests per client per minute when `rateLimitPerMinute` is not given (`RATE_LIMIT_PER_MINUTE`). */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 30;

/** Options of createProxy; each mirrors a variable of the CLI (SPEC §5). */
export interface ProxyOptions {
  /** The Agent API key (`THINNEST_API_KEY`). Never returned, echoed or logged. */
  apiKey: string;
  /** The agent to talk to (`THINNEST_AGENT_ID`). */
  agentId: string;
  /** Upstream base URL (`THINNEST_API_BASE`). Default `https://api.thinnest.ai`. */
  apiBase?: string;
  /**
   * Origins allowed to call the proxy from a browser (`ALLOWED_ORIGINS`), as an array or a comma
   * list; `*` allows any origin (without credentials). Default: none, i.e. same-origin only.
   * Requests without an `Origin` header (servers, curl) are always let through: this is a
   * browser guard, not authentication.
   */
  allowedOrigins?: string | readonly string[];
  /** Larger bodies get 413, even chunked ones (`MAX_BODY_BYTES`). Default 16384. */
  maxBodyBytes?: number;
  /** Longer messages (in characters) get 400 (`MAX_MESSAGE_CHARS`). Default 4000. */
  maxMessageChars?: number;
  /** Then 504 (`UPSTREAM_TIMEOUT_MS`). Default 60000. */
  upstreamTimeoutMs?: number;
  /** A request body still arriving after this long gets 408 (`BODY_TIMEOUT_MS`): slow-trickle clients cannot hold requests open. Default 10000. */
  bodyTimeoutMs?: number;
  /** Chat requests per client per minute, then 429 (`RATE_LIMIT_PER_MINUTE`). 0 turns the built-in limit off. Default 30. */
  rateLimitPerMinute?: number;
  /** Replaces the built-in in-memory limiter, e.g. with a shared store for many instances. */
  rateLimiter?: RateLimiter;
  /**
   * Trust `X-Forwarded-For` / `-Proto` / `-Host` from this many reverse proxies in front of this
   * one (`true` = 1). Off by default, because any client can send those headers.
   */
  trustProxy?: boolean | number;
  /** A header the platform sets to the client IP and clients cannot forge, e.g. `cf-connecting-ip`, `x-real-ip` on Vercel. */
  clientIpHeader?: string;
  /** The fetch used to reach the API, called as `fetch(url, init)`. Default: the global `fetch`. */
  fetch?: UpstreamFetch;
  /** Answers instead of the network when set, e.g. the mock agent: it receives the exact upstream request. */
  upstream?: UpstreamHandler;
  /** Called once per request with a summary that never contains the body or the key. */
  log?: (entry: ProxyLogEntry) => void;
  /**
   * Answer chat only at this path, e.g. `/api/chat`; other paths get 404 (the CLI's server). Default: any
   * path, for platforms that mount the handler on a route of their own.
   */
  chatPath?: string;
  /**
   * One rate limit and spend cap for every instance, kept in Redis (`REDIS_URL`), e.g. `redis://:password@host:6379`.
   * Node, Bun and Deno only: the Redis client is loaded when this is set, never bundled for Workers.
   */
  redisUrl?: string;
  /**
   * At most this many messages forwarded upstream per UTC day (`DAILY_MESSAGE_LIMIT`), then 429 `daily_limit`
   * until midnight UTC. Counted across instances with `redisUrl`, per instance without.
   */
  dailyMessageLimit?: number;
  /** Replaces the built-in daily counter, e.g. with a shared store; consumed with the UTC day (`2026-12-01`) as key. */
  spendCap?: RateLimiter;
  /** Serves `GET /metrics` from this sink (`METRICS=1`; the CLI's is prom-client's). Without it the route does not exist. */
  metrics?: ProxyMetrics;
  /** With `metrics`, `/metrics` asks for `Authorization: Bearer <token>` (`METRICS_TOKEN`). */
  metricsToken?: string;
  /** Told when Redis is lost and when it is back, when a feedback webhook fails, and once if requests come with no client address. Default `console.warn`. */
  warn?: (message: string) => void;
  /**
   * Answer feedback on replies (`POST {session_id, message_id, rating, reply?}`, then `202 {"success": true}`)
   * at this path. Default: beside `chatPath` (`/api/chat` → `/api/feedback`); without `chatPath`, any path whose
   * last segment is `feedback`, so a platform route of its own (`app/api/feedback/route.ts`) can mount the handler.
   */
  feedbackPath?: string;
  /**
   * Each feedback is POSTed here after the visitor has had the answer (`FEEDBACK_WEBHOOK_URL`), signed with
   * `feedbackWebhookSecret` in `X-Thinnest-Signature: sha256=<hex>`; once, no retry. Without it, each feedback is
   * one JSON line to `feedbackLog`. `https://user:pass@host/…` is sent with Basic authentication.
   */
  feedbackWebhookUrl?: string;
  /** The HMAC-SHA-256 key of the webhook's signature (`FEEDBACK_WEBHOOK_SECRET`); required with `feedbackWebhookUrl`. Never logged. */
  feedbackWebhookSecret?: string;
  /** A webhook that has not answered after this long is given up on, and a line says so (`FEEDBACK_WEBHOOK_TIMEOUT_MS`). Default 5000. */
  feedbackWebhookTimeoutMs?: number;
  /** Without a webhook, each feedback is handed here as one JSON line (`{"time", "event": "feedback", …}`). Default `console.log`. */
  feedbackLog?: (line: string) => void;
  /**
   * Forward the page a visitor writes from (`PAGE_CONTEXT=1`): a chat body's `page: {path, title}` becomes one
   * line before the message, `[Visitor is on: /pricing — "Pricing | Acme"]` (cleaned, at most 200 characters); a
   * malformed `page` gets 400. Off by default: `page` is ignored and the message goes upstream unchanged.
   */
  pageContext?: boolean;
}

/** Where `/metrics` comes from: a sink of every request's summary that renders the exposition text. */
export interface ProxyMetrics {
  observe(entry: ProxyLogEntry): void;
  /** `redis` is the shared store's state when `redisUrl` is set. */
  render(state: { redis?: 'ok' | 'lost' }): Promise<{ contentType: string; body: string }>;
  /** Told each time a feedback could not be delivered to the webhook. */
  feedbackWebhookFailed?(): void;
}

/** What createProxy returns besides the handler: waiting for and closing its connections (Redis). */
export interface ProxyLifecycle {
  /** Resolves when the shared store answers (at once without `redisUrl`); rejects with an Error naming Redis when it is unreachable or has not answered within 5 s. */
  ready(): Promise<void>;
  /**
   * Answers each chat message still waiting for thinnest.ai at once, with `503 shutting_down` (`Retry-After: 5`), logged and
   * counted like any answer: for a shutdown that can wait no longer. The Node CLI calls it at its shutdown deadline.
   */
  interrupt(): void;
  /** Waits for feedback still on its way to the webhook (at most its timeout), then closes the shared store. */
  close(): Promise<void>;
}

/** One request, as the proxy reports it to `log`. */
export interface ProxyLogEntry {
  method: string;
  path: string;
  status: number;
  latencyMs: number;
  /** The error code, when the request failed. */
  code?: string;
  /** Why it failed, for the site owner (e.g. "upstream answered 401"); free of the key. */
  detail?: string;
  /** The route of the path, whatever answered (a 403, a 405, a preflight): `chat`, `feedback`, `healthz`, `metrics`, or `none` (metrics label it with this, never the raw path). */
  route: ProxyRoute;
  /** The rating of accepted feedback (`cleared` for `null`), for metrics. */
  feedback?: 'up' | 'down' | 'cleared';
  /** How long thinnest.ai took, when the message was forwarded. */
  upstreamMs?: number;
  /** A hash of the client key (the address the rate limit counts), keyed by the API key: stable across instances, not reversible. */
  client?: string;
}

export type ProxyRoute = 'chat' | 'feedback' | 'healthz' | 'metrics' | 'none';

/** What the platform knows about the client; pass it from the runtime adapter when it can. */
export interface ClientInfo {
  /** The peer address of the connection (Node socket, Deno `info.remoteAddr`, Bun `server.requestIP`). */
  ip?: string;
}

/** Work the platform lets finish after the response (Cloudflare's `ctx`, Vercel's `waitUntil`); Node needs none. */
export interface BackgroundContext {
  waitUntil(promise: Promise<unknown>): void;
}

/**
 * The handler: `(request) => Promise<Response>`, plus optional client info from the platform, and on platforms
 * that stop work once the response is sent (Workers), their context, so feedback still reaches the webhook.
 */
export type ProxyHandler = (request: Request, client?: ClientInfo, context?: BackgroundContext) => Promise<Response>;

interface ResolvedOptions {
  apiKey: string;
  upstreamUrl: string;
  origins: OriginPolicy;
  maxBodyBytes: number;
  maxMessageChars: number;
  upstreamTimeoutMs: number;
  bodyTimeoutMs: number;
  rateLimiter?: RateLimiter;
  trustedHops: number;
  clientIpHeader?: string;
  send: UpstreamFetch;
  log?: (entry: ProxyLogEntry) => void;
  chatPath: string;
  spendCap?: RateLimiter;
  shared?: Promise<SharedStores>;
  metrics?: ProxyMetrics;
  metricsToken?: string;
  /** `*` when feedback is answered at any path whose last segment is `feedback`. */
  feedbackPath: string;
  webhook?: Webhook;
  feedbackLog: (line: string) => void;
  warn: (message: string) => void;
  /** A request came with no client address (and the site owner was told, once). */
  addressless?: boolean;
  pageContext: boolean;
  /** Deliveries to the webhook not yet settled, so close() can wait for them. */
  deliveries: Set<Promise<void>>;
  /** Set by interrupt(): a message from now on is answered 503 at once. */
  interrupted: boolean;
  /** One controller per upstream call still waiting, which interrupt() aborts (one listener each, however many wait). */
  waiting: Set<AbortController>;
}

interface OriginPolicy {
  listed: ReadonlySet<string>;
  anyOrigin: boolean;
}

type ProxyEnv = {
  Bindings: { client?: ClientInfo; context?: BackgroundContext };
  Variables: { failure?: ProxyFailure; upstreamMs?: number; chat?: ChatRequestBody; feedback?: ProxyLogEntry['feedback'] };
};

const JSON_CONTENT_TYPE = /^application\/json\s*(;|$)/i;
const BASE_HEADERS = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
/** What the chat path answers, in its preflight's Allow and its 405s' alike. */
const CHAT_ALLOW = 'POST, OPTIONS';
const CORS_SHARED = { allowMethods: ['POST', 'GET', 'OPTIONS'], exposeHeaders: ['Retry-After'], maxAge: 600 };

/**
 * Creates the proxy handler. It answers chat `POST`s on whatever path it is mounted at (or `chatPath`), CORS
 * preflight, `GET …/healthz`, and `GET /metrics` when given `metrics`. Throws at once (not per request) when
 * the options are unusable.
 */
export function createProxy(options: ProxyOptions): ProxyHandler & ProxyLifecycle {
  const resolved = resolveOptions(options);
  const app = new Hono<ProxyEnv>();
  app.use(observeEachRequest(resolved));
  if (resolved.metrics) {
    // Before CORS: never served cross-origin, not even a preflight.
    app.on(['GET', 'HEAD'], METRICS_PATH, serveMetrics(resolved));
    app.all(METRICS_PATH, (c) => respondFailure(c, failure('method_not_allowed', { message: 'Use GET for /metrics.' }), { Allow: 'GET, HEAD' }));
  }
  app.use(guardOrigin(resolved.origins, resolved.trustedHops));
  app.use(corsFor(resolved.origins));
  app.all('*', answerHealth(resolved));
  app.all('*', answerFeedback(resolved));
  app.options(resolved.chatPath, (c) => c.body(null, 204, { ...BASE_HEADERS, Allow: CHAT_ALLOW }));
  app.post(resolved.chatPath, limitRate(resolved), readChat(resolved), capSpend(resolved), forward(resolved));
  app.all(resolved.chatPath, (c) => respondFailure(c, failure('method_not_allowed'), { Allow: CHAT_ALLOW }));
  app.notFound((c) => respondFailure(c, failure('not_found', { message: `Nothing here: the chat proxy answers POST ${resolved.chatPath} and ${resolved.feedbackPath}.` })));
  app.onError((error, c) => {
    const detail = redactor(resolved.apiKey)(`unexpected: ${describeError(error)}`);
    return respondFailure(c, failure('internal_error', { detail }));
  });
  const handler: ProxyHandler = (request, client, context) => Promise.resolve(app.fetch(request, { client, context }));
  return Object.assign(handler, {
    ready: async () => void (await (await resolved.shared)?.ready()),
    interrupt: () => {
      resolved.interrupted = true;
      for (const call of resolved.waiting) call.abort();
    },
    close: async () => {
      await Promise.all(resolved.deliveries);
      await (await resolved.shared?.catch(() => undefined))?.close();
    },
  });
}

const METRICS_PATH = '/metrics';

/** The feedback route beside a chat path, as the widget's default `feedback-url` is: `/api/chat` → `/api/feedback`. */
export function feedbackPathBeside(chatPath: string): string {
  return `${chatPath.slice(0, chatPath.lastIndexOf('/'))}/feedback`;
}
/**
 * The Redis stores' module, named in a variable so bundlers do not follow it: a Workers bundle never
 * contains the Redis client, and only a runtime given `redisUrl` loads it.
 */
const REDIS_STORES_MODULE = './redis-stores.js';

function resolveOptions(options: ProxyOptions): ResolvedOptions {
  const { apiKey, agentId } = options;
  if (typeof apiKey !== 'string' || !/^[\x21-\x7e]+$/.test(apiKey)) {
    throw new TypeError('createProxy: apiKey must be a non-empty string of printable characters (the Agent API key).');
  }
  if (typeof agentId !== 'string' || agentId.trim() === '') throw new TypeError('createProxy: agentId must be a non-empty string.');
  const apiBase = options.apiBase ?? DEFAULT_API_BASE;
  if (!/^https?:\/\//.test(apiBase)) throw new TypeError('createProxy: apiBase must be an http(s) URL.');
  const rateLimitPerMinute = positiveInteger(options.rateLimitPerMinute, DEFAULT_RATE_LIMIT_PER_MINUTE, 'rateLimitPerMinute', true);
  const dailyMessageLimit = options.dailyMessageLimit === undefined ? undefined : positiveInteger(options.dailyMessageLimit, 0, 'dailyMessageLimit');
  const chatPath = options.chatPath ?? '*';
  if (chatPath !== '*' && !/^\/[\w./-]*$/.test(chatPath)) throw new TypeError('createProxy: chatPath must be a path like /api/chat.');
  const feedbackPath = options.feedbackPath ?? (chatPath === '*' ? '*' : feedbackPathBeside(chatPath));
  if (feedbackPath !== '*' && (!/^\/[\w./-]*$/.test(feedbackPath) || feedbackPath === chatPath)) {
    throw new TypeError('createProxy: feedbackPath must be a path like /api/feedback, other than chatPath.');
  }
  if (options.redisUrl !== undefined && !/^rediss?:\/\//.test(options.redisUrl)) throw new TypeError('createProxy: redisUrl must be a redis:// or rediss:// URL.');
  const warn = options.warn ?? ((message: string) => console.warn(message));
  const shared: Promise<SharedStores> | undefined = options.redisUrl
    ? import(/* @vite-ignore */ REDIS_STORES_MODULE).then((module) =>
        module.connectRedisStores({ url: options.redisUrl, keyPrefix: `thinnest-chat:${agentId}`, rateLimitPerMinute, dailyMessageLimit, warn }),
      )
    : undefined;
  shared?.catch(() => {}); // reported by ready() and by each request that needs it
  const webhook = feedbackWebhook(options);
  const { upstream } = options;
  const send: UpstreamFetch = upstream ? (url, init) => answerHeld(upstream, new Request(url, init)) : (options.fetch ?? ((url, init) => fetch(url, init)));
  return {
    apiKey,
    upstreamUrl: chatUrl(apiBase, agentId),
    origins: parseOrigins(options.allowedOrigins),
    maxBodyBytes: positiveInteger(options.maxBodyBytes, 16_384, 'maxBodyBytes'),
    maxMessageChars: positiveInteger(options.maxMessageChars, 4000, 'maxMessageChars'),
    upstreamTimeoutMs: positiveInteger(options.upstreamTimeoutMs, 60_000, 'upstreamTimeoutMs'),
    bodyTimeoutMs: positiveInteger(options.bodyTimeoutMs, 10_000, 'bodyTimeoutMs'),
    rateLimiter:
      options.rateLimiter ??
      (shared ? sharedLimiter(shared, 'rateLimiter') : rateLimitPerMinute > 0 ? new MemoryRateLimiter({ limit: rateLimitPerMinute }) : undefined),
    spendCap:
      options.spendCap ??
      (dailyMessageLimit === undefined
        ? undefined
        : shared
          ? sharedLimiter(shared, 'spendCap')
          : new MemoryRateLimiter({ limit: dailyMessageLimit, windowMs: DAY_MS + 60_000, maxKeys: 2 })),
    shared,
    trustedHops: options.trustProxy === true ? 1 : typeof options.trustProxy === 'number' ? Math.max(0, Math.floor(options.trustProxy)) : 0,
    clientIpHeader: options.clientIpHeader?.toLowerCase(),
    send,
    log: options.log,
    chatPath,
    metrics: options.metrics,
    metricsToken: options.metricsToken || undefined,
    feedbackPath,
    webhook,
    feedbackLog: options.feedbackLog ?? ((line) => console.log(line)),
    warn,
    pageContext: options.pageContext === true,
    deliveries: new Set(),
    interrupted: false,
    waiting: new Set(),
  };
}

/** The webhook, when one is set: an http(s) URL and a secret to sign with, or neither (an unsigned webhook is refused). */
function feedbackWebhook(options: ProxyOptions): Webhook | undefined {
  const url = options.feedbackWebhookUrl || undefined;
  const secret = options.feedbackWebhookSecret || undefined;
  const timeoutMs = positiveInteger(options.feedbackWebhookTimeoutMs, 5000, 'feedbackWebhookTimeoutMs');
  if (url === undefined && secret === undefined) return undefined;
  // Neither value is quoted: the URL may hold credentials or a secret path.
  if (url === undefined) throw new TypeError('createProxy: feedbackWebhookSecret is set without feedbackWebhookUrl; set both, or neither to log feedback.');
  if (secret === undefined) throw new TypeError('createProxy: feedbackWebhookUrl needs feedbackWebhookSecret to sign what it sends; set both, or neither to log feedback.');
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) throw new TypeError('createProxy: feedbackWebhookUrl must be an http(s) URL.');
  return { url, secret, timeoutMs };
}

const DAY_MS = 86_400_000;

/** A limiter of the shared stores, once they are loaded. */
function sharedLimiter(shared: Promise<SharedStores>, which: 'rateLimiter' | 'spendCap'): RateLimiter {
  return { consume: async (key) => (await shared)[which]?.consume(key) ?? { allowed: true } };
}

function positiveInteger(value: number | undefined, fallback: number, name: string, zeroAllowed = false): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < (zeroAllowed ? 0 : 1)) {
    throw new TypeError(`createProxy: ${name} must be a ${zeroAllowed ? 'non-negative' : 'positive'} integer.`);
  }
  return value;
}

/** Normalises the allowlist to origins as browsers send them (`https://example.com`, no path, no slash). */
function parseOrigins(allowed: string | readonly string[] | undefined): OriginPolicy {
  const listed = new Set<string>();
  let anyOrigin = false;
  for (const entry of originEntries(allowed)) {
    const problem = originEntryProblem(entry, 'allowedOrigins');
    if (problem) throw new TypeError(`createProxy: ${problem}`);
    if (entry === '*') anyOrigin = true;
    else listed.add(new URL(entry).origin);
  }
  return { listed, anyOrigin };
}

/** Reports one summary per request, after the response is known, to the log and the metrics. */
function observeEachRequest(options: ResolvedOptions): MiddlewareHandler<ProxyEnv> {
  const redact = redactor(options.apiKey);
  const hashClient = clientHasher(options.apiKey);
  return async (c, next) => {
    const startedAt = Date.now();
    await next();
    if (!options.log && !options.metrics) return;
    const failed = c.get('failure');
    const { pathname } = new URL(c.req.url);
    const entry: ProxyLogEntry = {
      method: c.req.method.slice(0, 16),
      path: redact(pathname).slice(0, 200),
      status: c.res.status,
      latencyMs: Date.now() - startedAt,
      route: routeOf(pathname, options),
    };
    const upstreamMs = c.get('upstreamMs');
    if (upstreamMs !== undefined) entry.upstreamMs = upstreamMs;
    const rating = c.get('feedback');
    if (rating !== undefined) entry.feedback = rating;
    if (failed) entry.code = failed.code;
    if (failed?.detail) entry.detail = redact(failed.detail).slice(0, 300);
    if (options.log) entry.client = await hashClient(clientKey(c.req.raw, c.env?.client, options));
    try {
      options.metrics?.observe(entry);
      options.log?.(entry);
    } catch {
      // a broken log sink must not turn an answered request into an error
    }
  };
}

/**
 * The route a path belongs to, whatever answered it (a 403 from the origin check, a 405, a preflight count for
 * their route); `none` only for paths no route serves.
 */
function routeOf(pathname: string, options: ResolvedOptions): ProxyRoute {
  if (options.metrics && pathname === METRICS_PATH) return 'metrics';
  if (pathname.endsWith('/healthz')) return 'healthz';
  if (isFeedbackPath(pathname, options)) return 'feedback';
  return options.chatPath === '*' || pathname === options.chatPath ? 'chat' : 'none';
}

function isFeedbackPath(pathname: string, options: ResolvedOptions): boolean {
  return options.feedbackPath === '*' ? pathname.endsWith('/feedback') && pathname !== options.chatPath : pathname === options.feedbackPath;
}

/**
 * HMAC-SHA-256 of the client key under the API key, 16 hex digits: the same client reads the same on every
 * instance. Remembered for up to 10,000 clients (then forgotten at once), since a visitor sends many messages.
 */
function clientHasher(apiKey: string): (clientKey: string) => Promise<string> {
  const encoder = new TextEncoder();
  const key = crypto.subtle.importKey('raw', encoder.encode(apiKey), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const known = new Map<string, string>();
  return async (clientKey) => {
    const remembered = known.get(clientKey);
    if (remembered !== undefined) return remembered;
    const signature = new Uint8Array(await crypto.subtle.sign('HMAC', await key, encoder.encode(clientKey)));
    const hash = Array.from(signature.subarray(0, 8), (byte) => byte.toString(16).padStart(2, '0')).join('');
    if (known.size >= 10_000) known.clear();
    known.set(clientKey, hash);
    return hash;
  };
}

/** A browser request from an origin that is neither allowed nor our own gets 403 and no CORS headers. */
function guardOrigin(origins: OriginPolicy, trustedHops: number): MiddlewareHandler<ProxyEnv> {
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (origin === undefined || origins.anyOrigin || origins.listed.has(origin) || isSameOrigin(c.req.raw, origin, trustedHops)) {
      return next();
    }
    return respondFailure(c, failure('forbidden_origin', { detail: `origin ${origin.slice(0, 100)} is not in ALLOWED_ORIGINS` }));
  };
}

function isSameOrigin(request: Request, origin: string, trustedHops: number): boolean {
  const url = new URL(request.url);
  if (url.origin === origin) return true;
  if (trustedHops === 0) return false;
  // Behind a trusted reverse proxy the browser sees the forwarded scheme and host, not ours.
  const proto = lastForwarded(request.headers.get('x-forwarded-proto')) ?? url.protocol.replace(':', '');
  const host = lastForwarded(request.headers.get('x-forwarded-host')) ?? url.host;
  return `${proto}://${host}`.toLowerCase() === origin.toLowerCase();
}

function lastForwarded(value: string | null): string | undefined {
  const last = value?.split(',').pop()?.trim();
  return last || undefined;
}

/** CORS headers for allowed cross-origin callers: listed origins are echoed with credentials; `*` never carries credentials. */
function corsFor(origins: OriginPolicy): MiddlewareHandler<ProxyEnv> {
  const listedCors = cors({ ...CORS_SHARED, origin: (origin) => origin, credentials: true });
  const anyCors = cors({ ...CORS_SHARED, origin: '*' });
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (origin === undefined) return next();
    return origins.listed.has(origin) || !origins.anyOrigin ? listedCors(c, next) : anyCors(c, next);
  };
}

/** `GET …/healthz` wherever the handler is mounted; `degraded` while the shared store is lost. */
function answerHealth(options: ResolvedOptions): MiddlewareHandler<ProxyEnv> {
  return async (c, next) => {
    if (!new URL(c.req.url).pathname.endsWith('/healthz')) return next();
    if (c.req.method === 'OPTIONS') return c.body(null, 204, { ...BASE_HEADERS, Allow: 'GET, HEAD, OPTIONS' });
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      return respondFailure(c, failure('method_not_allowed', { message: 'Use GET for /healthz.' }), { Allow: 'GET, HEAD' });
    }
    const redis = await redisState(options);
    if (redis === undefined) return c.json({ status: 'ok' }, 200, BASE_HEADERS);
    return c.json({ status: redis === 'ok' ? 'ok' : 'degraded', redis }, 200, BASE_HEADERS);
  };
}

async function redisState(options: ResolvedOptions): Promise<'ok' | 'lost' | undefined> {
  if (!options.shared) return undefined;
  return options.shared.then((stores) => stores.check(), () => 'lost' as const);
}

/** Prometheus text for scrapers: same-origin only, and with METRICS_TOKEN only for its bearer. */
function serveMetrics(options: ResolvedOptions): MiddlewareHandler<ProxyEnv> {
  return async (c) => {
    const origin = c.req.header('origin');
    const site = c.req.header('sec-fetch-site');
    if ((origin !== undefined && !isSameOrigin(c.req.raw, origin, options.trustedHops)) || site === 'cross-site' || site === 'same-site') {
      return respondFailure(c, failure('forbidden_origin', { message: 'Metrics are not served to other sites.', detail: 'a browser asked for /metrics from another origin' }));
    }
    if (options.metricsToken && !sameText(c.req.header('authorization') ?? '', `Bearer ${options.metricsToken}`)) {
      return respondFailure(c, failure('unauthorized', { message: 'Metrics need the bearer token (METRICS_TOKEN).', detail: 'no or wrong METRICS_TOKEN' }), { 'WWW-Authenticate': 'Bearer' });
    }
    const { contentType, body } = await options.metrics!.render({ redis: await redisState(options) });
    return c.body(body, 200, { ...BASE_HEADERS, 'Content-Type': contentType });
  };
}

/** Compares in time independent of where the texts differ, so the token cannot be guessed a character at a time. */
function sameText(given: string, expected: string): boolean {
  let difference = given.length ^ expected.length;
  for (let i = 0; i < expected.length; i++) difference |= (given.charCodeAt(i) || 0) ^ expected.charCodeAt(i);
  return difference === 0;
}

/** The per-client limit, before the body is read. */
function limitRate(options: ResolvedOptions): MiddlewareHandler<ProxyEnv> {
  return async (c, next) => {
    const limited = await overRateLimit(c, options);
    return limited ? respondFailure(c, limited) : next();
  };
}

/** One request counted against the client's limit: chat and feedback share it, so a rating spree cannot get around it. */
async function overRateLimit(c: Context<ProxyEnv>, options: ResolvedOptions): Promise<ProxyFailure | undefined> {
  if (!options.rateLimiter) return undefined;
  const decision = await options.rateLimiter.consume(clientKey(c.req.raw, c.env?.client, options));
  return decision.allowed ? undefined : failure('rate_limited', { retryAfterSeconds: decision.retryAfterSeconds });
}

/**
 * Feedback on a reply, at `feedbackPath`: the same origin check, rate limit and body limits as chat, never the
 * spend cap. Answered `202` at once; the webhook (or the log line) is served after the response.
 */
function answerFeedback(options: ResolvedOptions): MiddlewareHandler<ProxyEnv> {
  return async (c, next) => {
    if (!isFeedbackPath(new URL(c.req.url).pathname, options)) return next();
    if (c.req.method === 'OPTIONS') return c.body(null, 204, { ...BASE_HEADERS, Allow: 'POST, OPTIONS' });
    if (c.req.method !== 'POST') {
      return respondFailure(c, failure('method_not_allowed', { message: 'Send feedback with POST.' }), { Allow: 'POST, OPTIONS' });
    }
    const limited = await overRateLimit(c, options);
    if (limited) return respondFailure(c, limited);
    const read = await readJsonObject(c.req.raw, options);
    if (!read.ok) return respondFailure(c, read.failure);
    const parsed = parseFeedback(read.value, characterCount);
    if (!parsed.ok) return respondFailure(c, failure('bad_request', { message: parsed.message, detail: parsed.message }));
    c.set('feedback', parsed.body.rating ?? 'cleared');
    afterResponse(c, options, serveFeedback(options, feedbackRecord(parsed.body, new Date())));
    const accepted: FeedbackAccepted = { success: true };
    return c.json(accepted, 202, BASE_HEADERS);
  };
}

/** To the webhook, or without one, one JSON line to the feedback log; a failure is one warning, never the visitor's. */
async function serveFeedback(options: ResolvedOptions, record: FeedbackRecord): Promise<void> {
  if (!options.webhook) {
    try {
      const { received_at: time, ...feedback } = record;
      options.feedbackLog(JSON.stringify({ time, event: 'feedback', ...feedback }));
    } catch {
      // a broken log sink must not become an unhandled rejection
    }
    return;
  }
  const problem = await deliverFeedback(options.webhook, record);
  if (problem === undefined) return;
  try {
    options.metrics?.feedbackWebhookFailed?.();
    options.warn(`${problem}; feedback on message ${record.message_id} (${record.rating ?? 'cleared'}) was not delivered`);
  } catch {
    // as above
  }
}

/** Runs work after the response: kept alive by the platform's waitUntil where there is one, and awaited by close(). */
function afterResponse(c: Context<ProxyEnv>, options: ResolvedOptions, work: Promise<void>): void {
  const tracked = work.finally(() => options.deliveries.delete(tracked));
  options.deliveries.add(tracked);
  c.env?.context?.waitUntil(tracked);
}

/** The body, validated (SPEC §2); a bad one is never forwarded and never counted by the spend cap. */
function readChat(options: ResolvedOptions): MiddlewareHandler<ProxyEnv> {
  return async (c, next) => {
    const parsed = await parseChatRequest(c.req.raw, options);
    if (!parsed.ok) return respondFailure(c, parsed.failure);
    c.set('chat', parsed.body);
    return next();
  };
}

/** The spend cap: messages forwarded per UTC day; past it, 429 `daily_limit` until midnight UTC. */
function capSpend(options: ResolvedOptions): MiddlewareHandler<ProxyEnv> {
  return async (c, next) => {
    if (!options.spendCap) return next();
    const now = Date.now();
    const decision = await options.spendCap.consume(new Date(now).toISOString().slice(0, 10));
    if (decision.allowed) return next();
    const untilMidnight = Math.max(1, Math.ceil((DAY_MS - (now % DAY_MS)) / 1000));
    return respondFailure(c, failure('daily_limit', { retryAfterSeconds: untilMidnight, detail: 'DAILY_MESSAGE_LIMIT reached' }));
  };
}

function forward(options: ResolvedOptions): MiddlewareHandler<ProxyEnv> {
  return async (c) => {
    const startedAt = Date.now();
    const interrupt = new AbortController();
    if (options.interrupted) interrupt.abort();
    options.waiting.add(interrupt);
    const result = await callUpstream({
      url: options.upstreamUrl,
      apiKey: options.apiKey,
      body: c.get('chat')!,
      timeoutMs: options.upstreamTimeoutMs,
      send: options.send,
      clientSignal: c.req.raw.signal,
      interruptSignal: interrupt.signal,
      redact: redactor(options.apiKey),
    }).finally(() => options.waiting.delete(interrupt));
    c.set('upstreamMs', Date.now() - startedAt);
    if (!result.ok) return respondFailure(c, result.failure);
    return c.json(withoutKey(result.reply, options.apiKey), 200, BASE_HEADERS);
  };
}

type ParsedChatRequest = { ok: true; body: ChatRequestBody } | { ok: false; failure: ProxyFailure };
type ReadJson = { ok: true; value: Record<string, unknown> } | { ok: false; failure: ProxyFailure };

function badRequest(message: string): { ok: false; failure: ProxyFailure } {
  return { ok: false, failure: failure('bad_request', { message, detail: message }) };
}

/** A JSON object body, for chat and feedback alike: `application/json`, within the size and time limits, UTF-8. */
async function readJsonObject(request: Request, limits: { maxBodyBytes: number; bodyTimeoutMs: number }): Promise<ReadJson> {
  if (!JSON_CONTENT_TYPE.test(request.headers.get('content-type') ?? '')) return badRequest('Content-Type must be application/json.');
  const read = await readBodyWithin(request, limits.maxBodyBytes, limits.bodyTimeoutMs);
  if (!read.ok && read.reason === 'timeout') return { ok: false, failure: failure('request_timeout', { detail: `body not received within ${limits.bodyTimeoutMs} ms` }) };
  if (!read.ok && read.reason === 'too_large') {
    return { ok: false, failure: failure('payload_too_large', { message: `The request body is larger than ${limits.maxBodyBytes} bytes.` }) };
  }
  if (!read.ok) return badRequest('The request body could not be read.');

  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(read.bytes));
  } catch {
    return badRequest('The request body is not valid JSON.');
  }
  return isRecord(value) ? { ok: true, value } : badRequest('The request body must be a JSON object.');
}

/**
 * SPEC §2: a message that says something, within the limit, an optional token-like session id; nothing else is kept. With
 * pageContext, a valid `page` adds its marked line before the message (the limit is the visitor's message's).
 */
async function parseChatRequest(
  request: Request,
  limits: { maxBodyBytes: number; maxMessageChars: number; bodyTimeoutMs: number; pageContext: boolean },
): Promise<ParsedChatRequest> {
  const read = await readJsonObject(request, limits);
  if (!read.ok) return read;
  const { message, session_id: sessionId, page } = read.value;
  // As the widget sends nothing that shows nothing (src/text.ts), a message of only white space or invisible
  // characters is refused rather than spent on the agent.
  if (typeof message !== 'string' || isBlank(message)) {
    return badRequest('"message" must be a non-empty string (white space and invisible characters alone are not a message).');
  }
  if (characterCount(message, limits.maxMessageChars) > limits.maxMessageChars) {
    return badRequest(`"message" is longer than ${limits.maxMessageChars} characters.`);
  }
  if (sessionId !== undefined && sessionId !== null && !isSessionId(sessionId)) {
    return badRequest('"session_id" must be a token of up to 128 letters, digits and "-_.:".');
  }
  let forwarded = message;
  if (limits.pageContext && page !== undefined && page !== null) {
    const context = parsePageContext(page);
    if (!context) return badRequest(`"page" must be {"path": string, "title": string}, each of at most ${MAX_PAGE_FIELD_CHARS} characters.`);
    const line = pageContextLine(context);
    if (line) forwarded = `${line}\n${message}`;
  }
  return { ok: true, body: isSessionId(sessionId) ? { message: forwarded, session_id: sessionId } : { message: forwarded } };
}

/** Characters as a visitor counts them (code points); stops counting past the limit. */
function characterCount(text: string, limit: number): number {
  if (text.length <= limit) return text.length; // never more code points than UTF-16 units
  let count = 0;
  for (const _ of text) if (++count > limit) break;
  return count;
}

/** The rate-limit key: a platform header, the trusted hop of X-Forwarded-For, the peer address, in that order. */
function clientKey(request: Request, client: ClientInfo | undefined, options: ResolvedOptions): string {
  const fromPlatform = options.clientIpHeader ? request.headers.get(options.clientIpHeader)?.trim() : undefined;
  const fromForwarded = options.trustedHops > 0 ? forwardedClient(request.headers.get('x-forwarded-for'), options.trustedHops) : undefined;
  const address = fromPlatform || fromForwarded || client?.ip;
  if (!address && !options.addressless) {
    // Every such request shares one limit: a site owner who called handler(request) alone must hear of it.
    options.addressless = true;
    options.warn(
      'thinnest-chat proxy: a request came with no client address, so every such visitor shares one rate limit: ' +
        'pass it as the handler\'s second argument, handler(request, { ip }), or set clientIpHeader (TRUST_PROXY behind a reverse proxy).',
    );
  }
  return address ? addressKey(address) : 'unknown';
}

/**
 * The client an address stands for: an IPv6 address by its /64 (one household or host, which can rotate
 * through the rest of it at will), written `2001:db8:1:2::/64` however it was written; an IPv4-mapped one
 * (`::ffff:198.51.100.7`) by its IPv4 address, like a plain IPv4 one. Anything else as given, bounded.
 */
function addressKey(address: string): string {
  // X-Forwarded-For may carry `[v6]:port` or `v4:port`; a zone (`%eth0`) names no other client.
  const bare = address.trim().replace(/^\[([^\]]*)\](:\d+)?$/, '$1').replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, '$1').replace(/%.*$/, '');
  if (!bare.includes(':')) return bare.slice(0, 64); // bounded: the key lives in the limiter's memory
  let canonical: string;
  try {
    canonical = new URL(`http://[${bare}]`).hostname.slice(1, -1); // validates; lowercase, one `::`, dotted tail as hex
  } catch {
    return bare.slice(0, 64);
  }
  const [head = '', tail] = canonical.split('::');
  const given = (part: string) => (part ? part.split(':') : []);
  const groups = tail === undefined ? given(head) : [...given(head), ...Array<string>(8 - given(head).length - given(tail).length).fill('0'), ...given(tail)];
  const words = groups.map((group) => parseInt(group, 16));
  if (words.slice(0, 5).every((word) => word === 0) && words[5] === 0xffff) {
    return [words[6]! >> 8, words[6]! & 0xff, words[7]! >> 8, words[7]! & 0xff].join('.');
  }
  return `${words.slice(0, 4).map((word) => word.toString(16)).join(':')}::/64`;
}

/** The address the outermost trusted proxy saw: `hops` entries from the right of X-Forwarded-For. */
function forwardedClient(header: string | null, hops: number): string | undefined {
  const chain = (header ?? '').split(',').map((part) => part.trim()).filter(Boolean);
  if (chain.length === 0) return undefined;
  return chain[Math.max(0, chain.length - hops)];
}

function respondFailure(c: Context<ProxyEnv>, failed: ProxyFailure, extraHeaders: Record<string, string> = {}): Response {
  c.set('failure', failed);
  const headers: Record<string, string> = { ...BASE_HEADERS, ...extraHeaders };
  if (failed.retryAfterSeconds) headers['Retry-After'] = String(failed.retryAfterSeconds);
  return c.json(failureBody(failed), statusOf(failed.code) as 400, headers);
}

/** The key never leaves, even if the agent itself repeats it in a reply. */
function withoutKey(reply: ChatSuccess, apiKey: string): ChatSuccess {
  if (!JSON.stringify(reply).includes(apiKey)) return reply;
  const redact = redactor(apiKey);
  const metadata = { ...reply.metadata, ...(reply.metadata.model === undefined ? {} : { model: redact(reply.metadata.model) }) };
  return { ...reply, response: redact(reply.response), session_id: redact(reply.session_id), metadata };
}

/**
 * The upstream requests a handler is answering. Node's Request lets its signal stop following the one
 * it was made with once nothing holds the Request, so a handler that kept only `request.signal` (the
 * mock agent's `/hang`) would never hear of the timeout or the visitor leaving, and would wait for
 * good (its timer keeping Node running): each request is held here until its answer settles or it is
 * aborted (the timeout always aborts it), so a handler that never answers holds nothing for long.
 */
const answering = new Set<Request>();
async function answerHeld(upstream: UpstreamHandler, request: Request): Promise<Response> {
  const release = () => answering.delete(request);
  answering.add(request);
  request.signal.addEventListener('abort', release, { once: true });
  try {
    return await upstream(request);
  } finally {
    release();
  }
}

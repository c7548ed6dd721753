// Builds the proxy handler from the environment, real or mock; shared by the CLI and the Vite plugin (Node only).
import { MISSING_CREDENTIALS_MESSAGE, proxyOptionsFromEnv, wholeNumber, type Env } from './env-options.js';
import { MOCK_API_KEY, createMockAgent } from './mock-agent.js';
import { createNodeFetch } from './node-fetch.js';
import { createPromMetrics } from './metrics.js';
import { withoutCredentials } from './upstream.js';
import { DEFAULT_API_BASE, createProxy, type ProxyHandler, type ProxyLifecycle, type ProxyLogEntry, type ProxyMetrics, type ProxyOptions } from './proxy.js';

/** `real` needs key and agent; `mock` ignores them; `auto` uses the real API when both are set. */
export type HandlerMode = 'real' | 'mock' | 'auto';

export type BuiltHandler =
  | {
      ok: true;
      handler: ProxyHandler & ProxyLifecycle;
      mock: boolean;
      description: string;
      /** TRUST_PROXY is set: a reverse proxy in front passes on the client (and may pass on the public Host). */
      trustProxy: boolean;
      /** METRICS=1: the sink the handler counts in, for the answers a server gives before the handler (its Host check). */
      metrics?: ProxyMetrics;
    }
  | { ok: false; problem: string };

/** What the server around the handler decides: where chat and feedback are answered, where warnings and feedback lines go. */
export type ServerOptions = Pick<ProxyOptions, 'chatPath' | 'feedbackPath' | 'warn' | 'feedbackLog'>;

/** The handler and a one-line description for the startup message; never mentions the key. */
export function handlerFromEnv(env: Env, mode: HandlerMode, log?: (entry: ProxyLogEntry) => void, server: ServerOptions = {}): BuiltHandler {
  const fromEnv = proxyOptionsFromEnv(env);
  if (!fromEnv.ok) return { ok: false, problem: fromEnv.problems.join(' ') };
  const metrics = env.METRICS?.trim().toLowerCase();
  if (metrics && !['1', 'true', '0', 'false'].includes(metrics)) return { ok: false, problem: 'METRICS must be 1 (serve GET /metrics) or 0.' };
  const { apiKey, agentId } = fromEnv;
  const sink = metrics === '1' || metrics === 'true' ? createPromMetrics({ redis: Boolean(fromEnv.options.redisUrl) }) : undefined;
  const options = { ...fromEnv.options, ...server, ...(sink ? { metrics: sink } : {}) };
  const hasCredentials = Boolean(apiKey && agentId);
  if (mode === 'real' && !hasCredentials) return { ok: false, problem: MISSING_CREDENTIALS_MESSAGE };
  const trustProxy = Boolean(options.trustProxy);
  const origins = options.allowedOrigins ? `origins ${String(options.allowedOrigins)}` : 'same-origin only (set ALLOWED_ORIGINS for other sites)';
  try {
    if (mode !== 'mock' && apiKey && agentId) {
      const handler = createProxy({ ...options, apiKey, agentId, log, fetch: createNodeFetch() });
      return { ok: true, handler, mock: false, trustProxy, metrics: sink, description: `thinnest.ai agent ${agentId} at ${withoutCredentials(options.apiBase ?? DEFAULT_API_BASE)}; ${origins}` };
    }
    const delay = mockDelay(env.MOCK_DELAY_MS);
    if (!delay.ok) return { ok: false, problem: delay.problem };
    const upstream = createMockAgent({ delayMs: delay.ms });
    const handler = createProxy({ ...options, apiKey: MOCK_API_KEY, agentId: 'mock', upstream, log });
    const hint = mode === 'auto' ? 'set THINNEST_API_KEY and THINNEST_AGENT_ID for the real API; ' : '';
    return { ok: true, handler, mock: true, trustProxy, metrics: sink, description: `mock agent (${hint}type /help in the chat for its error commands); ${origins}` };
  } catch (error) {
    return { ok: false, problem: (error as Error).message }; // createProxy's messages name options, never values of the key
  }
}

/** MOCK_DELAY_MS read like the other numbers: unset or empty means the default, anything else must be a whole number of ms. */
function mockDelay(raw: string | undefined): { ok: true; ms: number } | { ok: false; problem: string } {
  const text = raw?.trim();
  if (!text) return { ok: true, ms: 400 };
  const ms = wholeNumber(text);
  return Number.isInteger(ms) && ms >= 0 ? { ok: true, ms } : { ok: false, problem: `MOCK_DELAY_MS must be a non-negative whole number, not "${text.slice(0, 40)}".` };
}

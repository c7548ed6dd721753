// METRICS=1 on Node: the proxy's counts in Prometheus text format, kept by prom-client in a registry of
// the proxy's own (not prom-client's global one, so an app that embeds the proxy keeps its metrics apart).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ProxyLogEntry, ProxyMetrics } from './proxy.js';

/** `redis`: the proxy shares its limits on Redis, so the state of that connection is a series too. */
export function createPromMetrics(options: { redis: boolean }): ProxyMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'thinnest_chat_proxy_process_' });
  const requests = new Counter({
    name: 'thinnest_chat_proxy_requests_total',
    help: 'Requests answered, by route (chat, feedback, healthz, metrics, none) and HTTP status.',
    labelNames: ['route', 'status'] as const,
    registers: [registry],
  });
  const upstream = new Histogram({
    name: 'thinnest_chat_proxy_upstream_seconds',
    help: 'Time thinnest.ai took to answer each forwarded message.',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: 'thinnest_chat_proxy_rate_limited_total',
    help: 'Chat and feedback requests refused by the per-client rate limit (429 rate_limited); not thinnest.ai\'s own 429s.',
    registers: [registry],
  });
  const spendCapped = new Counter({ name: 'thinnest_chat_proxy_daily_limit_total', help: 'Chat requests refused by the spend cap (429 daily_limit).', registers: [registry] });
  const feedback = new Counter({
    name: 'thinnest_chat_proxy_feedback_total',
    help: 'Feedback on replies accepted, by rating (up, down, cleared).',
    labelNames: ['rating'] as const,
    registers: [registry],
  });
  const webhookFailures = new Counter({
    name: 'thinnest_chat_proxy_feedback_webhook_failures_total',
    help: 'Feedback that FEEDBACK_WEBHOOK_URL did not take (an error status, unreachable, or no answer in time).',
    registers: [registry],
  });
  let redis: 'ok' | 'lost' | undefined;
  if (options.redis) {
    new Gauge({
      name: 'thinnest_chat_proxy_redis_up',
      help: '1 while Redis (REDIS_URL) takes writes within 200 ms, 0 while limits count per instance.',
      registers: [registry],
      collect() {
        this.set(redis === 'lost' ? 0 : 1);
      },
    });
  }

  return {
    observe(entry: ProxyLogEntry) {
      requests.inc({ route: entry.route, status: String(entry.status) });
      if (entry.upstreamMs !== undefined) upstream.observe(entry.upstreamMs / 1000);
      if (entry.code === 'rate_limited' && entry.upstreamMs === undefined) rateLimited.inc(); // with upstreamMs, thinnest.ai's 429
      if (entry.code === 'daily_limit') spendCapped.inc();
      if (entry.feedback !== undefined) feedback.inc({ rating: entry.feedback });
    },
    feedbackWebhookFailed() {
      webhookFailures.inc();
    },
    async render(state) {
      redis = state.redis;
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

// Turns the environment table of SPEC §5 into proxy options, as a value: options or the reasons they are unusable.
import { originEntries, originEntryProblem } from './origins.js';
import type { ProxyOptions } from './proxy.js';

export type Env = Readonly<Record<string, string | undefined>>;

export type EnvOptionsResult =
  | { ok: true; options: Omit<ProxyOptions, 'apiKey' | 'agentId'>; apiKey?: string; agentId?: string }
  | { ok: false; problems: string[] };

const NUMERIC_VARIABLES = {
  MAX_BODY_BYTES: 'maxBodyBytes',
  MAX_MESSAGE_CHARS: 'maxMessageChars',
  UPSTREAM_TIMEOUT_MS: 'upstreamTimeoutMs',
  BODY_TIMEOUT_MS: 'bodyTimeoutMs',
  RATE_LIMIT_PER_MINUTE: 'rateLimitPerMinute',
  DAILY_MESSAGE_LIMIT: 'dailyMessageLimit',
  FEEDBACK_WEBHOOK_TIMEOUT_MS: 'feedbackWebhookTimeoutMs',
} as const;

/** The message shown when the key or agent is missing; names the variables and the way out. */
export const MISSING_CREDENTIALS_MESSAGE =
  'thinnest-chat-proxy needs THINNEST_API_KEY (an Agent API key, agno_…) and THINNEST_AGENT_ID (the agent to talk to). ' +
  'Set them in the environment or in a .env file in the current directory (create a key with ' +
  '`thinnest-chat-proxy create-key --name NAME` and THINNESTAI_TOKEN), or run with --mock to serve the built-in demo agent instead of the real API.';

/**
 * A setting's whole number: decimal digits only, else NaN. `Number()` alone would also take `0x4E22`, `1e4`,
 * `1_000` or an empty string (as 0), which no one writes for a port or a limit on purpose.
 */
export function wholeNumber(text: string): number {
  return /^\d+$/.test(text) ? Number(text) : Number.NaN;
}

/** Reads every variable of SPEC §5 except PORT/HOST (the CLI's own); key and agent are returned as found, possibly absent. */
export function proxyOptionsFromEnv(env: Env): EnvOptionsResult {
  const problems: string[] = [];
  const options: Omit<ProxyOptions, 'apiKey' | 'agentId'> = {};
  const apiBase = env.THINNEST_API_BASE?.trim();
  if (apiBase) {
    if (/^https?:\/\/[^\s]+$/.test(apiBase)) options.apiBase = apiBase;
    else problems.push('THINNEST_API_BASE must be an http(s) URL.');
  }
  if (env.ALLOWED_ORIGINS?.trim()) {
    // Checked here too, so the message names the variable rather than createProxy's option.
    const unusable = originEntries(env.ALLOWED_ORIGINS).map((entry) => originEntryProblem(entry, 'ALLOWED_ORIGINS')).filter((problem) => problem !== undefined);
    if (unusable.length) problems.push(...unusable);
    else options.allowedOrigins = env.ALLOWED_ORIGINS;
  }
  for (const [variable, option] of Object.entries(NUMERIC_VARIABLES)) {
    const raw = env[variable]?.trim();
    if (!raw) continue;
    const value = wholeNumber(raw);
    const zeroAllowed = option === 'rateLimitPerMinute';
    if (Number.isInteger(value) && value >= (zeroAllowed ? 0 : 1)) options[option] = value;
    else problems.push(`${variable} must be a ${zeroAllowed ? 'non-negative' : 'positive'} whole number, not "${raw.slice(0, 40)}".`);
  }
  const redisUrl = env.REDIS_URL?.trim();
  if (redisUrl) {
    if (/^rediss?:\/\/\S+$/.test(redisUrl)) options.redisUrl = redisUrl;
    else problems.push('REDIS_URL must be a redis:// or rediss:// URL.'); // not echoed: it may hold a password
  }
  if (env.METRICS_TOKEN?.trim()) options.metricsToken = env.METRICS_TOKEN.trim();
  // Neither value is echoed: the URL may hold credentials or a secret path.
  const webhookUrl = env.FEEDBACK_WEBHOOK_URL?.trim();
  const webhookSecret = env.FEEDBACK_WEBHOOK_SECRET?.trim();
  if (webhookUrl && !/^https?:\/\/\S+$/.test(webhookUrl)) problems.push('FEEDBACK_WEBHOOK_URL must be an http(s) URL.');
  else if (webhookUrl && !webhookSecret) problems.push('FEEDBACK_WEBHOOK_URL is set without FEEDBACK_WEBHOOK_SECRET: feedback is only sent signed. Set a secret (e.g. `openssl rand -hex 32`), or unset the URL to log feedback instead.');
  else if (webhookSecret && !webhookUrl) problems.push('FEEDBACK_WEBHOOK_SECRET is set without FEEDBACK_WEBHOOK_URL: set the URL to send feedback there, or unset the secret to log feedback instead.');
  else if (webhookUrl && webhookSecret) Object.assign(options, { feedbackWebhookUrl: webhookUrl, feedbackWebhookSecret: webhookSecret });
  const pageContext = env.PAGE_CONTEXT?.trim().toLowerCase();
  if (pageContext === '1' || pageContext === 'true') options.pageContext = true;
  else if (pageContext && pageContext !== '0' && pageContext !== 'false') problems.push('PAGE_CONTEXT must be 1 (forward the page a visitor writes from) or 0.');
  const trustProxy = env.TRUST_PROXY?.trim().toLowerCase();
  if (trustProxy) {
    if (trustProxy === 'true') options.trustProxy = true;
    else if (/^\d+$/.test(trustProxy)) options.trustProxy = Number(trustProxy);
    else if (trustProxy !== 'false') problems.push('TRUST_PROXY must be true, false or a number of proxies.');
  }
  if (problems.length) return { ok: false, problems };
  return { ok: true, options, apiKey: env.THINNEST_API_KEY?.trim() || undefined, agentId: env.THINNEST_AGENT_ID?.trim() || undefined };
}

// Cloudflare Workers: `wrangler deploy`, after `wrangler secret put THINNEST_API_KEY`.
import { createProxy, type BackgroundContext, type ProxyHandler } from 'thinnest-chat/proxy';

export interface Env {
  THINNEST_API_KEY: string;
  THINNEST_AGENT_ID: string;
  THINNEST_API_BASE?: string;
  ALLOWED_ORIGINS?: string;
  /** Optional: feedback on replies goes here, signed with the secret (`wrangler secret put FEEDBACK_WEBHOOK_SECRET`). */
  FEEDBACK_WEBHOOK_URL?: string;
  FEEDBACK_WEBHOOK_SECRET?: string;
}

let proxy: ProxyHandler | undefined; // built on the first request: Workers pass secrets per request, not at import

export default {
  fetch(request: Request, env: Env, ctx?: BackgroundContext): Promise<Response> {
    proxy ??= createProxy({
      apiKey: env.THINNEST_API_KEY,
      agentId: env.THINNEST_AGENT_ID,
      apiBase: env.THINNEST_API_BASE,
      allowedOrigins: env.ALLOWED_ORIGINS,
      clientIpHeader: 'cf-connecting-ip', // set by Cloudflare, cannot be forged by the visitor
      feedbackWebhookUrl: env.FEEDBACK_WEBHOOK_URL,
      feedbackWebhookSecret: env.FEEDBACK_WEBHOOK_SECRET,
    });
    return proxy(request, undefined, ctx); // ctx.waitUntil keeps a feedback delivery alive after the response
  },
};

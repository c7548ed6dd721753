// Cloudflare Workers: `wrangler deploy`, after `wrangler secret put THINNEST_API_KEY`.
import { createProxy, type ProxyHandler } from 'thinnest-chat/proxy';

export interface Env {
  THINNEST_API_KEY: string;
  THINNEST_AGENT_ID: string;
  THINNEST_API_BASE?: string;
  ALLOWED_ORIGINS?: string;
}

let proxy: ProxyHandler | undefined; // built on the first request: Workers pass secrets per request, not at import

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    proxy ??= createProxy({
      apiKey: env.THINNEST_API_KEY,
      agentId: env.THINNEST_AGENT_ID,
      apiBase: env.THINNEST_API_BASE,
      allowedOrigins: env.ALLOWED_ORIGINS,
      clientIpHeader: 'cf-connecting-ip', // set by Cloudflare, cannot be forged by the visitor
    });
    return proxy(request);
  },
};

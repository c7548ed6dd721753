// Next.js (App Router) on Vercel: this file answers POST /api/chat. Works on the Node and Edge runtimes.
import { createProxy, type ProxyHandler } from 'thinnest-chat/proxy';

let proxy: ProxyHandler | undefined; // built on the first request, so `next build` needs no secrets

function handle(request: Request): Promise<Response> {
  proxy ??= createProxy({
    apiKey: process.env.THINNEST_API_KEY ?? '',
    agentId: process.env.THINNEST_AGENT_ID ?? '',
    apiBase: process.env.THINNEST_API_BASE,
    allowedOrigins: process.env.ALLOWED_ORIGINS,
    clientIpHeader: 'x-real-ip', // set by Vercel (on Netlify: x-nf-client-connection-ip)
  });
  return proxy(request);
}

export const POST = handle;
export const OPTIONS = handle;

// Node: the proxy on @hono/node-server. (Or run the ready-made CLI: `node node_modules/.bin/thinnest-chat-proxy`.)
import { serve } from '@hono/node-server';
import { addressedToLoopback, createProxy } from 'thinnest-chat/proxy';

export const handler = createProxy({
  apiKey: process.env.THINNEST_API_KEY ?? '',
  agentId: process.env.THINNEST_AGENT_ID ?? '',
  apiBase: process.env.THINNEST_API_BASE,
  allowedOrigins: process.env.ALLOWED_ORIGINS, // e.g. "https://www.example.com"
});

/**
 * On loopback, answer only requests addressed to loopback: a page whose DNS name was rebound to
 * 127.0.0.1 reaches this server as its own origin, but its browser sends that name as Host.
 */
export function serveOnLoopback(request: Request, ip: string | undefined): Promise<Response> | Response {
  if (!addressedToLoopback(request)) {
    return Response.json({ success: false, error: { code: 'forbidden_origin', message: 'Not a loopback host.' } }, { status: 403 });
  }
  return handler(request, { ip });
}

// Listen only when run (`node server.js`), not when imported by a test or another server.
if (import.meta.url === new URL(process.argv[1] ?? '', 'file://').href) {
  serve({ fetch: (request, env) => serveOnLoopback(request, env.incoming.socket.remoteAddress), port: 8787, hostname: '127.0.0.1' });
}

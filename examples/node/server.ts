// Node: the proxy on @hono/node-server. (Or run the ready-made CLI: `npx thinnest-chat-proxy`.)
import { serve } from '@hono/node-server';
import { createProxy } from 'thinnest-chat/proxy';

export const handler = createProxy({
  apiKey: process.env.THINNEST_API_KEY ?? '',
  agentId: process.env.THINNEST_AGENT_ID ?? '',
  apiBase: process.env.THINNEST_API_BASE,
  allowedOrigins: process.env.ALLOWED_ORIGINS, // e.g. "https://www.example.com"
});

// Listen only when run (`node server.js`), not when imported by a test or another server.
if (import.meta.url === new URL(process.argv[1] ?? '', 'file://').href) {
  serve({ fetch: (request, env) => handler(request, { ip: env.incoming.socket.remoteAddress }), port: 8787, hostname: '127.0.0.1' });
}

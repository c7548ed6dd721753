// Bun: `bun run server.ts` serves the default export.
import { createProxy } from 'thinnest-chat/proxy';

const handler = createProxy({
  apiKey: process.env.THINNEST_API_KEY ?? '',
  agentId: process.env.THINNEST_AGENT_ID ?? '',
  apiBase: process.env.THINNEST_API_BASE,
  allowedOrigins: process.env.ALLOWED_ORIGINS,
});

export default {
  port: 8787,
  hostname: '127.0.0.1',
  fetch: (request: Request, server: { requestIP(request: Request): { address: string } | null }) =>
    handler(request, { ip: server.requestIP(request)?.address }),
};

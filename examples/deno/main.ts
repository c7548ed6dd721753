// Deno: `deno serve --allow-net --allow-env --port 8787 main.ts`
import { createProxy } from 'thinnest-chat/proxy';

declare const Deno: { env: { get(name: string): string | undefined } }; // Deno's own types make this line redundant

const handler = createProxy({
  apiKey: Deno.env.get('THINNEST_API_KEY') ?? '',
  agentId: Deno.env.get('THINNEST_AGENT_ID') ?? '',
  apiBase: Deno.env.get('THINNEST_API_BASE'),
  allowedOrigins: Deno.env.get('ALLOWED_ORIGINS'),
});

export default {
  fetch: (request: Request, info: { remoteAddr: { hostname: string } }) => handler(request, { ip: info.remoteAddr.hostname }),
};
